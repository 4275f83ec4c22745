package io.earshot.recorder.internal;

import static io.earshot.recorder.internal.WavFileTest.CONFIG;
import static io.earshot.recorder.internal.WavFileTest.buffer;
import static io.earshot.recorder.internal.WavFileTest.readWav;
import static io.earshot.recorder.internal.WavFileTest.samplesOf;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;
import io.earshot.http.json.Refusal;

public class DiskRecorderTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();
    private Path folder;

    @Before
    public void folder() {
        folder = temp.getRoot().toPath().resolve("data/recordings");
    }

    private DiskRecorder recorder(long maxFileBytes) {
        DiskRecorder recorder = new DiskRecorder(folder, maxFileBytes);
        recorder.onConfig(CONFIG);
        return recorder;
    }

    private static short[] concat(short[]... parts) {
        int length = 0;
        for (short[] p : parts) length += p.length;
        short[] out = new short[length];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static short[] head(short[] samples, int count) {
        return java.util.Arrays.copyOf(samples, count);
    }

    private JsonNode sidecar(String name) throws Exception {
        return DiskRecording.JSON.readTree(folder.resolve(name + ".json").toFile());
    }

    private static void refused(int status, String message, ThrowingRunnable action) {
        try {
            action.run();
            fail("not refused: expected " + status + " " + message);
        } catch (Refusal e) {
            assertEquals(e.getMessage(), status, e.status());
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    public void writesTheStreamAsItArrivesUntilTheDurationIsReached() throws Exception {
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        DiskRecording recording = recorder.start("talk", 0.03); // 240 frames at 8 kHz
        assertTrue("the sidecar takes the name at once", Files.exists(folder.resolve("talk.json")));
        AudioBuffer b1 = buffer(CONFIG, 7), b2 = buffer(CONFIG, 8), b3 = buffer(CONFIG, 9);
        recorder.onBuffer(b1);
        recorder.onBuffer(b2);
        assertEquals(DiskRecording.State.RECORDING, recording.state());
        recorder.onBuffer(b3);
        assertEquals(DiskRecording.State.DONE, recording.state());
        recorder.onBuffer(buffer(CONFIG, 10)); // after the end: not written

        assertArrayEquals(concat(samplesOf(b1), samplesOf(b2), head(samplesOf(b3), 40 * 3)), readWav(folder.resolve("talk.wav"), CONFIG));
        JsonNode sidecar = sidecar("talk");
        assertEquals("done", sidecar.path("state").asText());
        assertEquals(7, sidecar.path("first_sequence").asLong());
        assertEquals(9, sidecar.path("last_sequence").asLong());
        assertEquals(8000, sidecar.at("/parts/0/config/rate").asInt());
        assertEquals(240, sidecar.at("/parts/0/frames").asLong());
        // the first frame was captured a buffer's duration (less one frame) before the buffer's stamp
        assertEquals(b1.captureNanos() - 99 * 1_000_000_000L / 8000, sidecar.path("first_frame_capture_nanos").asLong());
        assertEquals(0, sidecar.path("gaps").size());

        Map<String, Object> listed = recorder.describe("talk");
        assertEquals("done", listed.get("state"));
        assertEquals(0.03, (Double) listed.get("seconds"), 1e-9);
        assertEquals(44L + 240 * 6, listed.get("bytes"));
        assertEquals(Map.of("container", "WAV", "encoding", "PCM_S16LE", "rate", 8000, "channels", 3), listed.get("format"));
    }

    @Test
    public void lostBuffersAreWrittenAsSilenceAndListedAsGaps() throws Exception {
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        DiskRecording recording = recorder.start("gappy", null);
        AudioBuffer b1 = buffer(CONFIG, 1), b2 = buffer(CONFIG, 2), b5 = buffer(CONFIG, 5);
        recorder.onBuffer(b1);
        recorder.onBuffer(b2);
        recorder.onBuffer(b5); // 3 and 4 lost
        recorder.syncAll();
        assertEquals(2L, recording.describe().get("lost_buffers"));
        recorder.stop("gappy");
        assertEquals(DiskRecording.State.STOPPED, recording.state());

        assertArrayEquals(concat(samplesOf(b1), samplesOf(b2), new short[200 * 3], samplesOf(b5)), readWav(folder.resolve("gappy.wav"), CONFIG));
        JsonNode gap = sidecar("gappy").at("/gaps/0");
        assertEquals(2, gap.path("after_sequence").asLong());
        assertEquals(2, gap.path("buffers").asLong());
        assertEquals(200, gap.path("silence_frames").asLong());
        assertEquals(200 / 8000.0, gap.path("at_seconds").asDouble(), 1e-9);
        assertEquals("gappy.wav", gap.path("file").asText());
        assertEquals("stopped", sidecar("gappy").path("state").asText());
    }

    @Test
    public void aConfigChangeClosesThePartAndGoesOnInANewOne() throws Exception {
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        recorder.start("moved", null);
        StreamConfig wider = new StreamConfig(16000, 5, 160, 80);
        AudioBuffer before = buffer(CONFIG, 1), after = buffer(wider, 2);
        recorder.onBuffer(before);
        recorder.onConfig(wider);
        assertTrue("closed at the change", WavFile.read(folder.resolve("moved.wav")).consistent());
        recorder.onBuffer(after);
        recorder.stop("moved");

        assertArrayEquals(samplesOf(before), readWav(folder.resolve("moved.wav"), CONFIG));
        assertArrayEquals(samplesOf(after), readWav(folder.resolve("moved-002.wav"), wider));
        JsonNode parts = sidecar("moved").path("parts");
        assertEquals(2, parts.size());
        assertEquals(5, parts.at("/1/config/channels").asInt());
        assertEquals(2, parts.at("/1/first_sequence").asLong());
        assertEquals(0, sidecar("moved").path("gaps").size());
        assertEquals(0.0125 + 0.01, (Double) recorder.describe("moved").get("seconds"), 1e-9);
    }

    @Test
    public void aFullPartGoesOnInTheNextWithoutLosingAFrame() throws Exception {
        DiskRecorder recorder = recorder(44 + 250 * 6); // parts of 250 frames
        recorder.start("long", null);
        AudioBuffer b1 = buffer(CONFIG, 1), b2 = buffer(CONFIG, 2), b3 = buffer(CONFIG, 3);
        recorder.onBuffer(b1);
        recorder.onBuffer(b2);
        recorder.onBuffer(b3);
        recorder.stop("long");
        short[] all = concat(samplesOf(b1), samplesOf(b2), samplesOf(b3));
        assertArrayEquals(head(all, 750), readWav(folder.resolve("long.wav"), CONFIG));
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 750, 900), readWav(folder.resolve("long-002.wav"), CONFIG));
        assertEquals(3, sidecar("long").at("/parts/1/first_sequence").asLong());
    }

    @Test
    public void whatACrashLeftIsRepairedAtTheNextStartAndReported() throws Exception {
        DiskRecorder crashed = recorder(WavFile.MAX_FILE_BYTES);
        crashed.start("cut", null);
        AudioBuffer b1 = buffer(CONFIG, 1), b2 = buffer(CONFIG, 2);
        crashed.onBuffer(b1);
        crashed.syncAll();
        crashed.onBuffer(b2); // written, not synced, and never closed: the runtime is killed here
        assertEquals(600, WavFile.read(folder.resolve("cut.wav")).declaredDataBytes());

        DiskRecorder next = recorder(WavFile.MAX_FILE_BYTES);
        assertArrayEquals(concat(samplesOf(b1), samplesOf(b2)), readWav(folder.resolve("cut.wav"), CONFIG));
        JsonNode sidecar = sidecar("cut");
        assertEquals("interrupted", sidecar.path("state").asText());
        assertEquals(200, sidecar.at("/parts/0/frames").asLong());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> repaired = (List<Map<String, Object>>) ((Map<String, Object>) next.status()).get("repaired");
        assertEquals("cut.wav", repaired.get(0).get("file"));
        assertEquals(600L, repaired.get(0).get("header_said_bytes"));
        assertEquals(1200L, repaired.get(0).get("audio_bytes"));
        assertEquals("interrupted", next.describe("cut").get("state"));
        refused(409, "is not in progress (interrupted)", () -> next.stop("cut"));
    }

    @Test
    public void namesAreCheckedBeforeTheyReachTheDisk() {
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        refused(400, "a recording needs a name", () -> recorder.start("", null));
        refused(400, "path separator", () -> recorder.start("a/b", null));
        refused(400, "path separator", () -> recorder.start("..\\b", null));
        refused(400, "cannot hold '..'", () -> recorder.start("..", null));
        refused(400, "at most 64 characters, got 65", () -> recorder.start("a".repeat(65), null));
        refused(400, "'a b' is not a recording name; allowed: 1 to 64 of letters", () -> recorder.start("a b", null));
        refused(400, "later parts", () -> recorder.start("take-002", null));
        refused(400, "seconds must be more than 0", () -> recorder.start("ok", 0.0));
        refused(400, "seconds must be more than 0", () -> recorder.start("ok", Double.NaN));
        refused(400, "not a recording's file", () -> recorder.file("../token.wav"));
        refused(400, "not a recording's file", () -> recorder.file("x-001.wav"));
        refused(404, "no recording named nothing", () -> recorder.stop("nothing"));
        refused(404, "no recording named nothing", () -> recorder.delete("nothing"));
        refused(404, "no file nothing.wav", () -> recorder.file("nothing.wav"));
        assertFalse("nothing was written", Files.exists(folder));
        assertNull(RecordingNames.problem("Take_2-b"));
    }

    @Test
    public void aNameInUseIsRefusedWhetherRecordingOrOnDisk() throws Exception {
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        recorder.start("one", null);
        refused(409, "the name one is taken", () -> recorder.start("one", 5.0));
        refused(409, "is in progress; stop it first", () -> recorder.delete("one"));
        recorder.onBuffer(buffer(CONFIG, 1));
        recorder.stop("one");
        refused(409, "the name one is taken", () -> recorder.start("one", 5.0));
        assertEquals(List.of("one.json", "one.wav"), recorder.delete("one"));
        assertFalse(Files.exists(folder.resolve("one.wav")));
        recorder.start("one", 5.0);
    }

    @Test
    public void refusesWithoutAStreamAndBeyondItsLimit() throws Exception {
        DiskRecorder idle = new DiskRecorder(folder, WavFile.MAX_FILE_BYTES);
        refused(503, "no stream is running yet", () -> idle.start("x", null));
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        for (int i = 0; i < DiskRecorder.MAX_ACTIVE; i++) recorder.start("r" + i, null);
        refused(503, "8 recordings are in progress, the most at once", () -> recorder.start("more", null));
    }

    @Test
    public void anUnwritableFolderRefusesWithTheReasonAndSaysSoInTheStatus() throws Exception {
        Files.createDirectories(folder.getParent());
        Files.writeString(folder, "a file where the folder should be");
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        refused(507, "cannot record into " + folder, () -> recorder.start("x", null));
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) recorder.status();
        assertEquals(folder + " is not a folder; recordings cannot be written", status.get("folder_problem"));
        assertTrue(status.get("errors").toString(), status.get("errors").toString().contains("cannot record into"));
    }

    @Test
    public void aFileDeletedUnderARecordingStopsItAloneWithTheReason() throws Exception {
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        DiskRecording doomed = recorder.start("doomed", null);
        DiskRecording other = recorder.start("other", null);
        recorder.onBuffer(buffer(CONFIG, 1));
        Files.delete(folder.resolve("doomed.wav"));
        recorder.syncAll();
        assertEquals(DiskRecording.State.FAILED, doomed.state());
        assertEquals("doomed.wav was deleted or replaced while recording; what was written to it is lost", doomed.error());
        assertEquals(DiskRecording.State.RECORDING, other.state());
        recorder.onBuffer(buffer(CONFIG, 2));
        recorder.stop("other");
        assertEquals(200 * 3, readWav(folder.resolve("other.wav"), CONFIG).length);
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) recorder.status();
        assertTrue(status.get("errors").toString(), status.get("errors").toString().contains("doomed: doomed.wav was deleted"));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out");
            Thread.sleep(10);
        }
    }

    @Test
    public void aFedRecordingHoldsTheSamplesInTheOrderFedAndIsListedWithItsOrigin() throws Exception {
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        io.earshot.api.FedRecording talk = recorder.open("talk-ann-1", "talk", 16000, 1, Map.of("talker", "Ann"));
        assertTrue("the name is taken on disk at once", Files.exists(folder.resolve("talk-ann-1.json")));
        short[] fed = new short[3000];
        for (int i = 0; i < fed.length; i++) fed[i] = (short) (i * 7 - 9000);
        talk.write(fed, 0, 1000);
        talk.write(fed, 1000, 2000);
        talk.close();
        await(() -> "done".equals(sidecarState("talk-ann-1")));
        assertArrayEquals(fed, readWav(folder.resolve("talk-ann-1.wav"), new StreamConfig(16000, 1, 1, 100)));
        JsonNode sidecar = sidecar("talk-ann-1");
        assertEquals("talk", sidecar.path("origin").asText());
        assertEquals("Ann", sidecar.at("/details/talker").asText());
        assertEquals(3000, sidecar.path("frames").asLong());
        Map<String, Object> listed = recorder.describe("talk-ann-1");
        assertEquals("talk", listed.get("origin"));
        assertEquals("done", listed.get("state"));
        assertEquals(3000 / 16000.0, (Double) listed.get("seconds"), 1e-9);
        try {
            talk.write(fed, 0, 10);
            fail("a write after the end must fail");
        } catch (java.io.IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("has ended"));
        }
    }

    private String sidecarState(String name) {
        try {
            return sidecar(name).path("state").asText();
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    public void aFedRecordingRefusesBadFormatsAndPartialFramesAndCanBeStoppedWithAReason() throws Exception {
        DiskRecorder recorder = recorder(WavFile.MAX_FILE_BYTES);
        for (String name : new String[] {"../x", "a/b", "", "x-002"}) {
            try {
                recorder.open(name, "talk", 16000, 1, Map.of());
                fail("accepted " + name);
            } catch (IllegalArgumentException expected) {
                // the reason is RecordingNames'
            }
        }
        try {
            recorder.open("ok", "Talk!", 16000, 1, Map.of());
            fail("accepted a bad origin");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("origin"));
        }
        io.earshot.api.FedRecording two = recorder.open("stereo", "talk", 8000, 2, Map.of());
        try {
            two.write(new short[3], 0, 3);
            fail("half a frame accepted");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("whole frames"));
        }
        two.write(new short[] {1, 2, 3, 4}, 0, 4);
        two.stop("the connection broke the rules");
        await(() -> "stopped".equals(sidecarState("stereo")));
        assertEquals("the connection broke the rules", sidecar("stereo").path("error").asText());
        assertArrayEquals(new short[] {1, 2, 3, 4}, readWav(folder.resolve("stereo.wav"), new StreamConfig(8000, 2, 1, 100)));
        try {
            recorder.open("stereo", "talk", 8000, 2, Map.of());
            fail("a taken name accepted");
        } catch (java.io.IOException expected) {
            assertTrue(expected.getMessage().contains("taken"));
        }
    }

    @Test
    public void aFedRecordingACrashLeftIsRepairedAtTheNextStartLikeTheStreams() throws Exception {
        DiskRecorder crashed = recorder(WavFile.MAX_FILE_BYTES);
        io.earshot.api.FedRecording talk = crashed.open("talk-cut-1", "talk", 16000, 1, Map.of("talker", "Cut"));
        short[] fed = new short[1600];
        for (int i = 0; i < fed.length; i++) fed[i] = (short) (i + 1);
        talk.write(fed, 0, 800);
        await(() -> folder.resolve("talk-cut-1.wav").toFile().length() == 44 + 1600);
        crashed.syncAll();
        talk.write(fed, 800, 800); // written by the feed thread, not synced, never closed: the runtime is killed here
        await(() -> folder.resolve("talk-cut-1.wav").toFile().length() == 44 + 3200);
        assertEquals(1600, WavFile.read(folder.resolve("talk-cut-1.wav")).declaredDataBytes());

        DiskRecorder next = recorder(WavFile.MAX_FILE_BYTES);
        assertArrayEquals(fed, readWav(folder.resolve("talk-cut-1.wav"), new StreamConfig(16000, 1, 1, 100)));
        JsonNode sidecar = sidecar("talk-cut-1");
        assertEquals("interrupted", sidecar.path("state").asText());
        assertEquals("talk", sidecar.path("origin").asText());
        assertEquals(1600, sidecar.at("/parts/0/frames").asLong());
        assertEquals("talk", next.describe("talk-cut-1").get("origin"));
    }
}
