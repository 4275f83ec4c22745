package io.earshot.source.remote.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.Capture;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/**
 * One board a stream reads: its audio WebSocket (and config socket), and what the last capture of
 * it ended on, so a reconnection's gap is counted. With {@code configUrl} the stream's config is
 * changed on the board, else the stream follows the board's config. Sequence numbers continue
 * across reconnections with the gap in them (from the board's own numbers in Earshot's header
 * mode, else from the time the stream was away).
 */
final class Remote {

    static final long CONNECT_SECONDS = 5;
    static final SourceCapabilities UNKNOWN = new SourceCapabilities(
            List.of(8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000),
            IntStream.rangeClosed(1, 64).boxed().toList(), 64, 65536);

    private static final int CONNECT_MILLIS = (int) TimeUnit.SECONDS.toMillis(CONNECT_SECONDS);

    private final ObjectMapper json = new ObjectMapper();
    /** Every capture opened or opening and not closed yet: deactivation closes them all. */
    private final Set<RemoteCapture> captures = ConcurrentHashMap.newKeySet();
    private final String url;
    private final String configUrl;
    private final String token;
    private final int queue;
    private final String problem;
    private volatile SourceCapabilities capabilities = UNKNOWN;
    private volatile StreamConfig remoteConfig;
    private volatile RemoteCapture open;
    /** What the last capture ended on, to count a reconnection's gap. */
    volatile long lastSequence = -1;
    /** The remote's capture stamp of that buffer (header mode). */
    volatile long lastCaptureNanos;
    volatile long lastBufferNanos;

