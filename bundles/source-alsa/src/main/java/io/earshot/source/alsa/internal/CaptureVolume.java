package io.earshot.source.alsa.internal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Capture volume 0..100: on the first named mixer control the device's mixer has, else as a
 * gain applied to the samples. {@link #describe()} says which, for the status.
 */
abstract class CaptureVolume implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureVolume.class);

    /** Sets the level; a mixer may fail, and then the caller falls back to software gain. */
    abstract void set(int volume);

    /** 1.0 when the mixer does the work; volume/100 for software gain. */
    abstract double softwareGain();

    abstract String describe();

    @Override
    public void close() {
    }

    /** Finds the first of {@code controls} with a capture volume on mixer {@code mixerName}, else software gain. */
    static CaptureVolume open(Libasound alsa, String mixerName, List<String> controls) {
        if (controls.isEmpty()) {
            return new Software("software gain (no mixer controls configured)");
        }
        PointerByReference ref = new PointerByReference();
        int err = alsa.snd_mixer_open(ref, 0);
        if (err < 0) {
            return new Software("software gain (mixer: " + alsa.snd_strerror(err) + ")");
        }
        Pointer mixer = ref.getValue();
        String failure = null;
        if ((err = alsa.snd_mixer_attach(mixer, mixerName)) < 0) {
            failure = "cannot attach mixer " + mixerName + ": " + alsa.snd_strerror(err);
        } else if ((err = alsa.snd_mixer_selem_register(mixer, null, null)) < 0
                || (err = alsa.snd_mixer_load(mixer)) < 0) {
            failure = "mixer " + mixerName + ": " + alsa.snd_strerror(err);
        }
        if (failure == null) {
            for (String control : controls) {
                for (Pointer elem = alsa.snd_mixer_first_elem(mixer); elem != null; elem = alsa.snd_mixer_elem_next(elem)) {
                    if (control.equals(alsa.snd_mixer_selem_get_name(elem))
                            && alsa.snd_mixer_selem_has_capture_volume(elem) != 0) {
                        NativeLongByReference min = new NativeLongByReference();
                        NativeLongByReference max = new NativeLongByReference();
                        if (alsa.snd_mixer_selem_get_capture_volume_range(elem, min, max) == 0
                                && max.getValue().longValue() > min.getValue().longValue()) {
                            return new Mixer(alsa, mixer, elem, mixerName, control,
                                    min.getValue().longValue(), max.getValue().longValue());
                        }
                    }
                }
            }
            failure = "mixer " + mixerName + " has none of the capture controls " + controls;
        }
        alsa.snd_mixer_close(mixer);
        return new Software("software gain (" + failure + ")");
    }

    /** The mixer to use for a PCM name: the card of {@code hw:N,..} / {@code plughw:N,..}, else "default". */
    static String mixerFor(String device) {
        for (String prefix : List.of("hw:", "plughw:", "dsnoop:", "sysdefault:")) {
            if (device.startsWith(prefix)) {
                String card = device.substring(prefix.length()).split(",", 2)[0];
                if (!card.isEmpty()) {
                    return "hw:" + card;
                }
            }
        }
        return "default";
    }

    static final class Software extends CaptureVolume {
        private final String description;
        private volatile double gain = 1;

        Software(String description) {
            this.description = description;
        }

        @Override
        void set(int volume) {
            gain = volume / 100.0;
        }

        @Override
        double softwareGain() {
            return gain;
        }

        @Override
        String describe() {
            return description;
        }
    }

    static final class Mixer extends CaptureVolume {
        private final Libasound alsa;
        private final Pointer mixer;
        private final Pointer elem;
        private final String description;
        private final long min;
        private final long max;

        Mixer(Libasound alsa, Pointer mixer, Pointer elem, String mixerName, String control, long min, long max) {
            this.alsa = alsa;
            this.mixer = mixer;
            this.elem = elem;
            this.min = min;
            this.max = max;
            this.description = "mixer control '" + control + "' on " + mixerName + " (" + min + ".." + max + ")";
        }

        private String failure;
        private boolean closed;

        @Override
        synchronized void set(int volume) {
            long value = min + Math.round((max - min) * (volume / 100.0));
            int err = alsa.snd_mixer_selem_set_capture_volume_all(elem, new NativeLong(value));
            if (err == 0 && alsa.snd_mixer_selem_has_capture_switch(elem) != 0) {
                err = alsa.snd_mixer_selem_set_capture_switch_all(elem, volume > 0 ? 1 : 0);
            }
            failure = err < 0 ? "setting " + value + " failed: " + alsa.snd_strerror(err) : null;
            if (failure != null) {
                LOG.warn("Capture volume on {}: {}", description, failure);
            }
        }

        @Override
        double softwareGain() {
            return 1;
        }

        /** What the control is at now, read back from the device (another program may move it too). */
        @Override
        synchronized String describe() {
            if (closed) {
                return description;
            }
            alsa.snd_mixer_handle_events(mixer);
            NativeLongByReference level = new NativeLongByReference();
            String now = alsa.snd_mixer_selem_get_capture_volume(elem, 0, level) == 0
                    ? ", now " + level.getValue().longValue() : "";
            return description + now + (failure == null ? "" : ", " + failure);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                alsa.snd_mixer_close(mixer);
            }
        }
    }
}
