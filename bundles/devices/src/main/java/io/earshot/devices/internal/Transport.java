package io.earshot.devices.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.earshot.devices.v1.PlayState;
import io.earshot.devices.v1.TransportState;
import io.earshot.http.json.Refusal;
import io.grpc.Status;

/**
 * One device's clip queue and player. The clip plays to the device's Audio call of its queue,
 * one 20 ms Opus packet at a time, each sent {@link #LEAD_NANOS} before its time; while no such
 * call is open, or the device does not read, the position holds. Every change happens under this
 * object's lock, which the pacer also takes to send, so a stop, pause or next is in force from
 * the next frame on.
 * <p>
 * A clip enqueued while one plays waits its turn; enqueued "now", it replaces the playing one
 * (which is not put back) and the queue after it stays.
 */
final class Transport {

    static final long LEAD_NANOS = 2 * Opus.FRAME_NANOS;
    /** After a hiccup longer than this (a paused JVM), the clock restarts instead of catching up in a burst. */
    private static final long MAX_CATCH_UP_NANOS = 200_000_000L;

    private final String device;
    private final Clips clips;
    private final int maxQueue;
    private final int bitrate;
    private final int complexity;
    private final Consumer<TransportState> changed;
    private final Deque<String> queue = new ArrayDeque<>();
    private volatile int maxChannels = 1;
    private PlayState state = PlayState.STOPPED;
    private String clip;
    private ClipReader reader;
    private Opus opus;
    private short[] frame;
    private AudioCall call;
    private long nextDue;
    private String error;
    private long clipsPlayed;

    Transport(String device, Clips clips, int maxQueue, int bitrate, int complexity, Consumer<TransportState> changed) {
        this.device = device;
        this.clips = clips;
        this.maxQueue = maxQueue;
        this.bitrate = bitrate;
        this.complexity = complexity;
        this.changed = changed;
    }

    void maxChannels(int channels) {
        maxChannels = channels;
    }

    /** Adds a clip (checked now: a clip that cannot play is refused here, not when its turn comes). */
    void enqueue(String name, boolean now) throws Refusal {
        String clipName = Clips.name(name);
        try (ClipReader check = new ClipReader(clips.resolve(clipName), 2)) {
            if (check.frames() == 0) throw new Refusal(400, "clip '" + clipName + "' is empty");
        } catch (IOException e) {
            throw new Refusal(400, "clip '" + clipName + "' does not play: " + e.getMessage());
        }
        synchronized (this) {
            if (now) {
                queue.addFirst(clipName);
                if (queue.size() > maxQueue) queue.removeLast();
                start(queue.pollFirst());
            } else {
                if (queue.size() >= maxQueue) throw new Refusal(409, "device '" + device + "' has " + maxQueue + " clips waiting, the most it may");
                queue.addLast(clipName);
                if (state == PlayState.STOPPED) start(queue.pollFirst());
            }
            announce();
        }
    }

    /** Plays: resumes a paused clip, or starts the next one. */
    synchronized void play() throws Refusal {
        if (state == PlayState.PAUSED) {
            state = PlayState.PLAYING;
            nextDue = System.nanoTime();
        } else if (state == PlayState.STOPPED) {
            if (queue.isEmpty()) throw new Refusal(409, "nothing to play: device '" + device + "' has no clip waiting");
            start(queue.pollFirst());
        }
        announce();
    }

    synchronized void pause() {
        if (state == PlayState.PLAYING) state = PlayState.PAUSED;
        announce();
    }

    /** Button 1: "play" or "pause", what it did. */
    synchronized String toggle() throws Refusal {
        if (state == PlayState.PLAYING) {
            pause();
            return "pause";
        }
        play();
        return "play";
    }

    /** Ends the clip playing or paused; the queue stays. */
    synchronized void stop() {
        end();
        announce();
    }

    /** Ends the clip and starts the next one, if any. */
    synchronized void next() {
        end();
        if (!queue.isEmpty()) start(queue.pollFirst());
        announce();
    }

    synchronized void clear() {
        queue.clear();
        announce();
    }

    /** The device's Audio call of its queue: a newer one replaces the older. */
    synchronized void attach(AudioCall next) {
        if (call != null && call != next) call.end(Status.ALREADY_EXISTS.withDescription("replaced by a newer Audio call of device '" + device + "'"));
        call = next;
        nextDue = System.nanoTime();
    }

    synchronized void detach(AudioCall gone) {
        if (call == gone) call = null;
    }

    private void start(String name) {
        end();
        try {
            reader = new ClipReader(clips.resolve(name), maxChannels);
            opus = new Opus(reader.channels(), bitrate, complexity);
            frame = new short[Opus.FRAME * reader.channels()];
            clip = name;
            state = PlayState.PLAYING;
            nextDue = System.nanoTime();
            error = null;
        } catch (IOException | Refusal e) {
            error = "clip '" + name + "': " + e.getMessage();
            end();
        }
    }

    private void end() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
        reader = null;
        opus = null;
        clip = null;
        state = PlayState.STOPPED;
    }

    /** The pacer's turn: sends what is due. */
    synchronized void tick(long now) {
        if (call != null && call.ended()) call = null;
        if (state != PlayState.PLAYING || call == null) {
            nextDue = now;
            return;
        }
        if (now - nextDue > MAX_CATCH_UP_NANOS) nextDue = now;
        while (state == PlayState.PLAYING && nextDue - now <= LEAD_NANOS) {
            if (!call.ready(now)) {
                nextDue = now; // the position holds while the device does not read
                return;
            }
            long mediaMicros = reader.producedFrames() * 1_000_000L / Opus.RATE;
            try {
                reader.read(frame);
            } catch (IOException e) {
                error = "clip '" + clip + "': " + e.getMessage();
                next();
                return;
            }
            boolean last = reader.done();
            call.send(opus.encode(frame), reader.channels(), mediaMicros, clip, last, now);
            nextDue += Opus.FRAME_NANOS;
            if (last) {
                clipsPlayed++;
                next();
            }
        }
    }

    private void announce() {
        changed.accept(state());
    }

    synchronized TransportState state() {
        TransportState.Builder s = TransportState.newBuilder().setState(state).addAllQueue(queue)
                .setLastSequence(call == null ? 0 : Math.max(0, call.lastSequence()));
        if (clip != null) {
            s.setClip(clip).setPositionUs(reader.producedFrames() * 1_000_000L / Opus.RATE);
        }
        return s.build();
    }

    synchronized Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", state.name().toLowerCase());
        d.put("clip", clip);
        d.put("position_s", reader == null ? 0.0 : reader.producedFrames() / (double) Opus.RATE);
        d.put("length_s", reader == null ? 0.0 : reader.frames() / (double) Opus.RATE);
        d.put("queue", new ArrayList<>(queue));
        d.put("max_queue", maxQueue);
        d.put("clips_played", clipsPlayed);
        d.put("listening", call != null && !call.ended());
        d.put("error", error);
        return d;
    }
}
