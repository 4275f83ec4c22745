package io.earshot.access.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.earshot.api.AccessControl;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/access}: whether this request's token is the runtime's, and whether reads are
 * open without it, so a page opened without the token (or with an old one) can say so instead
 * of retrying sockets that are refused. {@code {"token":false,"open_reads":true}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(AccessServlet.PATH)
public final class AccessServlet extends HttpServlet {

    static final String PATH = "/api/access";
    private static final long serialVersionUID = 1L;

    private final transient AccessControl access;

    @Activate
    public AccessServlet(@Reference AccessControl access) {
        this.access = access;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"token\":" + Boolean.TRUE.equals(request.getAttribute(AccessControl.TOKEN_ATTRIBUTE))
                + ",\"open_reads\":" + access.openReads() + "}");
    }
}
