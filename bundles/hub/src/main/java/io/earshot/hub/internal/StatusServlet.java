package io.earshot.hub.internal;


import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.earshot.api.AccessControl;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/status}: every {@link StatusContributor}'s part, as one JSON document. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/status")
public final class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient StatusDocument document;
    private final transient AccessControl access;
    private final transient ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Activate
    public StatusServlet(@Reference AccessControl access, @Reference StatusDocument document) {
        this.access = access;
        this.document = document;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (!access.openReads() && !access.permits(
                AccessControl.presentedToken(request.getHeader("Authorization"), request.getParameter("token")))) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"this runtime is not bound to loopback: the status needs the access token"
                    + " (?token= or Authorization: Bearer)\"}");
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), document.snapshot());
    }
}
