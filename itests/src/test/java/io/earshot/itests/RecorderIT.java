package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import io.earshot.api.AudioClip;
import io.earshot.api.Recorder;

/**
 * The Recorder service, as a plugin would use it: half a second of the live stream, as a clip and
 * as WAV bytes; and recordings to disk from the shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RecorderIT extends EarshotTestSupport {

    @Test
    public void recordsHalfASecondOfTheStream() throws Exception {
        await("the stream running", 20, () -> safely(() -> "running".equals(status().at("/stream/capture/state").asText())));
        ServiceReference<Recorder> reference = context.getServiceReference(Recorder.class);
        Recorder recorder = context.getService(reference);
        try {
            CompletableFuture<AudioClip> clip = new CompletableFuture<>();
            recorder.record(Duration.ofMillis(500), clip::complete);
            AudioClip done = clip.get(10, TimeUnit.SECONDS);
            assertEquals(24000, done.frames());
            assertEquals(6, done.config().channels());
            // buffers a busy start made the synthetic source skip would show here, as gaps
            assertTrue("lost: " + done.lostBuffers(), done.lostBuffers() <= 2);
            ByteArrayOutputStream wav = new ByteArrayOutputStream();
            done.writeWav(wav);
            assertEquals(44 + 24000 * 6 * 2, wav.size());
            assertEquals(1L, status().at("/recorder/clips_made").asLong());
        } finally {
            context.ungetService(reference);
        }
    }

    @Test
    public void theShellRecordsToDiskStopsAndLists() throws Exception {
        await("the stream running", 20, () -> safely(() -> "running".equals(status().at("/stream/capture/state").asText())));
        String started = shell("earshot:record shell-take");
        assertTrue(started, started.startsWith("Recording shell-take into ") && started.contains("until earshot:record-stop shell-take"));
        assertTrue(shell("earshot:record 0.5 timed-take").contains("for 0.5 s"));
        assertTrue(shell("earshot:record x/y").startsWith("Not recorded: a name cannot hold a path separator"));
        assertTrue(shell("earshot:record shell-take").startsWith("Not recorded: the name shell-take is taken"));
        await("half a second on disk", 20, () -> safely(() -> status().at("/recordings/recording/0/seconds").asDouble() > 0.5));
        String stopped = shell("earshot:record-stop shell-take");
        assertTrue(stopped, stopped.startsWith("Stopped shell-take: "));
        assertTrue(shell("earshot:record-stop shell-take").startsWith("Not stopped: shell-take is not in progress (stopped)"));
        assertTrue(shell("earshot:record-stop").startsWith("Usage: earshot:record-stop NAME"));
        await("the timed take done", 20, () -> safely(() -> shell("earshot:recordings").contains("done")));
        String list = shell("earshot:recordings");
        assertTrue(list, list.matches("(?s).*shell-take +stopped .*timed-take +done +0\\.50 s .*"));
    }
}
