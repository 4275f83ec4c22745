package io.earshot.intercom.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.UnsupportedAudioFileException;

import io.earshot.intercom.wire.IntercomWire.Header;

/**
 * Where received clips go: the machine's audio output, or files in a folder. On a thread of its
 * own, so that playing a long clip never stops the connection from reading the next (the
 * runtime would take a client that stops reading for a stalled one).
 */
abstract class ClipOutput {

    /** Clips waiting to be played or saved; beyond it a clip is skipped, and said so. */
    static final int QUEUE_CLIPS = 2;
    /** Saving stops (and says so) while the folder's disk has less free. */
    static final long MIN_FREE_BYTES = 64L * 1024 * 1024;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private record Clip(Header header, byte[] wav) {
    }

    private final BlockingQueue<Clip> queue = new ArrayBlockingQueue<>(QUEUE_CLIPS);

    static ClipOutput saving(Path folder) {
        return new ClipOutput() {
            @Override
            String handle(Header header, byte[] wav) throws IOException {
                if (Files.getFileStore(folder).getUsableSpace() < MIN_FREE_BYTES) {
                    return "not saved: less than " + MIN_FREE_BYTES / (1024 * 1024) + " MB free in " + folder;
                }
                String name = "clip-" + LocalDateTime.now().format(STAMP) + "-" + header.clip();
                for (int n = 1; ; n++) {
                    Path file = folder.resolve(n == 1 ? name + ".wav" : name + "-" + n + ".wav");
                    try {
                        Files.write(file, wav, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                        return "saved to " + file;
                    } catch (FileAlreadyExistsException taken) {
                        // a clip of the same number in the same second: the next name
                    }
                }
            }
        };
    }

    static ClipOutput playing() {
        boolean output = AudioSystem.getSourceLineInfo(new Line.Info(SourceDataLine.class)).length > 0;
        if (!output) {
            IntercomClient.say("this machine has no audio output: clips are received but not played"
                    + " (--save DIR keeps them as WAV files)");
        }
        return new ClipOutput() {
            @Override
            String handle(Header header, byte[] wav) throws IOException {
                if (!output) return "not played: no audio output (--save DIR keeps clips)";
                try {
                    return play(wav);
                } catch (UnsupportedAudioFileException | LineUnavailableException | IllegalArgumentException e) {
                    return "not played: " + e.getMessage();
                }
            }
        };
    }

    /** What was done with the clip, for the line the client prints. */
    abstract String handle(Header header, byte[] wav) throws IOException;

    void start() {
        Thread thread = new Thread(this::drain, "earshot-intercom-output");
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a clip over without waiting: the connection goes on reading. */
    void offer(Header header, byte[] wav) {
        if (!queue.offer(new Clip(header, wav))) {
            IntercomClient.say(describe(header, wav) + " skipped: " + QUEUE_CLIPS + " clips are still waiting to be played");
        }
    }

    private void drain() {
        try {
            while (true) {
                Clip clip = queue.take();
                String done;
                try {
                    done = handle(clip.header(), clip.wav());
                } catch (IOException | RuntimeException e) {
                    done = "failed: " + e;
                }
                IntercomClient.say(describe(clip.header(), clip.wav()) + " " + done);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Header header, byte[] wav) {
        double seconds = (wav.length - 44) / (2.0 * header.rate() * Math.max(1, header.channels()));
        return String.format("clip %d (%.2f s, %d channel%s at %d Hz, %d bytes)", header.clip(), seconds, header.channels(),
                header.channels() == 1 ? "" : "s", header.rate(), wav.length);
    }

    /**
     * Plays a WAV clip to its end. A clip with more channels than the output takes is played as
     * its first two (stereo) channels.
     */
    static String play(byte[] wav) throws IOException, UnsupportedAudioFileException, LineUnavailableException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat format = in.getFormat();
            byte[] pcm = in.readAllBytes();
            String note = "";
            if (!AudioSystem.isLineSupported(new javax.sound.sampled.DataLine.Info(SourceDataLine.class, format))
                    && format.getChannels() > 2) {
                pcm = firstChannels(pcm, format.getChannels(), 2);
                note = " (its first 2 of " + format.getChannels() + " channels)";
                format = new AudioFormat(format.getSampleRate(), 16, 2, true, false);
            }
            SourceDataLine line = AudioSystem.getSourceDataLine(format);
            try {
                line.open(format);
                line.start();
                line.write(pcm, 0, pcm.length);
                line.drain();
            } finally {
                line.close();
            }
            return "played" + note;
        }
    }

    /** The first {@code keep} channels of interleaved 16-bit frames. */
    static byte[] firstChannels(byte[] pcm, int channels, int keep) {
        int frames = pcm.length / (2 * channels);
        byte[] out = new byte[frames * 2 * keep];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(pcm, f * 2 * channels, out, f * 2 * keep, 2 * keep);
        }
        return out;
    }
}
