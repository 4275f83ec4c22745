package io.earshot.devices.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.earshot.devices.v1.Hello;
import io.earshot.devices.v1.LedMode;
import io.earshot.devices.v1.PlaybackReport;

/** What the runtime keeps of one device, online or not: its state, LEDs, queue and calls. */
final class Device {

    /** Audio calls one device may have open at once. */
    static final int MAX_AUDIO_CALLS = 4;

    final String id;
    final Transport transport;
    final Set<AudioCall> audioCalls = ConcurrentHashMap.newKeySet();
    final AtomicLong buttonsAnswered = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    private volatile Hello hello;
    private volatile StatusSession session;
    private volatile LedMode mode;
    private volatile int[] leds = new int[0];
    private volatile long lastSeenMillis = System.currentTimeMillis();
    private volatile PlaybackReport playback;
    private volatile String lastEnd;
    private volatile boolean flashing;

    Device(String id, LedMode mode, Transport transport) {
        this.id = id;
        this.mode = mode;
        this.transport = transport;
    }

    StatusSession session() {
        return session;
    }

    /** @return whether it was known and offline before */
    synchronized boolean online(StatusSession next, Hello hello) {
        boolean returning = connects.getAndIncrement() > 0 && session == null;
        // before the session is visible: no LED frame may overtake the hello reply and the flash
        flashing = true;
        this.session = next;
        this.hello = hello;
        transport.maxChannels(Math.max(1, Math.min(2, hello.getMaxChannels())));
        seen();
        return returning;
    }

    synchronized void offline(StatusSession gone, String why) {
        if (session == gone) {
            session = null;
            lastEnd = why;
            seen();
        }
    }

    boolean isOnline() {
        return session != null;
    }

    int ledCount() {
        Hello h = hello;
        return h == null ? 0 : h.getLedCount();
    }

    /** Between the hello and the end of the connect flash the mode's frames wait. */
    boolean flashing() {
        return flashing;
    }

    void flashed() {
        flashing = false;
    }

    LedMode mode() {
        return mode;
    }

    void mode(LedMode mode) {
        this.mode = mode;
    }

    int[] leds() {
        return leds;
    }

    void leds(int[] leds) {
        this.leds = leds;
    }

    void seen() {
        lastSeenMillis = System.currentTimeMillis();
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    void playback(PlaybackReport report) {
        playback = report;
        seen();
    }

    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        Hello h = hello;
        d.put("id", id);
        d.put("online", isOnline());
        d.put("last_seen", java.time.Instant.ofEpochMilli(lastSeenMillis).toString());
        d.put("connects", connects.get());
        d.put("leds", h == null ? 0 : h.getLedCount());
        d.put("buttons", h == null ? 0 : h.getButtons());
        d.put("max_channels", h == null ? 1 : Math.max(1, h.getMaxChannels()));
        d.put("led_mode", Leds.name(mode));
        int[] frame = leds;
        java.util.List<String> rgb = new java.util.ArrayList<>(frame.length);
        for (int v : frame) rgb.add(String.format("#%06x", v));
        d.put("led_frame", rgb);
        d.put("buttons_answered", buttonsAnswered.get());
        d.put("transport", transport.describe());
        d.put("audio_calls", audioCalls.stream().map(c -> Map.of("source", c.source(), "sent", c.sent(), "dropped", c.dropped())).toList());
        PlaybackReport p = playback;
        if (p != null) d.put("playback", Map.of("last_sequence", p.getLastSequence(), "buffered_ms", p.getBufferedMs(), "underruns", p.getUnderruns()));
        d.put("last_disconnect", lastEnd);
        return d;
    }
}
