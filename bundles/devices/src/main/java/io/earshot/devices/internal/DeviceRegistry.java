package io.earshot.devices.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.devices.v1.ButtonEvent;
import io.earshot.devices.v1.ButtonResponse;
import io.earshot.devices.v1.Hello;
import io.earshot.devices.v1.HelloReply;
import io.earshot.devices.v1.LedMode;
import io.earshot.devices.v1.ServerMessage;
import io.earshot.http.json.Refusal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The devices the runtime knows, online or offline, and what their buttons and LEDs do. */
final class DeviceRegistry {

    /** How long every LED is lit at connect. */
    static final long FLASH_MILLIS = 300;
    /** Refusals remembered for the status. */
    private static final int REFUSALS_KEPT = 10;
    /** Refusals logged a minute at most (a device retrying with a wrong key must not flood the log); all are counted. */
    private static final int REFUSALS_LOGGED_PER_MINUTE = 30;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);

    private final DeviceKeys keys;
    private final Clips clips;
    private final int maxDevices;
    private final int maxQueue;
    private final int bitrate;
    private final int complexity;
    private final LedMode defaultMode;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final Deque<String> lastRefusals = new ArrayDeque<>();
    private long logMinute;
    private int loggedThisMinute;
    private volatile double levelDb = -120;
    private volatile Double azimuth;

    DeviceRegistry(DeviceKeys keys, Clips clips, int maxDevices, int maxQueue, int bitrate, int complexity,
            LedMode defaultMode, ScheduledExecutorService scheduler) {
        this.keys = keys;
        this.clips = clips;
        this.maxDevices = maxDevices;
        this.maxQueue = maxQueue;
        this.bitrate = bitrate;
        this.complexity = complexity;
        this.defaultMode = defaultMode;
        this.scheduler = scheduler;
    }

    Clips clips() {
        return clips;
    }

    /** A refusal counted, kept for the status and logged (at most so many lines a minute). */
    void counted(String refusal) {
        refused.incrementAndGet();
        boolean log;
        synchronized (lastRefusals) {
            lastRefusals.addLast(java.time.Instant.now() + " " + refusal);
            if (lastRefusals.size() > REFUSALS_KEPT) lastRefusals.removeFirst();
            long minute = System.currentTimeMillis() / 60_000;
            if (minute != logMinute) {
                logMinute = minute;
                loggedThisMinute = 0;
            }
            log = loggedThisMinute++ < REFUSALS_LOGGED_PER_MINUTE;
        }
        if (log) LOG.warn("Device refused: {} (at most {} such lines a minute; devices.refused counts all)", refusal, REFUSALS_LOGGED_PER_MINUTE);
    }

    /** Checks the key and finds (or makes room for) the device. */
    Device authenticate(String id, String key) {
        String refusal = keys.refusal(id, key);
        if (refusal != null) {
            counted(refusal);
            throw Status.UNAUTHENTICATED.withDescription(refusal).asRuntimeException();
        }
        synchronized (devices) {
            Device known = devices.get(id);
            if (known != null) return known;
            if (devices.size() >= maxDevices) {
                Optional<Device> forget = devices.values().stream().filter(d -> !d.isOnline() && d.audioCalls.isEmpty())
                        .min(Comparator.comparingLong(Device::lastSeenMillis));
                if (forget.isEmpty()) {
                    throw Status.RESOURCE_EXHAUSTED.withDescription("this runtime serves at most " + maxDevices
                            + " devices (maxDevices in conf/io.earshot.devices.cfg) and all are connected").asRuntimeException();
                }
                forget.get().transport.stop();
                devices.remove(forget.get().id);
            }
            Device device = new Device(id, defaultMode, new Transport(id, clips, maxQueue, bitrate, complexity, state -> {
                Device d = devices.get(id);
                StatusSession s = d == null ? null : d.session();
                if (s != null) s.transport(state);
            }));
            devices.put(id, device);
            return device;
        }
    }

    /** A Hello: the device online, answered at once, then the connect flash and its LEDs. */
    Device connect(Hello hello, StatusSession session) {
        if (hello.getLedCount() > Leds.MAX_LEDS) {
            throw Status.INVALID_ARGUMENT.withDescription("at most " + Leds.MAX_LEDS + " LEDs, not " + hello.getLedCount()).asRuntimeException();
        }
        if (hello.getMaxChannels() > 2) {
            throw Status.INVALID_ARGUMENT.withDescription("max_channels is 1 (mono) or 2 (stereo), not " + hello.getMaxChannels()).asRuntimeException();
        }
        if (hello.getCodecsCount() > 0 && !hello.getCodecsList().contains("opus")) {
            throw Status.INVALID_ARGUMENT.withDescription("this server sends Opus only; the device offers " + hello.getCodecsList()).asRuntimeException();
        }
        Device device = authenticate(hello.getId(), hello.getKey());
        StatusSession previous = device.session();
        if (previous != null && previous != session) {
            previous.end(Status.ALREADY_EXISTS.withDescription("replaced by a newer connection of device '" + device.id + "'"));
        }
        boolean returning = device.online(session, hello);
        session.send(ServerMessage.newBuilder().setHello(HelloReply.newBuilder().setSession(device.id + "-" + device.connects.get())
                .setSampleRate(Opus.RATE).setFrameMs(20).setReturning(returning).setMode(device.mode())).build());
        int[] flash = Leds.all(hello.getLedCount(), Leds.FLASH);
        device.leds(flash);
        session.leds(flash, device.mode(), true);
        session.transport(device.transport.state());
        scheduler.schedule(() -> afterFlash(device, session, returning), FLASH_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Device {} online ({} LEDs, {} buttons{})", device.id, hello.getLedCount(), hello.getButtons(), returning ? ", back" : "");
        return device;
    }

    private void afterFlash(Device device, StatusSession session, boolean returning) {
        if (device.session() != session) return;
        device.flashed();
        if (returning) {
            // whatever it showed when it went away is stale: off first, then its mode
            int[] off = new int[device.ledCount()];
            device.leds(off);
            session.leds(off, device.mode(), false);
        }
        render(device, true);
    }

    void disconnect(StatusSession session, String why) {
        Device device = session.device();
        if (device == null) return;
        boolean was = device.session() == session;
        device.offline(session, why);
        if (was) LOG.info("Device {} offline: {}", device.id, why);
    }

    ButtonResponse button(Device device, ButtonEvent event) {
        device.seen();
        ButtonResponse.Builder response = ButtonResponse.newBuilder().setSequence(event.getSequence()).setButton(event.getButton()).setOk(true);
        if (!event.getPressed()) {
            response.setAction("none");
        } else if (event.getButton() == 1) {
            try {
                response.setAction(device.transport.toggle());
            } catch (Refusal r) {
                response.setAction("none").setOk(false).setError(r.getMessage());
            }
        } else if (event.getButton() == 2) {
            LedMode next = Leds.nextMode(device.mode());
            device.mode(next);
            render(device, true);
            response.setAction("mode:" + Leds.name(next));
        } else {
            response.setAction("none").setOk(false).setError("button " + event.getButton() + " does nothing (1: play/pause, 2: LED mode)");
        }
        device.buttonsAnswered.incrementAndGet();
        return response.build();
    }

    /** The live level changed: the ring of every device in level mode follows. */
    void level(double db) {
        levelDb = db;
        for (Device d : devices.values()) {
            if (d.mode() == LedMode.LED_MODE_LEVEL) render(d, false);
        }
    }

    void azimuth(Double degrees) {
        azimuth = degrees;
        for (Device d : devices.values()) {
            if (d.mode() == LedMode.LED_MODE_DIRECTION) render(d, false);
        }
    }

    /** Sends the device's LEDs if they changed (or always, {@code force}). */
    void render(Device device, boolean force) {
        StatusSession session = device.session();
        if (session == null || device.flashing()) return;
        int[] frame = Leds.render(device.mode(), device.ledCount(), levelDb, azimuth);
        if (!force && Arrays.equals(frame, device.leds())) return;
        device.leds(frame);
        session.leds(frame, device.mode(), false);
    }

    void setMode(String id, String mode) throws Refusal {
        Device device = device(id);
        try {
            device.mode(Leds.mode(mode));
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, e.getMessage());
        }
        render(device, true);
    }

    Device device(String id) throws Refusal {
        Device device = id == null ? null : devices.get(id);
        if (device == null) throw new Refusal(404, "no device '" + id + "'; known: " + new ArrayList<>(devices.keySet()));
        return device;
    }

    List<Device> all() {
        List<Device> list = new ArrayList<>(devices.values());
        list.sort(Comparator.comparing(d -> d.id));
        return list;
    }

    /** The pacer's turn. */
    void tick(long now) {
        for (Device d : devices.values()) d.transport.tick(now);
    }

    void housekeeping(long now) {
        for (Device d : devices.values()) {
            StatusSession s = d.session();
            if (s != null) s.checkStall(now);
        }
    }

    long refused() {
        return refused.get();
    }

    List<String> lastRefusals() {
        synchronized (lastRefusals) {
            return List.copyOf(lastRefusals);
        }
    }

    double levelDb() {
        return levelDb;
    }

    int maxDevices() {
        return maxDevices;
    }

    void endAll(String why) {
        for (Device d : devices.values()) {
            StatusSession s = d.session();
            if (s != null) s.end(Status.UNAVAILABLE.withDescription(why));
            for (AudioCall c : d.audioCalls) c.end(Status.UNAVAILABLE.withDescription(why));
            d.transport.stop();
        }
    }

    static StatusRuntimeException status(Refusal r) {
        Status s = switch (r.status()) {
            case 404 -> Status.NOT_FOUND;
            case 409 -> Status.FAILED_PRECONDITION;
            case 503 -> Status.UNAVAILABLE;
            default -> Status.INVALID_ARGUMENT;
        };
        return s.withDescription(r.getMessage()).asRuntimeException();
    }
}
