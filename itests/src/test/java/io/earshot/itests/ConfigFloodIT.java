package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 15: a flood of config changes on /ws/config (1000 {"rate":..} a second for 3 s, with the
 * token) while an audio client listens, in a runtime started with bin/earshot. The hub merges
 * changes that come faster than it may reopen, so the listener keeps its buffers, a client that
 * connects meanwhile gets its first one soon, and every change is answered about one reopen
 * interval late at most. With {@code -Dearshot.bench=true} ({@code benchmarks/run-config-flood.sh})
 * the flood is repeated and the medians printed.
 */
public class ConfigFloodIT {

    private static final String TOKEN = "config-flood-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] RATES = {16000, 48000}; // alternating; the last change (odd) leaves 48 kHz

    /** What one flood did. */
    record Round(int changes, double floodSeconds, double received, double expected, List<Long> firstBufferMillis,
                 int answered, int refused, long lateMedianMillis, long lateMaxMillis, long reopens, long coalesced,
                 int finalRate, int runningRate) {

        double deliveredPercent() {
            return 100 * received / expected;
        }

        long firstBufferMaxMillis() {
            return Collections.max(firstBufferMillis);
        }

        @Override
        public String toString() {
            return String.format("%d changes in %.2f s; listener %d of %.1f expected buffers (%.1f%%); new clients' first"
                            + " buffer %s ms; answers %d (%d refused), late median %d ms, max %d ms; reopens %d, coalesced %d",
                    changes, floodSeconds, (long) received, expected, deliveredPercent(), firstBufferMillis, answered, refused,
                    lateMedianMillis, lateMaxMillis, reopens, coalesced);
        }
    }

