package io.earshot.hub.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Test;

import io.earshot.api.ArrayPose;
import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.AudioSource;
import io.earshot.api.Capture;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceException;
import io.earshot.api.SourceSettings;
import io.earshot.api.StreamConfig;

public class StreamTest {

    private static final StreamConfig START = new StreamConfig(48000, 2, 64, 80);

    /** One source for every stream: each capture writes its stream's {@code level} setting into every sample. */
    static final class SharedSource implements AudioSource {
        final Map<String, SourceSettings> opened = new ConcurrentHashMap<>();
        final Set<String> stalled = ConcurrentHashMap.newKeySet();
        @Override public String id() { return "shared"; }
        @Override public String label() { return "one source, many streams"; }
        @Override public SourceCapabilities capabilities() {
            return new SourceCapabilities(List.of(48000), List.of(2), 16, 1024);
        }
        @Override public SourceCapabilities capabilities(SourceSettings settings) {
            return settings.has("mono") ? new SourceCapabilities(List.of(48000), List.of(1), 16, 1024) : capabilities();
        }
        @Override public Capture open(StreamConfig config) {
            throw new AssertionError("the hub opens with the stream's settings");
        }
        @Override public Capture open(StreamConfig config, SourceSettings settings) throws SourceException {
            opened.put(settings.stream(), settings);
            short level = Short.parseShort(settings.get("level", "7"));
            return new Capture() {
                @Override public long read(short[] into) throws InterruptedException {
                    Thread.sleep(stalled.contains(settings.stream()) ? Long.MAX_VALUE : 1);
                    java.util.Arrays.fill(into, level);
                    return System.currentTimeMillis() * 1_000_000L;
                }
                @Override public Map<String, Object> details() { return Map.of("truth", "level " + level); }
                @Override public void close() { }
            };
        }
        @Override public ArrayPose pose(SourceSettings settings) {
            return settings.has("level") ? new ArrayPose(1, 2, 90) : null;
        }
    }

    static final class Recording implements AudioListener {
        final List<AudioBuffer> buffers = new CopyOnWriteArrayList<>();
        final List<String> configsOf = new CopyOnWriteArrayList<>();
        @Override public void onConfig(String stream, StreamConfig config) { configsOf.add(stream); }
        @Override public void onBuffer(AudioBuffer buffer) { buffers.add(buffer); }
    }

    private final Map<String, AudioSource> sources = new ConcurrentHashMap<>();
    private final SharedSource source = new SharedSource();
    private final List<Stream> started = new CopyOnWriteArrayList<>();

    @After
    public void stop() throws InterruptedException {
        for (Stream stream : started) stream.stop();
    }

    private Stream stream(String id, Map<String, String> settings, String pose) {
        Stream stream = new Stream(new SourceSettings(id, settings), "shared", START, pose, sources::get, 0);
        started.add(stream);
        stream.start();
        return stream;
    }

    private static Recording listen(Stream stream, String name) {
        Recording recording = new Recording();
        ListenerSlot slot = new ListenerSlot(name, stream.stream(), -1, () -> recording, () -> { }, 1024);
        slot.start();
        stream.loop().add(slot);
        return recording;
    }

