package io.earshot.devices.internal;

import static io.earshot.http.json.JsonAnswers.answer;
import static io.earshot.http.json.JsonAnswers.refuse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.AccessControl;
import io.earshot.http.json.Refusal;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/devices}: GET the devices (state, LEDs, queue) and the clips; POST
 * {@code /ID/play} ({@code {"clip":"NAME"}} enqueues, {@code "now":true} replaces the clip playing,
 * no body resumes), {@code /ID/pause}, {@code /ID/stop}, {@code /ID/next}, {@code /ID/led}
 * ({@code {"mode":"level|direction|off"}}); DELETE {@code /ID/queue}; POST a WAV file to
 * {@code /clips/NAME}, DELETE it there. The access gate decides who may: reads are open on
 * loopback only, changes need the token.
 */
@Component(service = Servlet.class, reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern({DevicesServlet.PATH, DevicesServlet.PATH + "/*"})
public final class DevicesServlet extends HttpServlet {

    static final String PATH = "/api/devices";
    private static final long serialVersionUID = 1L;
    private static final List<String> PLAY_KEYS = List.of("clip", "now");

    private final transient DevicesServer server;
    private final transient ObjectMapper json = new ObjectMapper();

    @Activate
    public DevicesServlet(@Reference DevicesServer server) {
        this.server = server;
    }

    private static String[] path(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null || path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
    }

    private DeviceRegistry registry() throws Refusal {
        String why = server.unavailable();
        if (why != null) throw new Refusal(503, why);
        return server.registry();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = path(request);
        try {
            if (path.length == 0) {
                Map<String, Object> body = new LinkedHashMap<>(server.status());
                if (server.unavailable() == null) body.put("clips", server.registry().clips().list());
                answer(response, 200, body);
            } else if (path.length == 1 && path[0].equals("clips")) {
                answer(response, 200, Map.of("clips", registry().clips().list()));
            } else if (path.length == 1) {
                answer(response, 200, registry().device(path[0]).describe());
            } else {
                throw new Refusal(404, "GET " + PATH + ", " + PATH + "/clips or " + PATH + "/ID");
            }
        } catch (Refusal r) {
            refuse(response, r);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = path(request);
        try {
            DeviceRegistry registry = registry();
            if (path.length == 2 && path[0].equals("clips")) {
                try (InputStream body = request.getInputStream()) {
                    answer(response, 201, registry.clips().upload(path[1], body));
                }
                return;
            }
            if (path.length != 2) throw new Refusal(404, "POST " + PATH + "/ID/play|pause|stop|next|led or " + PATH + "/clips/NAME");
            Device device = registry.device(path[0]);
            switch (path[1]) {
                case "play" -> play(device, body(request));
                case "pause" -> device.transport.pause();
                case "stop" -> device.transport.stop();
                case "next" -> device.transport.next();
                case "led" -> {
                    JsonNode mode = body(request).path("mode");
                    if (!mode.isTextual()) throw new Refusal(400, "send {\"mode\":\"level\"} (level, direction or off)");
                    registry.setMode(device.id, mode.asText());
                }
                default -> throw new Refusal(404, "'" + path[1] + "': play, pause, stop, next or led");
            }
            answer(response, 200, device.describe());
        } catch (Refusal r) {
            refuse(response, r);
        }
    }

    private static void play(Device device, JsonNode body) throws Refusal {
        for (Iterator<String> keys = body.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!PLAY_KEYS.contains(key)) throw new Refusal(400, "unknown key '" + key + "'; allowed: " + PLAY_KEYS);
        }
        JsonNode clip = body.path("clip");
        if (clip.isMissingNode() || clip.isNull()) {
            device.transport.play();
        } else if (!clip.isTextual()) {
            throw new Refusal(400, "clip must be a clip's name (GET " + PATH + "/clips lists them)");
        } else {
            device.transport.enqueue(clip.asText(), body.path("now").asBoolean(false));
        }
    }

    private JsonNode body(HttpServletRequest request) throws IOException, Refusal {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readAllBytes(); // the gate refuses bodies over 64 KiB before this
            JsonNode body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            if (body == null || !body.isObject()) throw new Refusal(400, "the body must be a JSON object");
            return body;
        } catch (JsonProcessingException e) {
            throw new Refusal(400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = path(request);
        try {
            DeviceRegistry registry = registry();
            if (path.length == 2 && path[0].equals("clips")) {
                if (!registry.clips().delete(path[1])) throw new Refusal(404, "no uploaded clip '" + path[1] + "' (recordings are deleted in " + "/api/recordings)");
                answer(response, 200, Map.of("ok", true, "deleted", path[1]));
            } else if (path.length == 2 && path[1].equals("queue")) {
                Device device = registry.device(path[0]);
                device.transport.clear();
                answer(response, 200, device.describe());
            } else {
                throw new Refusal(404, "DELETE " + PATH + "/ID/queue or " + PATH + "/clips/NAME");
            }
        } catch (Refusal r) {
            refuse(response, r);
        }
    }
}
