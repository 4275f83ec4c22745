package io.earshot.scripts.internal;

import java.io.IOException;
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
import jakarta.servlet.Servlet;

/**
 * {@code /ws/scripts}: run and stop scripts, and hear their output. A client without the access
 * token is still answered (the {@code hello} says it is not authorized, and why each call is
 * refused) but may run nothing and hears no output.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/ws/scripts")
public class ScriptSocketServlet extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;
    /** A source of the largest size, escaped in JSON, with room for the rest of the message. */
    static final int MAX_MESSAGE_CHARS = ScriptExecutor.MAX_SOURCE_CHARS * 2 + 4096;

    private final transient ScriptChannel channel;
    private final transient AccessControl access;

    @Activate
    public ScriptSocketServlet(@Reference ScriptChannel channel, @Reference AccessControl access) {
        this.channel = channel;
        this.access = access;
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(Duration.ofHours(1));
        factory.setMaxTextMessageSize(MAX_MESSAGE_CHARS);
        factory.setMaxBinaryMessageSize(1024);
        factory.setCreator(this::create);
    }

    private Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
        if (channel.full()) {
            try {
                response.sendError(503, "already " + ScriptChannel.MAX_SESSIONS + " clients on /ws/scripts, the most it serves");
            } catch (IOException e) {
                // the client went away
            }
            return null;
        }
        List<String> tokens = request.getParameterMap().get("token");
        String token = AccessControl.presentedToken(request.getHeader("Authorization"),
                tokens == null || tokens.isEmpty() ? null : tokens.get(0));
        return new ScriptSession(channel, access.permits(token));
    }
}
