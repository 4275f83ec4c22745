package io.earshot.recorder.internal;

import static io.earshot.http.json.JsonAnswers.answer;
import static io.earshot.http.json.JsonAnswers.path;
import static io.earshot.http.json.JsonAnswers.refuse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * {@code /api/recordings}: GET the list, a recording ({@code /NAME}) or one of its files
 * ({@code /NAME.wav}, {@code /NAME-002.wav}, {@code /NAME.json}, with HTTP Range so a player can
 * seek); POST {@code {"name":"n","seconds":10}} to start one (no seconds: until stopped), POST
 * {@code /NAME/stop}; DELETE {@code /NAME}. The access gate decides who may (reads are open on
 * loopback only, changes need the token). Errors are {@code {"ok":false,"error":"..."}}.
 */
@Component(service = Servlet.class,
        // served only while the access gate stands: it decides who may record
        reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern({RecordingsServlet.PATH, RecordingsServlet.PATH + "/*"})
public final class RecordingsServlet extends HttpServlet {

    static final String PATH = "/api/recordings";
    private static final long serialVersionUID = 1L;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final List<String> START_KEYS = List.of("name", "seconds");

    private final transient DiskRecorder recorder;
    private final transient ObjectMapper json = new ObjectMapper();

    @Activate
    public RecordingsServlet(@Reference DiskRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = path(request);
        try {
            if (path.isEmpty()) {
                answer(response, 200, recorder.list());
            } else if (path.endsWith(".wav") || path.endsWith(".json")) {
                serve(recorder.file(path), request, response);
            } else {
                answer(response, 200, recorder.describe(path));
            }
        } catch (Refusal e) {
            refuse(response, e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = path(request);
        try {
            if (path.isEmpty()) {
                start(request, response);
            } else if (path.endsWith("/stop") && path.indexOf('/') == path.length() - 5) {
                answer(response, 200, recorder.stop(path.substring(0, path.length() - 5)));
            } else {
                refuse(response, 404, "POST " + PATH + " with {\"name\":\"NAME\",\"seconds\":10} (seconds left out: until stopped),"
                        + " or POST " + PATH + "/NAME/stop");
            }
        } catch (Refusal e) {
            refuse(response, e);
        }
    }

    private void start(HttpServletRequest request, HttpServletResponse response) throws IOException, Refusal {
        JsonNode body;
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readAllBytes(); // the gate refuses bodies over 64 KiB before this
            body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new Refusal(400, "the body is not JSON: " + e.getOriginalMessage()
                    + "; send {\"name\":\"NAME\",\"seconds\":10}");
        }
        if (body == null || !body.isObject()) {
            throw new Refusal(400, "the body must be a JSON object: {\"name\":\"NAME\",\"seconds\":10}");
        }
        for (Iterator<String> keys = body.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!START_KEYS.contains(key)) throw new Refusal(400, "unknown key '" + key + "'; allowed: " + START_KEYS);
        }
        JsonNode name = body.path("name");
        if (!name.isMissingNode() && !name.isNull() && !name.isTextual()) {
            throw new Refusal(400, "name must be a string: " + RecordingNames.ALLOWED);
        }
        JsonNode seconds = body.path("seconds");
        if (!seconds.isMissingNode() && !seconds.isNull() && !seconds.isNumber()) {
            throw new Refusal(400, "seconds must be a number, got " + seconds);
        }
        DiskRecording recording = recorder.start(name.isTextual() ? name.asText() : null,
                seconds.isNumber() ? seconds.asDouble() : null);
        response.setHeader("Location", PATH + "/" + recording.name());
        answer(response, 201, recording.describe());
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = path(request);
        try {
            answer(response, 200, Map.of("ok", true, "deleted", recorder.delete(name)));
        } catch (Refusal e) {
            refuse(response, e);
        }
    }

    /**
     * A file, whole or the one byte range asked for (a player seeking). A file still being
     * recorded is served as long as it is now. Several ranges at once are answered with the
     * whole file, as HTTP allows.
     */
    private void serve(Path file, HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            long from = 0;
            long to = length - 1;
            String range = request.getHeader("Range");
            Matcher m = range == null ? null : RANGE.matcher(range.trim());
            if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                try {
                    if (m.group(1).isEmpty()) {
                        from = Math.max(0, length - Long.parseLong(m.group(2))); // the last N bytes
                    } else {
                        from = Long.parseLong(m.group(1));
                        if (!m.group(2).isEmpty()) to = Math.min(to, Long.parseLong(m.group(2)));
                    }
                } catch (NumberFormatException e) {
                    from = length; // beyond any file
                }
                if (from >= length || from > to) {
                    response.setHeader("Content-Range", "bytes */" + length);
                    refuse(response, 416, "range " + range + " is outside the file's " + length + " bytes");
                    return;
                }
                response.setStatus(206);
                response.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + length);
            } else {
                response.setStatus(200);
            }
            String name = file.getFileName().toString();
            response.setContentType(name.endsWith(".wav") ? "audio/wav" : "application/json");
            response.setHeader("Accept-Ranges", "bytes");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("Content-Disposition", "inline; filename=\"" + name + "\"");
            response.setContentLengthLong(to - from + 1);
            OutputStream out = response.getOutputStream();
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            for (long at = from; at <= to; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), to - at + 1));
                int read = channel.read(chunk, at);
                if (read < 0) break; // cut shorter meanwhile (a repair); the length sent says what was promised
                out.write(chunk.array(), 0, read);
                at += read;
            }
        }
    }
}
