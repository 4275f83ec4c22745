package io.earshot.source.alsa.internal;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the ALSA tests share: configs, an ALSA configuration file of test PCMs, raw sample files. */
final class TestAlsa {

    private TestAlsa() {
    }

    static AlsaConfig config(String device, Path configFile, int periodFrames, int ringPeriods, long silenceTimeout) {
        return config(device, configFile, periodFrames, ringPeriods, silenceTimeout, "", "Capture");
    }

    static AlsaConfig config(String device, Path configFile, int periodFrames, int ringPeriods, long silenceTimeout,
                             String mixer, String... mixerControls) {
        return new AlsaConfig() {
            @Override public Class<? extends Annotation> annotationType() { return AlsaConfig.class; }
            @Override public String device() { return device; }
            @Override public int periodFrames() { return periodFrames; }
            @Override public int ringPeriods() { return ringPeriods; }
            @Override public String mixer() { return mixer; }
            @Override public String[] mixerControls() { return mixerControls; }
            @Override public String configFile() { return configFile == null ? "" : configFile.toString(); }
            @Override public long silenceTimeout() { return silenceTimeout; }
        };
    }

    /**
     * A sample for every (frame, channel) that is different for each and easy to recompute: a
     * file read back in any other order, or with frames missing, does not match.
     */
    static short sample(long frame, int channel) {
        return (short) ((frame * 7919 + channel * 104729 + (frame >> 8) * 31) & 0xffff);
    }

    static Path rawFile(Path dir, int channels, int frames) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                bytes.putShort(sample(f, c));
            }
        }
        Path file = dir.resolve("samples-" + channels + "ch.raw");
        Files.write(file, bytes.array());
        return file;
    }

    /**
     * PCMs for the tests: {@code earshot_file} plays {@code raw} unpaced through the file plugin;
     * {@code earshot_jack} is a JACK server's 8 capture ports as S16_LE, at the server's one rate
     * and exactly 8 channels, like a fixed-format sound card.
     */
    static Path asoundConf(Path dir, Path raw) throws IOException {
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            ports.append(' ').append(i).append(" system:capture_").append(i + 1);
        }
        String text = ""
                + "pcm.earshot_file {\n"
                + "  type file\n"
                + "  slave.pcm { type null }\n"
                + "  file \"/dev/null\"\n"
                + "  infile \"" + raw + "\"\n"
                + "  format \"raw\"\n"
                + "}\n"
                + "pcm.earshot_jack8 { type jack capture_ports {" + ports + " } }\n"
                + "pcm.earshot_jack { type lfloat slave { pcm \"earshot_jack8\" format FLOAT_LE } }\n";
        Path file = dir.resolve("asound-test.conf");
        Files.writeString(file, text);
        return file;
    }
}
