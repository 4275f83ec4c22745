package io.earshot.plugins.internal;

import static io.earshot.http.json.JsonAnswers.answer;
import static io.earshot.http.json.JsonAnswers.refuse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
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
 * {@code /api/plugins}: GET the list; POST a jar (the body) to add or replace a plugin;
 * POST {@code /api/plugins/ID/start} or {@code /stop}; DELETE {@code /api/plugins/ID}.
 * The access gate decides who may (changes need the token; the list is open without it only on
 * loopback). Answers are JSON: the result, or {@code {"ok":false,"error":"..."}} with what was wrong.
 */
@Component(service = Servlet.class,
        // served only while the access gate stands: it decides who may change plugins
        reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern({"/api/plugins", "/api/plugins/*"})
public final class PluginsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient PluginManager plugins;

    @Activate
    public PluginsServlet(@Reference PluginManager plugins) {
        this.plugins = plugins;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(response, 200, Map.of("folder", plugins.folder().toString(), "plugins", plugins.describe(),
                "removed_but_running", plugins.lingeringAfterRemoval()));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.isEmpty() || path.equals("/")) {
            upload(request, response);
            return;
        }
        String[] parts = path.substring(1).split("/");
        if (parts.length != 2 || !(parts[1].equals("start") || parts[1].equals("stop"))) {
            refuse(response, 404, "POST /api/plugins (a jar as the body), /api/plugins/ID/start or /api/plugins/ID/stop");
            return;
        }
        Optional<Bundle> plugin = find(parts[0], response);
        if (plugin.isEmpty()) return;
        try {
            if (parts[1].equals("start")) plugins.start(plugin.get());
            else plugins.stop(plugin.get());
            answer(response, 200, Map.of("ok", true, "state", PluginManager.state(plugin.get().getState())));
        } catch (BundleException | IllegalStateException e) {
            refuse(response, 409, "could not " + parts[1] + " " + plugin.get().getSymbolicName() + ": " + e.getMessage());
        }
    }

    private void upload(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long length = request.getContentLengthLong();
        if (length > PluginManager.MAX_UPLOAD_BYTES) {
            refuse(response, 413, "the jar has " + length + " bytes; allowed: at most " + PluginManager.MAX_UPLOAD_BYTES);
            return;
        }
        try (InputStream body = request.getInputStream()) {
            Map<String, Object> written = plugins.upload(queryValue(request.getQueryString(), "name"), body);
            answer(response, 202, Map.of("ok", true, "file", written.get("file"), "bundle", written.get("bundle"),
                    "note", "installed from the plugins folder within a second"));
        } catch (IllegalArgumentException e) {
            refuse(response, 400, e.getMessage());
        }
    }

    /**
     * A parameter of the query string alone: {@code getParameter} would parse a body sent as a
     * form (curl's default for {@code --data-binary}) and so consume the jar.
     */
    static String queryValue(String query, String key) {
        if (query == null) return null;
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if ((equals < 0 ? pair : pair.substring(0, equals)).equals(key)) {
                try {
                    return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the query's " + key + " has a malformed %-escape");
                }
            }
        }
        return null;
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Optional<Bundle> plugin = find(path.replaceFirst("^/", ""), response);
        if (plugin.isEmpty()) return;
        plugins.remove(plugin.get());
        answer(response, 202, Map.of("ok", true, "note", "its file is deleted; it is uninstalled within a second"));
    }

    private Optional<Bundle> find(String id, HttpServletResponse response) throws IOException {
        try {
            Optional<Bundle> plugin = plugins.plugin(Long.parseLong(id));
            if (plugin.isEmpty()) {
                refuse(response, 404, "no plugin with id " + id + "; GET /api/plugins lists them (runtime bundles are not plugins)");
            }
            return plugin;
        } catch (NumberFormatException e) {
            refuse(response, 400, "a plugin id is a number, got '" + id + "'");
            return Optional.empty();
        }
    }
}
