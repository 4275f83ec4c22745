package io.earshot.dashboard.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
 * {@code /ws/ui}: the browser's view of the dashboard. The server speaks, the browser listens:
 * {@code {"types":[..]}}, {@code {"handlers":[..]}}, then {@code {"add":{..}}},
 * {@code {"remove":"id"}}, {@code {"data":{"id":..,"data":..}}} and binary audio (see
 * docs/architecture.md). Only with the access token (the gate's rule): the console it replays may
 * hold what a token holder's plugin printed.
 */
@Component(service = Servlet.class,
        // served only while the access gate stands: it turns away every client without the token
        reference = @Reference(name = "gate", service = AccessControl.class))
@HttpWhiteboardServletPattern("/ws/ui")
public class UiSocketServlet extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;
    static final int MAX_SESSIONS = 64;

    private final transient Browsers browsers;
    private final transient Consumer<UiSession> replay;
    private final AtomicLong nextId = new AtomicLong(1);

    @Activate
    public UiSocketServlet(@Reference Browsers browsers, @Reference ConsoleFeed console, @Reference Handlers handlers) {
        this.browsers = browsers;
        // the console so far, then the types, the handlers and their last data
        this.replay = session -> {
            console.replayTo(session);
            handlers.replayTo(session);
        };
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(Duration.ofHours(1));
        factory.setMaxTextMessageSize(4096);
        factory.setMaxBinaryMessageSize(4096);
        factory.setCreator(this::create);
    }

    private Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
        try {
            if (browsers.count() >= MAX_SESSIONS) {
                response.sendError(503, "already " + MAX_SESSIONS + " browsers on the dashboard, the most it serves");
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return new UiSession(browsers, nextId.getAndIncrement(), replay);
    }
}
