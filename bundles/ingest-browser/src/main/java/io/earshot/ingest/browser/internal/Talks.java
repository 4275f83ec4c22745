package io.earshot.ingest.browser.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.Recordings;
import io.earshot.api.StatusContributor;

/**
 * The talks in progress: their limits, their recordings (through the recorder's
 * {@link Recordings}), and their samples for the browser source. Talk sessions call it; the
 * source's capture reads {@link #current()}.
 */
@Component(service = {Talks.class, StatusContributor.class}, configurationPid = Talks.PID)
@Designate(ocd = IngestConfig.class)
public final class Talks implements StatusContributor {

    static final String PID = "io.earshot.ingest.browser";
    /** The rates a talk may have; the page offers them. */
    static final List<Integer> RATES = List.of(16000, 48000);
    /** A talk's samples waiting for the source, at most; a client sending faster than real time loses the rest there (not in its file). */
    static final int BACKLOG_SECONDS = 5;
    /** Ended talks kept for the status. */
    static final int MAX_RECENT = 16;

    private static final Logger LOG = LoggerFactory.getLogger(Talks.class);

    private final Recordings recordings;
    private volatile IngestConfig config;
    /** In progress, and ended ones the source is still playing out; in the order they began. */
    private final List<Talk> talks = new CopyOnWriteArrayList<>();
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();
    private final AtomicLong started = new AtomicLong();
    /** Refusals and closes by kind: a fixed set of keys. */
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    /** The rate of the open browser source, 0 while it is closed. */
    private volatile int listeningRate;

    @Activate
    public Talks(@Reference Recordings recordings, IngestConfig config) {
        this.recordings = recordings;
        this.config = config;
    }

    /** Limits apply to talks beginning after the change. */
    @Modified
    void modified(IngestConfig changed) {
        this.config = changed;
    }

    IngestConfig config() {
        return config;
    }

    /** A new talk of {@code name} at {@code rate} (the query's text; null when missing: 16000). */
    synchronized Talk begin(String name, String rate, String remote) throws Refusal {
        if (name == null || name.isBlank()) {
            throw refuse("name", Refusal.POLICY, "a talk needs a name: /ws/ingest?name=WHO&rate=16000");
        }
        int hz;
        try {
            hz = rate == null ? RATES.get(0) : Integer.parseInt(rate.strip());
        } catch (NumberFormatException e) {
            hz = -1;
        }
        if (!RATES.contains(hz)) {
            throw refuse("rate", Refusal.POLICY, "rate " + TalkNames.shown(String.valueOf(rate)) + " is not offered; offered: "
                    + RATES.get(0) + " (the default), " + RATES.get(1));
        }
        long talking = talks.stream().filter(t -> !t.ended).count();
        if (talking >= config.maxTalkers()) {
            throw refuse("too_many", Refusal.TRY_LATER, config.maxTalkers() + " talk at once, the most; try again when one ends");
        }
        String id = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        Talk talk = new Talk(id, TalkNames.shown(name), TalkNames.recording(name, ZonedDateTime.now(), id), hz, remote);
        talks.add(talk);
        started.incrementAndGet();
        return talk;
    }

    /** A refusal of {@code kind}, counted in the status. */
    Refusal refuse(String kind, int code, String reason) {
        refused.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        return new Refusal(code, reason);
    }

