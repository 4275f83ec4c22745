package io.earshot.bridge.config.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.earshot.api.AccessControl;
import io.earshot.api.StreamControl;
import io.earshot.api.Streams;
import jakarta.servlet.Servlet;

/**
 * {@code /ws/config}: easy-dsp's config messages, each answered; changes need the access token.
 * {@code ?stream=ID} changes another stream than main (an unknown one is refused with 404).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/ws/config")
public class ConfigSocketServlet extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;
    /** Larger messages close the connection (1009); up to here they get a reasoned refusal. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Open connections at once; those without the token get fewer, so they cannot lock out the webapp. */
    static final int MAX_CLIENTS = 64;
    static final int MAX_CLIENTS_WITHOUT_TOKEN = 16;

    /** Each stream's requests, by stream id. */
    private final transient Map<String, ConfigRequests> streams = new ConcurrentHashMap<>();
    private final transient AccessControl access;
    private final boolean tokenRequired;
    private final transient ConfigSession.Census census = new ConfigSession.Census();

    @Activate
    public ConfigSocketServlet(@Reference AccessControl access) {
        this(access, true);
    }

    /** @param tokenRequired false only for the classic port, whose easy-dsp clients send no token */
    ConfigSocketServlet(AccessControl access, boolean tokenRequired) {
        this.access = access;
        this.tokenRequired = tokenRequired;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStream(StreamControl stream) {
        streams.put(stream.stream(), new ConfigRequests(stream, access, tokenRequired));
    }

    void removeStream(StreamControl stream) {
        streams.computeIfPresent(stream.stream(), (id, requests) -> requests.stream() == stream ? null : requests);
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(Duration.ofHours(1));
        factory.setMaxTextMessageSize(MAX_FRAME_BYTES);
        factory.setMaxBinaryMessageSize(MAX_FRAME_BYTES);
        factory.setCreator(this::create);
    }

    private Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
        response.setExtensions(List.of());
        // the gate's verdict: whether the connection itself presented the token
        boolean withToken = Boolean.TRUE.equals(request.getServletAttribute(AccessControl.TOKEN_ATTRIBUTE));
        List<String> named = request.getParameterMap().get("stream");
        String stream = named == null || named.isEmpty() || named.get(0).isBlank() ? Streams.MAIN : named.get(0);
        ConfigRequests requests = streams.get(stream);
        int status = 404;
        String refusal = requests == null
                ? "no stream '" + stream + "'; streams: " + String.join(", ", new TreeMap<>(streams).keySet()) : null;
        if (refusal == null) {
            status = 503;
            refusal = census.refusal(withToken, MAX_CLIENTS, MAX_CLIENTS_WITHOUT_TOKEN);
        }
        if (refusal != null) {
            try {
                response.sendError(status, refusal);
            } catch (java.io.IOException e) {
                // the client went away
            }
            return null;
        }
        return new ConfigSession(requests, withToken, census);
    }
}
