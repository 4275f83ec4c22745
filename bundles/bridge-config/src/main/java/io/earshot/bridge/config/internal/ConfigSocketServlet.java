package io.earshot.bridge.config.internal;

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
import io.earshot.api.StreamControl;
import jakarta.servlet.Servlet;

/** {@code /ws/config}: easy-dsp's config messages, each answered; changes need the access token. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/ws/config")
public class ConfigSocketServlet extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;
    /** Larger messages close the connection (1009); up to here they get a reasoned refusal. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Open connections at once; those without the token get fewer, so they cannot lock out the webapp. */
    static final int MAX_CLIENTS = 64;
    static final int MAX_CLIENTS_WITHOUT_TOKEN = 16;

    private final transient ConfigRequests requests;
    private final transient ConfigSession.Census census = new ConfigSession.Census();

    @Activate
    public ConfigSocketServlet(@Reference StreamControl stream, @Reference AccessControl access) {
        this(new ConfigRequests(stream, access, true));
    }

    ConfigSocketServlet(ConfigRequests requests) {
        this.requests = requests;
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
        String refusal = census.refusal(withToken, MAX_CLIENTS, MAX_CLIENTS_WITHOUT_TOKEN);
        if (refusal != null) {
            try {
                response.sendError(503, refusal);
            } catch (java.io.IOException e) {
                // the client went away
            }
            return null;
        }
        return new ConfigSession(requests, withToken, census);
    }
}
