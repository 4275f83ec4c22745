package io.earshot.bridge.audio.internal;

import java.time.Duration;
import java.util.List;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.earshot.api.AccessControl;
import io.earshot.api.Streams;
import jakarta.servlet.Servlet;

/**
 * {@code /ws/audio}: the stream in easy-dsp's format; {@code ?header=1} adds a 24-byte header
 * with sequence number and capture time to every binary message; {@code ?stream=ID} another
 * stream than main (an unknown one is refused with 404 and the streams there are).
 */
@Component(service = Servlet.class,
        // served only while the access gate stands: it decides who may listen
        reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern("/ws/audio")
public class AudioSocketServlet extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;
    /** Clients only listen: anything they send is small or a mistake. */
    static final int MAX_INBOUND_BYTES = 4096;

    private final transient AudioBridge bridge;

    @Activate
    public AudioSocketServlet(@Reference AudioBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        configureFactory(factory);
        factory.setCreator(this::create);
    }

    static void configureFactory(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(Duration.ofHours(1));
        factory.setMaxTextMessageSize(MAX_INBOUND_BYTES);
        factory.setMaxBinaryMessageSize(MAX_INBOUND_BYTES);
    }

    Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
        // the gate has let this request through; its verdict says whether it holds the token
        boolean withToken = Boolean.TRUE.equals(request.getServletAttribute(AccessControl.TOKEN_ATTRIBUTE));
        String named = first(request.getParameterMap().get("stream"));
        String stream = named == null || named.isBlank() ? Streams.MAIN : named;
        try {
            String refusal = tokenRefusal(withToken);
            if (refusal != null) {
                response.sendError(401, refusal);
                return null;
            }
            refusal = bridge.unknownStream(stream);
            if (refusal != null) {
                response.sendError(404, refusal);
                return null;
            }
            refusal = bridge.refusal(withToken);
            if (refusal != null) {
                response.sendError(503, refusal);
                return null;
            }
        } catch (java.io.IOException e) {
            return null;
        }
        // compression would cost a deflate per client per buffer and saves little on audio
        response.setExtensions(List.of());
        String header = first(request.getParameterMap().get("header"));
        return bridge.newClient(stream, "1".equals(header) || "true".equalsIgnoreCase(header), withToken);
    }

    /** Why this endpoint refuses a client with or without the token; on the HTTP server the gate has decided. */
    String tokenRefusal(boolean withToken) {
        return null;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
