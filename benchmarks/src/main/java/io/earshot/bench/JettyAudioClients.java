package io.earshot.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/** {@code --client jetty}: every client an {@link AudioClient} on one shared Jetty WebSocket client. */
final class JettyAudioClients implements AudioClients {

    private final WebSocketCoreClient ws;
    private final Options options;

    /** @param ws started by the caller, who also stops it */
    JettyAudioClients(WebSocketCoreClient ws, Options options) {
        this.ws = ws;
        this.options = options;
    }

    @Override
    public String kind() { return "jetty"; }

    @Override
    public Connection connect(URI uri, ClientStats stats, Window window, long timeoutMs) {
        AudioClient client = new AudioClient(stats, window);
        try {
            CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(ws, uri, client);
            request.timeout(timeoutMs, TimeUnit.MILLISECONDS);
            Configuration.ConfigurationCustomizer c = new Configuration.ConfigurationCustomizer();
            c.setIdleTimeout(Duration.ofMillis((long) (options.hardTimeoutSeconds() * 1000)));
            c.setInputBufferSize(options.inputBuffer);
            c.setAutoFragment(true);            // hand over frames as they arrive: no aggregation copy
            c.setMaxFrameSize(Math.max(options.inputBuffer, 65536));
            request.setConfiguration(c);
            CompletableFuture<CoreSession> f = ws.connect(request);
            // the caller waits on this one: done only once the failure is recorded
            CompletableFuture<CoreSession> recorded = f.whenComplete((s, t) -> {
                if (t != null) stats.connectFailed(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
            });
            recorded.whenComplete((s, t) -> {
                if (recorded.isCancelled()) f.cancel(true);   // the caller gave up: abort the upgrade
            });
            client.upgrade(recorded);
        } catch (Exception e) {
            stats.connectFailed(e);
            client.upgrade(CompletableFuture.failedFuture(e));
        }
        return client;
    }

    @Override
    public void close() {
        // the sessions end when the caller stops the WebSocket client
    }
}
