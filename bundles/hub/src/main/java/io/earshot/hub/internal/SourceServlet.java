package io.earshot.hub.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.AccessControl;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/source}: GET the source capturing, the one selected and those available; POST
 * {@code {"source":"browser"}} switches (the Stream tab), as {@code earshot:source browser} does.
 * The gate decides who may: reading as the status, switching with the token.
 */
@Component(service = Servlet.class,
        // served only while the access gate stands: it decides who may switch
        reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern("/api/source")
public final class SourceServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient SourceSelection sources;
    private final transient ObjectMapper json = new ObjectMapper();

    @Activate
    public SourceServlet(@Reference SourceSelection sources) {
        this.sources = sources;
    }

    private void answer(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), body);
    }

    /** {@code ?stream=ID}, main when absent. */
    private static String stream(HttpServletRequest request) {
        String stream = request.getParameter("stream");
        return stream == null || stream.isBlank() ? io.earshot.api.Streams.MAIN : stream;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String stream = stream(request);
        String unknown = sources.unknownStream(stream);
        if (unknown != null) {
            answer(response, 404, Map.of("ok", false, "error", unknown));
            return;
        }
        answer(response, 200, sources.describe(stream));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body;
        try (InputStream in = request.getInputStream()) {
            body = json.readTree(in.readAllBytes()); // the gate refuses bodies over 64 KiB before this
        } catch (JsonProcessingException e) {
            body = null;
        }
        String stream = stream(request);
        String unknown = sources.unknownStream(stream);
        if (unknown != null) {
            answer(response, 404, Map.of("ok", false, "error", unknown));
            return;
        }
        if (body == null || !body.path("source").isTextual() || body.size() != 1) {
            answer(response, 400, Map.of("ok", false, "error", "send {\"source\":\"ID\"}; available: " + sources.describe().get("available")));
            return;
        }
        String problem = sources.select(stream, body.get("source").asText());
        if (problem != null) {
            answer(response, 400, Map.of("ok", false, "error", problem));
            return;
        }
        answer(response, 200, Map.of("ok", true, "selected", body.get("source").asText()));
    }
}
