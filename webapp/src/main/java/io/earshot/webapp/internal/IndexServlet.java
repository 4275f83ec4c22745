package io.earshot.webapp.internal;

import java.io.IOException;
import java.io.InputStream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The webapp: its page at the root (the address the start banner prints) and its scripts and
 * styles under {@code /app/}. The page holds no secret: the token comes from the address.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardResource(pattern = "/app/*", prefix = "/webapp/app")
public final class IndexServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // "/" is the servlet default: it also receives every path nothing else serves
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.equals("/") && !path.equals("/index.html") && !path.isEmpty()) {
            response.sendError(404, "nothing at " + path + "; the webapp is at /");
            return;
        }
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss: blob:; "
                + "img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'");
        try (InputStream page = IndexServlet.class.getResourceAsStream("/webapp/index.html")) {
            page.transferTo(response.getOutputStream());
        }
    }
}
