package io.earshot.bridge.config.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One config connection: every text message gets exactly one JSON answer. Messages are not held
 * up by the answers of those before them, so a refusal may overtake changes still waiting for
 * the source to reopen.
 */
public final class ConfigSession implements Session.Listener.AutoDemanding {

    private final ConfigRequests requests;
    private final boolean connectedWithToken;
    private final Census census;
    private volatile Session session;

    /** The open connections of one endpoint, with and without the token. */
    static final class Census {
        private final AtomicInteger all = new AtomicInteger();
        private final AtomicInteger withoutToken = new AtomicInteger();

        String refusal(boolean withToken, int max, int maxWithoutToken) {
            if (all.get() >= max) {
                return "already " + max + " config connections, the most served; close one";
            }
            if (!withToken && withoutToken.get() >= maxWithoutToken) {
                return "already " + maxWithoutToken + " config connections without the access token, the most served"
                        + " (the other places are kept for connections with it)";
            }
            return null;
        }
    }

    ConfigSession(ConfigRequests requests, boolean connectedWithToken, Census census) {
        this.requests = requests;
        this.connectedWithToken = connectedWithToken;
        this.census = census;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        census.all.incrementAndGet();
        if (!connectedWithToken) census.withoutToken.incrementAndGet();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        census.all.decrementAndGet();
        if (!connectedWithToken) census.withoutToken.decrementAndGet();
    }

    @Override
    public void onWebSocketText(String message) {
        requests.answer(message, connectedWithToken).thenAccept(this::reply);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        reply("{\"ok\":false,\"error\":\"binary messages are not accepted; send the config as JSON text\"}");
    }

    private void reply(String answer) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendText(answer, Callback.NOOP);
        }
    }
}