    @Test
    public void eachStreamOpensTheSourceWithItsOwnSettingsAndNumbersItsOwnBuffers() throws Exception {
        sources.put("shared", source);
        Stream kitchen = stream("kitchen", Map.of("level", "3"), "");
        Stream hall = stream("hall", Map.of("level", "5"), "0.5,4,180");
        Recording inKitchen = listen(kitchen, "k");
        Recording inHall = listen(hall, "h");
        CaptureLoopTest.await("buffers of both", () -> inKitchen.buffers.size() >= 20 && inHall.buffers.size() >= 20);

        assertEquals("3", source.opened.get("kitchen").get("level", null));
        assertEquals("5", source.opened.get("hall").get("level", null));
        for (AudioBuffer buffer : inKitchen.buffers) {
            assertEquals("kitchen", buffer.stream());
            assertEquals(3, buffer.sample(0, 0));
        }
        for (AudioBuffer buffer : inHall.buffers) {
            assertEquals("hall", buffer.stream());
            assertEquals(5, buffer.sample(0, 1));
        }
        for (int i = 1; i < 20; i++) {
            assertEquals(inKitchen.buffers.get(i - 1).sequence() + 1, inKitchen.buffers.get(i).sequence());
        }
        assertTrue(inKitchen.configsOf.contains("kitchen"));
        assertFalse(inKitchen.configsOf.contains("hall"));
        // the configured pose wins over the source's
        assertEquals(new ArrayPose(1, 2, 90), kitchen.pose());
        assertEquals(new ArrayPose(0.5, 4, 180), hall.pose());
        @SuppressWarnings("unchecked")
        Map<String, Object> kitchenSource = (Map<String, Object>) kitchen.status(sources).get("source");
        assertEquals("level 3", kitchenSource.get("truth"));
        assertEquals(Map.of("level", "3"), kitchenSource.get("settings"));
    }

    @Test
    public void aStalledStreamDelaysNoOther() throws Exception {
        sources.put("shared", source);
        source.stalled.add("stuck");
        Stream stuck = stream("stuck", Map.of(), "");
        Stream running = stream("running", Map.of(), "");
        Recording fromStuck = listen(stuck, "s");
        Recording fromRunning = listen(running, "r");
        CaptureLoopTest.await("buffers of the running stream", () -> fromRunning.buffers.size() >= 50);
        assertTrue(fromStuck.buffers.isEmpty());
    }

    @Test
    public void capabilitiesAndChangesFollowTheStreamsSettings() throws Exception {
        sources.put("shared", source);
        Stream mono = stream("mono", Map.of("mono", "yes"), "");
        CaptureLoopTest.await("the mono stream opened", () -> mono.loop().activeSource() != null);
        assertEquals(List.of(1), mono.capabilities().channels());
        assertEquals(1, mono.current().channels());
        assertFalse(mono.requestChange(Map.of("channels", 2)).toCompletableFuture().join().applied());
    }

    @Test
    public void aBadPoseIsReportedAndLeftOut() {
        Stream stream = new Stream(new SourceSettings("x", Map.of()), "none", START, "1,2", sources::get, 0);
        assertNull(stream.pose());
        assertNotNull(stream.poseProblem());
        assertTrue(stream.poseProblem(), stream.poseProblem().contains("x,y,heading"));
    }

    @Test
    public void aListenersStreamPropertyNamesItsStreams() {
        assertEquals(Set.of("main"), HubImpl.StreamIds.of(null).ids());
        assertTrue(HubImpl.StreamIds.of("*").accepts("kitchen"));
        assertTrue(HubImpl.StreamIds.of("kitchen, hall").accepts("hall"));
        assertFalse(HubImpl.StreamIds.of("kitchen").accepts("main"));
        assertTrue(HubImpl.StreamIds.of(new String[] {"a", "b"}).accepts("b"));
        assertTrue(HubImpl.StreamIds.of(List.of("a", "b")).accepts("a"));
    }

    @Test
    public void theSourceGetsTheKeysThatAreNotTheStreamsOwn() {
        Map<String, String> settings = StreamDefinition.settings(Map.of("source", "remote", "url", "ws://board:7320/ws/audio",
                "token", "t", "rate", 16000, "service.pid", "io.earshot.stream~kitchen",
                "felix.fileinstall.filename", "file:/x.cfg"));
        assertEquals(Map.of("url", "ws://board:7320/ws/audio", "token", "t"), settings);
        assertEquals("kitchen", StreamDefinition.idOf("io.earshot.stream~kitchen", Map.of()));
        assertEquals("kitchen-a", StreamDefinition.idOf("io.earshot.stream~kitchen~a", Map.of()));
        assertEquals("hall", StreamDefinition.idOf("io.earshot.stream~kitchen", Map.of("id", " hall ")));
    }
}