    /** @param where where a missing url should be set, for the reason given */
    Remote(String url, String configUrl, String token, int queue, String where) {
        this.url = url == null ? "" : url.trim();
        this.configUrl = configUrl == null ? "" : configUrl.trim();
        this.token = token == null ? "" : token.trim();
        this.queue = Math.max(2, Math.min(256, queue));
        String why = null;
        if (this.url.isEmpty()) {
            why = "no url configured (" + where + ": url=ws://board:7320/ws/audio or ws://board:7321/)";
        } else if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
            why = "url '" + url + "' is not a WebSocket address (ws:// or wss://)";
        } else if (!configUrl.isEmpty() && !configUrl.startsWith("ws://") && !configUrl.startsWith("wss://")) {
            why = "configUrl '" + configUrl + "' is not a WebSocket address (ws:// or wss://)";
        } else {
            why = addressProblem("url", url);
            if (why == null && !configUrl.isEmpty()) why = addressProblem("configUrl", configUrl);
        }
        problem = why;
    }

    /** Whether this reads the board that these settings name. */
    boolean reads(String otherUrl, String otherConfigUrl, String otherToken) {
        return url.equals(otherUrl.trim()) && configUrl.equals(otherConfigUrl.trim()) && token.equals(otherToken.trim());
    }

    String url() {
        return url;
    }

    SourceCapabilities capabilities() {
        return capabilities;
    }

    private static String addressProblem(String name, String address) {
        try {
            URI uri = new URI(address);
            return uri.getHost() == null ? name + " '" + address + "' names no host (ws://HOST:PORT/...)" : null;
        } catch (URISyntaxException e) {
            return name + " '" + address + "' is not an address: " + e.getReason() + " at index " + e.getIndex();
        }
    }

    /** Earshot's audio socket speaks the header mode (sequence numbers); easy-dsp's does not. */
    boolean headerMode() {
        return URI.create(url).getPath().endsWith("/ws/audio");
    }

    private URI withParameters(String address, boolean header) {
        StringBuilder uri = new StringBuilder(address);
        String separator = address.contains("?") ? "&" : "?";
        if (header) {
            uri.append(separator).append("header=1");
            separator = "&";
        }
        if (!token.isEmpty()) {
            uri.append(separator).append("token=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
        }
        return URI.create(uri.toString());
    }

    Capture open(StreamConfig wanted) throws SourceException {
        if (problem != null) {
            throw new SourceException("remote: " + problem);
        }
        RemoteCapture capture = new RemoteCapture(this, wanted, queue, headerMode());
        captures.add(capture);
        try {
            try {
                capture.connect(withParameters(url, headerMode()), CONNECT_MILLIS);
            } catch (SourceException e) {
                throw new SourceException("remote " + url + ": cannot connect (" + e.getMessage() + ")");
            }
            StreamConfig streaming = capture.awaitConfig(CONNECT_SECONDS);
            if (!sameShape(streaming, wanted)) {
                if (configUrl.isEmpty()) {
                    remoteConfig = streaming;
                    capabilities = new SourceCapabilities(List.of(streaming.rate()), List.of(streaming.channels()),
                            streaming.bufferFrames(), streaming.bufferFrames());
                    throw new SourceException("remote " + url + " streams " + describe(streaming) + ", this runtime asked for "
                            + describe(wanted) + "; it now follows the remote (set configUrl to change the remote from here)");
                }
                String answer = change(wanted);
                if (!sameShape(capture.awaitChange(wanted, CONNECT_SECONDS), wanted)) {
                    throw new SourceException("remote " + configUrl + " did not switch to " + describe(wanted) + ": " + answer);
                }
            }
            open = capture;
            return capture;
        } catch (SourceException e) {
            capture.close();
            throw e;
        } catch (InterruptedException e) {
            capture.close();
            Thread.currentThread().interrupt();
            throw new SourceException("remote " + url + ": interrupted while connecting");
        }
    }

    /** Asks the remote's config socket for {@code wanted}; returns its answer (Earshot answers, easy-dsp does not). */
    private String change(StreamConfig wanted) throws SourceException, InterruptedException {
        BlockingQueue<String> answers = new ArrayBlockingQueue<>(1);
        WebSocketConnection.Listener listener = new WebSocketConnection.Listener() {
            @Override public void onText(String text) { answers.offer(text); }
            @Override public void onBinary(byte[] bytes) { }
            @Override public void onClose(int code, String reason) { }
            @Override public void onError(String reason) { }
        };
        String reply;
        try (WebSocketConnection socket = WebSocketConnection.open(withParameters(configUrl, false), listener, CONNECT_MILLIS)) {
            socket.sendText(wanted.toJson());
            reply = answers.poll(2, TimeUnit.SECONDS);
        } catch (SourceException e) {
            throw new SourceException("remote " + configUrl + ": cannot change the config (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new SourceException("remote " + configUrl + ": cannot change the config (" + WebSocketConnection.describe(e) + ")");
        }
        if (reply == null) {
            return "(no answer: an easy-dsp board does not answer)";
        }
        try {
            JsonNode parsed = reply.startsWith("{") ? json.readTree(reply) : null;
            if (parsed != null && parsed.has("ok") && !parsed.get("ok").asBoolean()) {
                throw new SourceException("remote " + configUrl + " refused " + describe(wanted) + ": " + parsed.path("error").asText());
            }
        } catch (IOException e) {
            // not JSON: quoted as it came
        }
        return reply;
    }

    void closed(RemoteCapture capture) {
        captures.remove(capture);
    }

    void remoteConfig(StreamConfig config) {
        remoteConfig = config;
    }

    void remoteCapabilities(List<Integer> rates, List<Integer> channels) {
        if (!configUrl.isEmpty() && !rates.isEmpty() && !channels.isEmpty()) {
            capabilities = new SourceCapabilities(rates, channels, 64, 65536);
        }
    }

    static boolean sameShape(StreamConfig a, StreamConfig b) {
        return a != null && b != null && a.rate() == b.rate() && a.channels() == b.channels() && a.bufferFrames() == b.bufferFrames();
    }

    static String describe(StreamConfig c) {
        return c.rate() + " Hz, " + c.channels() + " channels, " + c.bufferFrames() + " frames";
    }

    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("url", url);
        status.put("config_url", configUrl.isEmpty() ? null : configUrl);
        status.put("problem", problem);
        status.put("header_mode", problem == null && headerMode());
        StreamConfig remote = remoteConfig;
        status.put("remote_config", remote == null ? null : describe(remote));
        RemoteCapture capture = open;
        if (capture != null) {
            status.put("capture", capture.status());
        }
        return status;
    }

    /** Closes every connection, also one still being made (it closes itself when it completes). */
    void closeAll() {
        for (RemoteCapture capture : captures) {
            capture.close();
        }
    }
}
