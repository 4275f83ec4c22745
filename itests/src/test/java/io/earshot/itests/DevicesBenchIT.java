package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.device.client.DeviceClient;

/**
 * What serving devices live Opus costs (issue 18), not a test: run by
 * {@code benchmarks/run-devices.sh} ({@code -Dearshot.bench=true}). A runtime started with
 * bin/earshot (6 channels, 48 kHz, buffers of 4096) serves N devices (the reference client, in
 * this JVM), all listening to channel 0 of the live stream. Each run reads, over a window, the
 * runtime's whole CPU (against the same window before the devices connected), the devices
 * listener thread's CPU (encoding and sending), the encoder's CPU per packet, the packets each
 * device got per second, and the latency from capture to packet sent.
 */
public class DevicesBenchIT {

    private static final String TOKEN = "devices-bench-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Latencies kept per run: 50 devices x 50 packets/s x 60 s. */
    private static final int MAX_SAMPLES = 150_000;

    private static long cpuTicks(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    private static double percentOfCore(long ticks, double seconds) {
        return ticks * 100.0 / 100 / seconds; // the kernel counts 100 ticks a second
    }

    private static JsonNode status(RuntimeProcess runtime) throws Exception {
        return JSON.readTree(runtime.awaitHttp("/api/status", 5));
    }

    private static long listenerCpu(JsonNode status) {
        for (JsonNode l : status.at("/stream/listeners")) {
            if (l.path("name").asText().equals("devices")) return l.path("cpu_ms").asLong();
        }
        throw new AssertionError("no devices listener in " + status.at("/stream/listeners"));
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    @Test
    public void devicesServedLive() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-devices.sh", Boolean.getBoolean("earshot.bench"));
        int count = Integer.getInteger("earshot.bench.devices", 50);
        int seconds = Integer.getInteger("earshot.bench.seconds", 20);
        int runs = Integer.getInteger("earshot.bench.runs", 3);
        int grpcPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            grpcPort = socket.getLocalPort();
        }
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN, 0, Map.of("io.earshot.devices.cfg",
                "enabled=true\nport=" + grpcPort + "\nsharedKey=bench\nmaxDevices=" + Math.max(64, count) + "\n"))) {
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); !status(runtime).at("/devices/serving").asBoolean(); ) {
                if (System.nanoTime() > until) throw new AssertionError("the devices did not start");
                Thread.sleep(200);
            }
            Thread.sleep(3000);
            long idle0 = cpuTicks(runtime.pid());
            Thread.sleep(seconds * 1000L);
            double idle = percentOfCore(cpuTicks(runtime.pid()) - idle0, seconds);
            System.out.printf("DEVICES runtime without devices: %.1f%% of one core%n", idle);
            System.out.println("DEVICES | run | devices | runtime CPU % of a core (extra over none) | listener thread % | encoder us/packet"
                    + " | packets/s per device (min) | dropped | capture to sent ms: median, 95%, max |");
            for (int run = 1; run <= runs; run++) {
                List<DeviceClient> devices = new ArrayList<>();
                long[] latencies = new long[MAX_SAMPLES];
                AtomicLong samples = new AtomicLong();
                AtomicLong[] received = new AtomicLong[count];
                boolean[] measuring = {false};
                try {
                    for (int i = 0; i < count; i++) {
                        DeviceClient d = new DeviceClient("127.0.0.1", grpcPort, "bench-" + i, "bench", 12, 2, 1, null);
                        devices.add(d);
                        AtomicLong mine = received[i] = new AtomicLong();
                        d.live(0, p -> {
                            if (!measuring[0]) return;
                            mine.incrementAndGet();
                            // the frame's last sample was captured 20 ms after its first (the packet's media time)
                            long latency = p.getSentTimeUs() - p.getMediaTimeUs() - 20_000;
                            long n = samples.getAndIncrement();
                            if (n < MAX_SAMPLES) latencies[(int) n] = latency;
                        });
                    }
                    Thread.sleep(3000); // every call open, the JIT settled
                    JsonNode before = status(runtime);
                    long cpu0 = cpuTicks(runtime.pid());
                    measuring[0] = true;
                    long start = System.nanoTime();
                    Thread.sleep(seconds * 1000L);
                    measuring[0] = false;
                    double window = (System.nanoTime() - start) / 1e9;
                    double cpu = percentOfCore(cpuTicks(runtime.pid()) - cpu0, window);
                    JsonNode after = status(runtime);
                    double listener = (listenerCpu(after) - listenerCpu(before)) / 10.0 / window;
                    long dropped = 0;
                    for (JsonNode d : after.at("/devices/devices")) {
                        for (JsonNode c : d.path("audio_calls")) dropped += c.path("dropped").asLong();
                    }
                    long min = Arrays.stream(received).mapToLong(AtomicLong::get).min().orElse(0);
                    int n = (int) Math.min(samples.get(), MAX_SAMPLES);
                    long[] sorted = Arrays.copyOf(latencies, n);
                    Arrays.sort(sorted);
                    System.out.printf("DEVICES | %d | %d | %.1f (+%.1f) | %.1f | %d | %.1f | %d | %.1f, %.1f, %.1f |%n", run, count, cpu, cpu - idle,
                            listener, after.at("/devices/live/encode_cpu_us_per_packet").asLong(), min / window, dropped,
                            sorted[n / 2] / 1000.0, sorted[n * 95 / 100] / 1000.0, sorted[n - 1] / 1000.0);
                    System.out.println("DEVICES live encoders: " + after.at("/devices/live/channels"));
                } finally {
                    for (DeviceClient d : devices) d.close();
                }
                Thread.sleep(2000);
            }
        }
    }
}