    /**
     * One binary message of the talk: S16LE mono samples. Saved to the talk's recording (opened
     * with the first samples) and, while the source is open, queued for it at its rate.
     */
    void feed(Talk talk, ByteBuffer message) throws Refusal {
        int bytes = message.remaining();
        if (bytes % 2 != 0) {
            throw refuse("odd_bytes", Refusal.BAD_PAYLOAD, "a message holds whole 16-bit samples, an even number of bytes; this one had "
                    + bytes + " and was left out (the file keeps every sample before it)");
        }
        if (bytes == 0 || talk.ended) return;
        short[] samples = new short[bytes / 2];
        message.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        long limit = (long) config.maxTalkSeconds() * talk.rate;
        int take = (int) Math.min(samples.length, limit - talk.frames);
        if (take > 0) {
            try {
                if (talk.recording == null) {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("talker", talk.shown);
                    details.put("remote", talk.remote);
                    details.put("talk", talk.id);
                    talk.recording = recordings.open(talk.recordingName, "talk", talk.rate, 1, details);
                }
                talk.recording.write(samples, 0, take);
            } catch (IOException | IllegalArgumentException e) {
                throw refuse("cannot_save", Refusal.SERVER_ERROR, "the talk cannot be saved: " + e.getMessage());
            }
            int sourceRate = listeningRate;
            if (sourceRate != 0) {
                short[] heard = talk.forSource(samples, take, sourceRate);
                talk.droppedForSource += talk.sourceRing(sourceRate).offer(heard, 0, heard.length);
            }
            talk.frames += take;
        }
        if (take < samples.length) {
            throw refuse("too_long", Refusal.POLICY, "a talk lasts at most " + config.maxTalkSeconds() + " s; this one was saved up to there");
        }
    }

    /** The talk is over ({@code reason}: null when the talker closed it or the connection dropped). */
    void end(Talk talk, String reason) {
        if (talk.ended) return;
        talk.endReason = reason;
        talk.ended = true;
        if (talk.recording != null) {
            if (reason == null) talk.recording.close();
            else talk.recording.stop(reason);
        }
        if (listeningRate == 0 || talk.ring == null) {
            talks.remove(talk);
        } else {
            // the source plays it out, then removes it; at most maxTalkers of these, the oldest cut short beyond
            List<Talk> lingering = talks.stream().filter(t -> t.ended).toList();
            for (int i = 0; i < lingering.size() - config.maxTalkers(); i++) talks.remove(lingering.get(i));
        }
        synchronized (recent) {
            recent.addFirst(talk.describe());
            while (recent.size() > MAX_RECENT) recent.removeLast();
        }
        LOG.info("Talk {} of '{}' ended after {} s{}: {}", talk.id, talk.shown, String.format("%.2f", talk.seconds()),
                reason == null ? "" : " (" + reason + ")", talk.recording == null ? "nothing sent, nothing saved" : talk.recordingName + ".wav");
    }

    /** The rate the browser source is open at, 0 while it is closed. */
    int sourceRate() {
        return listeningRate;
    }

    /** Talks in progress and those ended still playing out, in the order they began. */
    List<Talk> current() {
        return talks;
    }

    /** The source played out an ended talk. */
    void drained(Talk talk) {
        talks.remove(talk);
    }

    /** The browser source opened at {@code rate}, or closed (0): talks are queued for it, at that rate, from now on. */
    void listening(int rate) {
        listeningRate = rate;
        for (Talk t : talks) {
            SampleRing ring = t.ring;
            if (ring != null) ring.clear();
            t.playing = false;
            if (t.ended) talks.remove(t);
        }
    }

    @Override
    public String statusKey() {
        return "talks";
    }

    @Override
    public Object status() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> now = new ArrayList<>();
        for (Talk t : talks) if (!t.ended) now.add(t.describe());
        out.put("talking", now);
        out.put("started", started.get());
        Map<String, Long> refusals = new LinkedHashMap<>();
        refused.forEach((k, v) -> refusals.put(k, v.get()));
        out.put("refused", refusals);
        synchronized (recent) {
            out.put("recent", new ArrayList<>(recent));
        }
        out.put("source_rate", listeningRate == 0 ? null : listeningRate);
        IngestConfig c = config;
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("talkers", c.maxTalkers());
        limits.put("seconds", c.maxTalkSeconds());
        limits.put("message_bytes", c.maxMessageBytes());
        limits.put("idle_seconds", c.idleSeconds());
        limits.put("rates", RATES);
        limits.put("source_backlog_seconds", BACKLOG_SECONDS);
        out.put("limits", limits);
        return out;
    }
}