    @Test
    public void aFloodOfChangesIsMergedWhileTheStreamFlowsAndEveryChangeIsAnswered() throws Exception {
        boolean bench = Boolean.getBoolean("earshot.bench");
        int runs = bench ? Integer.getInteger("earshot.bench.runs", 5) : 1;
        int perSecond = Integer.getInteger("earshot.bench.rate", 1000);
        int seconds = Integer.getInteger("earshot.bench.seconds", 3);
        HttpClient http = HttpClient.newHttpClient();
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN)) {
            JsonNode changes = JSON.readTree(runtime.awaitHttp("/api/status", 5)).at("/stream/changes");
            long interval = changes.get("min_reopen_interval_ms").asLong();
            assertEquals("the documented default", 250, interval);
            List<Round> rounds = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                Round round = flood(runtime, http, perSecond, seconds);
                System.out.println("CONFIGFLOOD run " + run + ": " + round);
                rounds.add(round);

                assertEquals("every change answered", round.changes(), round.answered());
                assertEquals("none refused", 0, round.refused());
                assertEquals("the last change wins", RATES[(round.changes() - 1) % 2], round.finalRate());
                assertEquals("and runs", round.finalRate(), round.runningRate());
                assertTrue("the listener kept its buffers: " + round, round.deliveredPercent() > 70);
                assertTrue("a new client got its first buffer soon: " + round, round.firstBufferMaxMillis() < 3000);
                assertTrue("answers about one reopen interval late at most: " + round, round.lateMaxMillis() < 3000);
                assertTrue("reopens paced by the interval: " + round,
                        round.reopens() <= (long) (round.floodSeconds() * 1000 / interval) + 3);
            }
            if (runs > 1) {
                System.out.printf("CONFIGFLOOD median of %d runs (%d changes/s for %d s, interval %d ms): listener %.1f%%,"
                                + " new client's first buffer (slowest of the run) %.0f ms, answers late median %.0f ms,"
                                + " max %.0f ms, reopens %.0f%n", runs, perSecond, seconds, interval,
                        median(rounds, Round::deliveredPercent), median(rounds, r -> r.firstBufferMaxMillis()),
                        median(rounds, r -> r.lateMedianMillis()), median(rounds, r -> r.lateMaxMillis()),
                        median(rounds, r -> r.reopens()));
            }
        }
    }

    private static Round flood(RuntimeProcess runtime, HttpClient http, int perSecond, int seconds) throws Exception {
        URI audio = URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio?header=1");
        WsClient config = WsClient.connect(http, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/config?token=" + TOKEN));
        WsClient listener = null;
        try {
            JsonNode start = JSON.readTree(config.ask("{\"rate\":48000,\"channels\":6,\"buffer_frames\":4096,\"volume\":80}"));
            assertTrue(start.toString(), start.get("ok").asBoolean());
            listener = WsClient.connect(http, audio);
            Thread.sleep(1000);
            assertTrue("the listener streams", listener.messages.stream().anyMatch(m -> !m.isText()));
            JsonNode before = JSON.readTree(runtime.awaitHttp("/api/status", 5)).at("/stream/changes");

            int changes = perSecond * seconds;
            long[] sent = new long[changes];
            List<Long> firstBuffers = Collections.synchronizedList(new ArrayList<>());
            long floodStart = System.nanoTime();
            Thread newClients = new Thread(() -> {
                // one new client in the middle of each second of the flood
                for (int s = 0; s < seconds; s++) {
                    LockSupport.parkNanos(floodStart + TimeUnit.MILLISECONDS.toNanos(s * 1000L + 500) - System.nanoTime());
                    long connecting = System.nanoTime();
                    WsClient client = WsClient.connect(http, audio);
                    try {
                        firstBuffers.add(TimeUnit.NANOSECONDS.toMillis(client.nextBinary().arrivalNanos() - connecting));
                    } catch (InterruptedException e) {
                        return;
                    } finally {
                        client.close();
                    }
                }
            }, "new-audio-clients");
            newClients.start();
            for (int i = 0; i < changes; i++) {
                LockSupport.parkNanos(floodStart + i * 1_000_000_000L / perSecond - System.nanoTime());
                sent[i] = System.nanoTime();
                config.send("{\"rate\":" + RATES[i % 2] + "}");
            }
            long floodEnd = System.nanoTime();
            newClients.join(15_000);

            List<WsClient.Message> answers = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (answers.size() < changes && System.nanoTime() < deadline) {
                WsClient.Message m = config.messages.poll(1, TimeUnit.SECONDS);
                if (m != null) answers.add(m);
            }
            int refused = 0;
            List<Long> late = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                if (!JSON.readTree(answers.get(i).text()).get("ok").asBoolean()) refused++;
                late.add(TimeUnit.NANOSECONDS.toMillis(answers.get(i).arrivalNanos() - sent[i]));
            }
            Collections.sort(late);
            int finalRate = answers.isEmpty() ? 0 : JSON.readTree(answers.get(answers.size() - 1).text()).at("/config/rate").asInt();
            JsonNode status = JSON.readTree(runtime.awaitHttp("/api/status", 5)).at("/stream");
            JsonNode after = status.at("/changes");

            // buffers the listener got during the flood, against what the configs it was told of make in that time
            double received = 0;
            double expected = 0;
            double periodNanos = 0;
            long segmentStart = 0;
            for (WsClient.Message m : listener.messages) {
                if (m.isText()) {
                    JsonNode text = JSON.readTree(m.text());
                    if (!text.has("rate")) continue;
                    expected += overlap(segmentStart, m.arrivalNanos(), floodStart, floodEnd) / Math.max(periodNanos, 1);
                    periodNanos = text.get("buffer_frames").asDouble() * 1e9 / text.get("rate").asDouble();
                    segmentStart = m.arrivalNanos();
                } else if (m.arrivalNanos() >= floodStart && m.arrivalNanos() <= floodEnd) {
                    received++;
                }
            }
            expected += overlap(segmentStart, floodEnd, floodStart, floodEnd) / periodNanos;

            return new Round(changes, (floodEnd - floodStart) / 1e9, received, expected, new ArrayList<>(firstBuffers),
                    answers.size(), refused, late.isEmpty() ? -1 : late.get(late.size() / 2),
                    late.isEmpty() ? -1 : late.get(late.size() - 1),
                    after.get("reopens").asLong() - before.get("reopens").asLong(),
                    after.get("coalesced").asLong() - before.get("coalesced").asLong(),
                    finalRate, status.at("/config/rate").asInt());
        } finally {
            config.close();
            if (listener != null) listener.close();
        }
    }

    private static double overlap(long from, long to, long windowFrom, long windowTo) {
        return Math.max(0, Math.min(to, windowTo) - Math.max(from, windowFrom));
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }
}
