package io.earshot.recorder.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AudioClip;
import io.earshot.api.Recorder;

/** {@code earshot:record SECONDS}: records the stream into a WAV file under data/recordings/. */
@Component(service = RecordCommand.class)
@GogoCommand(scope = "earshot", function = {"record"})
public final class RecordCommand {

    private final Recorder recorder;
    private final Path folder;

    @Activate
    public RecordCommand(@Reference Recorder recorder, BundleContext context) {
        this.recorder = recorder;
        String data = context.getProperty("earshot.data");
        this.folder = (data == null ? Path.of("data") : Path.of(data)).resolve("recordings");
    }

    public String record(double seconds) throws Exception {
        CompletableFuture<AudioClip> clip = new CompletableFuture<>();
        try {
            recorder.record(Duration.ofMillis(Math.round(seconds * 1000)), clip::complete);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "Not recorded: " + e.getMessage();
        }
        AudioClip done = clip.get((long) (seconds * 1000) + 10_000, TimeUnit.MILLISECONDS);
        Files.createDirectories(folder);
        Path file = folder.resolve("earshot-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".wav");
        try (OutputStream out = Files.newOutputStream(file)) {
            done.writeWav(out);
        } catch (IOException e) {
            return "Recorded, but the file could not be written: " + e.getMessage();
        }
        return String.format("Recorded %.2f s (%d channels, %d Hz%s) into %s", done.seconds(), done.config().channels(),
                done.config().rate(), done.lostBuffers() > 0 ? ", " + done.lostBuffers() + " buffers lost" : "", file);
    }
}
