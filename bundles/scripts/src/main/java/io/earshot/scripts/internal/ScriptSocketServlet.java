package io.earshot.scripts.internal;

import java.io.IOException;
import java.time.Duration;

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
@Component(service = Servlet.class,
        // served only while the access gate stands: its verdict decides who may run scripts
        reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern("/ws/scripts")
public class ScriptSocketServlet extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;
    /** A source of the largest size, escaped in JSON, with room for the rest of the message. */
    static final int MAX_MESSAGE_CHARS = ScriptExecutor.MAX_SOURCE_CHARS * 2 + 4096;

    private final transient ScriptChannel channel;

    @Activate
    public ScriptSocketServlet(@Reference ScriptChannel channel) {
        this.channel = channel;
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(Duration.ofHours(1));
        factory.setMaxTextMessageSize(MAX_MESSAGE_CHARS);
        factory.setMaxBinaryMessageSize(1024);
        factory.setCreator(this::create);
    }

    private Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
        // the gate's verdict: without the token the client is answered but may run nothing
        boolean withToken = Boolean.TRUE.equals(request.getServletAttribute(AccessControl.TOKEN_ATTRIBUTE));
        String refusal = channel.refusal(withToken);
        if (refusal != null) {
            try {
                response.sendError(503, refusal);
            } catch (IOException e) {
                // the client went away
            }
            return null;
        }
        return new ScriptSession(channel, withToken);
    }
}
