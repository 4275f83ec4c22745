package io.earshot.scripts.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.earshot.api.ConsoleListener;
import io.earshot.scripts.runtime.ScriptActivator;
import io.earshot.scripts.runtime.Scripts;

/**
 * The protocol of {@code /ws/scripts} (docs/architecture.md): {@code run}, {@code stop} and
 * {@code list} in; {@code hello}, {@code compiling}, {@code started}, {@code failed},
 * {@code stopped}, {@code scripts}, {@code output}, {@code truncated} and {@code error} out.
 * Runs are compiled one at a time on a thread of their own, never on a socket's thread; the
 * console lines of scripts (attributed by the console to {@code script:NAME}) go to every
 * client that presented the token.
 */
@Component(service = {ScriptChannel.class, ConsoleListener.class})
public final class ScriptChannel implements ConsoleListener {

    static final int MAX_SESSIONS = 32;
    /** Clients without the token may only look; they leave the other places to the editors that hold it. */
    static final int MAX_SESSIONS_WITHOUT_TOKEN = 8;
    static final int MAX_PENDING_RUNS = 8;
    static final String OUTPUT_PREFIX = "{\"type\":\"output\"";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT_SOURCE = ScriptActivator.listenerName("");

    private final ScriptExecutor scripts;
    private final Set<ScriptSession> sessions = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor runs = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_PENDING_RUNS), r -> new Thread(r, "earshot-scripts"));
    private final BundleContext context;
    /** Every client learns the running scripts when one starts or goes; synchronous, so before the run's answer. */
    private final SynchronousBundleListener scriptBundles = event -> {
        if ((event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.UNINSTALLED)
                && event.getBundle().getLocation().startsWith(ScriptExecutor.LOCATION)) {
            broadcastList();
        }
    };

    @Activate
    public ScriptChannel(@Reference ScriptExecutor scripts, BundleContext context) {
        this.scripts = scripts;
        this.context = context;
        context.addBundleListener(scriptBundles);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(scriptBundles);
        runs.shutdownNow();
        for (ScriptSession session : List.copyOf(sessions)) session.close(1001, "the script executor is going away");
    }

    /** Why a new client with or without the token cannot join now, or null when it can. */
    String refusal(boolean withToken) {
        if (sessions.size() >= MAX_SESSIONS) {
            return "already " + MAX_SESSIONS + " clients on /ws/scripts, the most it serves";
        }
        if (!withToken && sessions.stream().filter(s -> !s.authorized()).count() >= MAX_SESSIONS_WITHOUT_TOKEN) {
            return "already " + MAX_SESSIONS_WITHOUT_TOKEN + " clients without the access token on /ws/scripts,"
                    + " the most it serves (the other places are kept for clients with the token)";
        }
        return null;
    }

    void join(ScriptSession session) {
        sessions.add(session);
        ObjectNode hello = message("hello", null);
        hello.put("enabled", scripts.enabled());
        hello.put("compiler", ScriptCompiler.present());
        hello.put("reason", scripts.unavailable());
        hello.put("authorized", session.authorized());
        hello.set("scripts", JSON.valueToTree(list()));
        ObjectNode limits = hello.putObject("limits");
        limits.put("scripts", ScriptExecutor.MAX_SCRIPTS);
        limits.put("source_chars", ScriptExecutor.MAX_SOURCE_CHARS);
        limits.put("message_chars", ScriptSocketServlet.MAX_MESSAGE_CHARS);
        limits.put("queued_output_lines", ScriptSession.MAX_QUEUED_OUTPUT);
        limits.put("pending_runs", MAX_PENDING_RUNS);
        session.reply(hello.toString());
    }

    void leave(ScriptSession session) {
        sessions.remove(session);
    }

    /** One message of a client; {@code text} null for a binary message. */
    void handle(ScriptSession session, String text) {
        JsonNode request;
        try {
            request = text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            error(session, null, "a message is a JSON object with \"type\": \"run\", \"stop\" or \"list\"");
            return;
        }
        String id = request.path("id").isValueNode() ? request.path("id").asText() : null;
        String type = request.path("type").asText("");
        if (type.equals("list")) {
            ObjectNode reply = message("scripts", id);
            reply.set("scripts", JSON.valueToTree(list()));
            session.reply(reply.toString());
            return;
        }
        if (!type.equals("run") && !type.equals("stop")) {
            error(session, id, "unknown type '" + type + "'; a message's type is \"run\", \"stop\" or \"list\"");
            return;
        }
        if (!session.authorized()) {
            error(session, id, type + " needs the access token: connect with ?token= or Authorization: Bearer");
            return;
        }
        if (!request.path("name").isTextual()) {
            error(session, id, type + " needs \"name\": the script's name (1..40 of a-z, 0-9 and '-')");
            return;
        }
        String name = request.get("name").asText();
        if (type.equals("stop")) {
            if (scripts.stop(name)) {
                session.reply(named("stopped", id, name).toString());
            } else {
                error(session, id, "no script named '" + name + "' is running; running: " + names());
            }
            return;
        }
        if (!request.path("source").isTextual()) {
            error(session, id, "run needs \"source\": the Java source, as a string");
            return;
        }
        String source = request.get("source").asText();
        try {
            runs.execute(() -> run(session, id, name, source));
            session.reply(named("compiling", id, name).toString());
        } catch (RejectedExecutionException e) {
            error(session, id, MAX_PENDING_RUNS + " runs are waiting to compile, the most; try again when they are done");
        }
    }

    private void run(ScriptSession session, String id, String name, String source) {
        Scripts.Result result = scripts.run(name, source);
        ObjectNode reply = named(result.started() ? "started" : "failed", id, name);
        if (result.started()) {
            reply.put("bundle", result.bundleId());
        } else {
            reply.put("error", result.error());
        }
        reply.put("millis", result.millis());
        reply.set("diagnostics", JSON.valueToTree(result.diagnostics()));
        session.reply(reply.toString());
    }

    @Override
    public void line(Line line) {
        if (!line.source().startsWith(SCRIPT_SOURCE)) {
            return;
        }
        ObjectNode output = JSON.createObjectNode();
        output.put("type", "output");
        output.put("name", line.source().substring(SCRIPT_SOURCE.length()));
        output.put("stream", line.stream());
        output.put("text", line.text());
        output.put("time", line.timeMillis());
        String json = output.toString();
        for (ScriptSession session : sessions) {
            if (session.authorized()) session.output(json);
        }
    }

    @Override
    public void skipped(String source, long lines) {
        if (!source.startsWith(SCRIPT_SOURCE)) {
            return;
        }
        String json = truncated(source.substring(SCRIPT_SOURCE.length()), lines,
                "more than the console's limit of lines a second");
        for (ScriptSession session : sessions) {
            if (session.authorized()) session.reply(json);
        }
    }

    /** A note that {@code lines} lines of output (of script {@code name}, or of any when null) were left out, and why. */
    static String truncated(String name, long lines, String why) {
        ObjectNode note = JSON.createObjectNode();
        note.put("type", "truncated");
        note.put("name", name);
        note.put("lines", lines);
        note.put("why", why);
        return note.toString();
    }

    private void broadcastList() {
        ObjectNode update = message("scripts", null);
        update.set("scripts", JSON.valueToTree(list()));
        String json = update.toString();
        for (ScriptSession session : sessions) session.reply(json);
    }

    private List<Map<String, Object>> list() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Scripts.Running running : scripts.running()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", running.name());
            entry.put("bundle", running.bundleId());
            list.add(entry);
        }
        return list;
    }

    private List<String> names() {
        return scripts.running().stream().map(Scripts.Running::name).toList();
    }

    private static ObjectNode message(String type, String id) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", type);
        if (id != null) message.put("id", id);
        return message;
    }

    private static ObjectNode named(String type, String id, String name) {
        ObjectNode message = message(type, id);
        message.put("name", name);
        return message;
    }

    private static void error(ScriptSession session, String id, String error) {
        ObjectNode message = message("error", id);
        message.put("error", error);
        session.reply(message.toString());
    }
}
