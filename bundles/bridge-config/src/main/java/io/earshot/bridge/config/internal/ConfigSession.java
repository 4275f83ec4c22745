package io.earshot.bridge.config.internal;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** One config connection: every text message gets exactly one JSON answer. */
public final class ConfigSession implements Session.Listener.AutoDemanding {

    private final ConfigRequests requests;
    private final String connectionToken;
    private volatile Session session;

    ConfigSession(ConfigRequests requests, String connectionToken) {
        this.requests = requests;
        this.connectionToken = connectionToken;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        reply(requests.answer(message, connectionToken));
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
