package io.earshot.ingest.browser.internal;

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
 * {@code /ws/ingest?name=WHO&rate=16000}: one talk per connection, as binary messages of S16LE
 * mono samples; the token is needed (the gate checks it). What is wrong with a talk (its rate,
 * the limits, its messages) is said in a text message and the close reason, after the upgrade:
 * a browser cannot see why an upgrade was refused.
 */
@Component(service = Servlet.class, configurationPid = Talks.PID,
        // served only while the access gate stands: it decides who may talk
        reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern("/ws/ingest")
public class TalkSocketServlet extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;
    /** Talkers send binary messages; a text one is refused, and need not be large for that. */
    static final int MAX_TEXT_BYTES = 4096;

    private final transient Talks talks;
    private final transient IngestConfig config;

    @Activate
    public TalkSocketServlet(@Reference Talks talks, IngestConfig config) {
        this.talks = talks;
        this.config = config;
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(Duration.ofSeconds(config.idleSeconds()));
        factory.setMaxTextMessageSize(MAX_TEXT_BYTES);
        factory.setMaxBinaryMessageSize(config.maxMessageBytes());
        factory.setCreator(this::create);
    }

    Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
        // the gate let this request through; without the token it would not have (EndpointRules)
        if (!Boolean.TRUE.equals(request.getServletAttribute(AccessControl.TOKEN_ATTRIBUTE))) {
            try {
                response.sendError(401, "talking needs the access token (?token=)");
            } catch (IOException e) {
                // the client went away
            }
            return null;
        }
        response.setExtensions(List.of()); // compressing PCM saves little and costs a deflate per message
        return new TalkSession(talks, first(request.getParameterMap().get("name")), first(request.getParameterMap().get("rate")));
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
