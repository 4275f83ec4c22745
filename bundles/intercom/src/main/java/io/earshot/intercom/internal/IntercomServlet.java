package io.earshot.intercom.internal;

import static io.earshot.http.json.JsonAnswers.answer;
import static io.earshot.http.json.JsonAnswers.refuse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;

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
 * {@code POST /api/intercom/send} {@code {"seconds":2,"channels":[0,1]}} (channels left out: all):
 * records and sends a clip, answered with its size and the clients it went to. Needs the token.
 * Errors are {@code {"ok":false,"error":"..."}}.
 */
@Component(service = Servlet.class,
        // served only while the access gate stands: it decides who may send
        reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern(IntercomServlet.PATH)
public final class IntercomServlet extends HttpServlet {

    static final String PATH = "/api/intercom/send";
    private static final long serialVersionUID = 1L;
    private static final List<String> KEYS = List.of("seconds", "channels");
    private static final String EXAMPLE = "{\"seconds\":2} or {\"seconds\":2,\"channels\":[0,1]}";

    private final transient IntercomSender sender;
    private final transient ObjectMapper json = new ObjectMapper();

    @Activate
    public IntercomServlet(@Reference IntercomSender sender) {
        this.sender = sender;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!Boolean.TRUE.equals(request.getAttribute(AccessControl.TOKEN_ATTRIBUTE))) {
            refuse(response, 401, "sending to the intercom needs the access token");
            return;
        }
        try {
            JsonNode body = body(request);
            answer(response, 200, sender.send(seconds(body), channels(body)).toMap());
        } catch (Refusal e) {
            refuse(response, e);
        }
    }

    private JsonNode body(HttpServletRequest request) throws IOException, Refusal {
        JsonNode body;
        try (InputStream in = request.getInputStream()) {
            body = json.readTree(in.readAllBytes()); // the gate refuses bodies over 64 KiB before this
        } catch (JsonProcessingException e) {
            throw new Refusal(400, "the body is not JSON: " + e.getOriginalMessage() + "; send " + EXAMPLE);
        }
        if (body == null || !body.isObject()) throw new Refusal(400, "the body must be a JSON object: " + EXAMPLE);
        for (Iterator<String> keys = body.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) throw new Refusal(400, "unknown key '" + key + "'; allowed: " + KEYS);
        }
        return body;
    }

    private static double seconds(JsonNode body) throws Refusal {
        JsonNode seconds = body.path("seconds");
        if (!seconds.isNumber()) throw new Refusal(400, "seconds must be a number: " + EXAMPLE);
        return seconds.asDouble();
    }

    private static int[] channels(JsonNode body) throws Refusal {
        JsonNode channels = body.path("channels");
        if (channels.isMissingNode() || channels.isNull()) return null;
        if (!channels.isArray()) throw new Refusal(400, "channels must be an array of channel numbers: " + EXAMPLE);
        int[] out = new int[channels.size()];
        for (int i = 0; i < out.length; i++) {
            if (!channels.get(i).canConvertToInt() || !channels.get(i).isIntegralNumber()) {
                throw new Refusal(400, "channels must be whole numbers, got " + channels.get(i));
            }
            out[i] = channels.get(i).asInt();
        }
        return out;
    }
}
