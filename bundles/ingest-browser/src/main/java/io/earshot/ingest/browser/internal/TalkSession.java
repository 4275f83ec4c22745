package io.earshot.ingest.browser.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One talk's connection. Jetty delivers its messages one at a time, so the talk is fed in order;
 * a message that cannot be taken ends the talk with a reason (a text message, then the close
 * frame's code and reason), and what came before it stays in the file.
 */
public final class TalkSession implements Session.Listener.AutoDemanding {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A close frame's reason holds at most 123 bytes. */
    private static final int MAX_REASON_BYTES = 123;

    private final Talks talks;
    private final String name;
    private final String rate;
    private Session session;
    private Talk talk;

    TalkSession(Talks talks, String name, String rate) {
        this.talks = talks;
        this.name = name;
        this.rate = rate;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        session = opened;
        try {
            talk = talks.begin(name, rate, String.valueOf(opened.getRemoteSocketAddress()));
        } catch (Refusal r) {
            refuse(r);
            return;
        }
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("type", "ready");
        ready.put("talk", talk.id);
        ready.put("name", talk.shown);
        ready.put("rate", talk.rate);
        ready.put("recording", talk.recordingName);
        ready.put("file", talk.recordingName + ".wav");
        // whether the browser source hears it now (resampled when its rate is not the talk's), or it is only saved
        ready.put("source_rate", talks.sourceRate() == 0 ? null : talks.sourceRate());
        ready.put("heard", talks.sourceRate() != 0);
        ready.put("max_seconds", talks.config().maxTalkSeconds());
        ready.put("max_message_bytes", talks.config().maxMessageBytes());
        send(ready);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (talk != null && !talk.ended) talks.feed(talk, payload);
        } catch (Refusal r) {
            refuse(r);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketText(String message) {
        refuse(new Refusal(Refusal.UNSUPPORTED_DATA, "text messages are not taken here: send binary messages of S16LE mono samples"));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (talk != null) talks.end(talk, null); // the talker closed it, or the connection dropped: the file is what came
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (talk == null) return;
        if (cause instanceof MessageTooLargeException) { // Jetty refused a message over maxMessageBytes before it reached us
            talks.end(talk, talks.refuse("too_big", Refusal.TOO_BIG, "a message may hold at most " + talks.config().maxMessageBytes()
                    + " bytes (" + cause.getMessage() + "); the file keeps every sample before it").getMessage());
        } else {
            talks.end(talk, null);
        }
    }

    /** Ends the talk (its file keeps what came before) and says why: a text message, then the close frame. */
    private void refuse(Refusal r) {
        if (talk != null) talks.end(talk, r.getMessage());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "error");
        error.put("error", r.getMessage());
        error.put("code", r.code);
        if (talk != null) {
            error.put("recording", talk.recording == null ? null : talk.recordingName);
            error.put("seconds", talk.seconds());
        }
        send(error);
        session.close(r.code, shortReason(r.getMessage()), Callback.NOOP);
    }

    private void send(Map<String, Object> message) {
        try {
            session.sendText(JSON.writeValueAsString(message), Callback.NOOP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values always serialize", e);
        }
    }

    static String shortReason(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) return reason;
        int end = MAX_REASON_BYTES - 3;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) end--; // not inside a character
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + "...";
    }
}
