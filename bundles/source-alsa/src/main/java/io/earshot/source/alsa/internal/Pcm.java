package io.earshot.source.alsa.internal;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/**
 * One open capture PCM. Every failure becomes a {@link SourceException} that reads
 * "device NAME: ALSA's reason", so the status and the config bridge can show it as it is.
 */
final class Pcm implements AutoCloseable {

    /** Rates offered when the device takes them: the usual set of sound cards and easy-dsp. */
    static final List<Integer> USUAL_RATES = List.of(8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192000);
    /** Channel counts beyond this are not offered even when a (plug) device would take them. */
    static final int MAX_CHANNELS = 64;

    /** What the device said it can do, in S16_LE interleaved. */
    record Probe(List<Integer> rates, List<Integer> channels) {
    }

    /** What the device agreed to. */
    record Negotiated(int periodFrames, int bufferFrames) {
    }

    private final Libasound alsa;
    private final String device;
    private Pointer handle;

    private Pcm(Libasound alsa, String device, Pointer handle) {
        this.alsa = alsa;
        this.device = device;
        this.handle = handle;
    }

    /** Opens {@code device} for non-blocking capture, resolving its name in {@code config} when given. */
    static Pcm open(Libasound alsa, String device, AlsaConfigTree config) throws SourceException {
        AlsaLog.takeLast();
        PointerByReference ref = new PointerByReference();
        int err = config == null
                ? alsa.snd_pcm_open(ref, device, Libasound.SND_PCM_STREAM_CAPTURE, Libasound.SND_PCM_NONBLOCK)
                : alsa.snd_pcm_open_lconf(ref, device, Libasound.SND_PCM_STREAM_CAPTURE, Libasound.SND_PCM_NONBLOCK, config.pointer());
        if (err < 0) {
            String said = AlsaLog.takeLast();
            throw new SourceException("device " + device + ": " + alsa.snd_strerror(err) + " (cannot open for capture"
                    + (said == null ? "" : "; libasound: " + said) + ")");
        }
        return new Pcm(alsa, device, ref.getValue());
    }

    String device() {
        return device;
    }

    Pointer handle() {
        return handle;
    }

    /** Which of the usual rates and which channel counts (1..64) the device takes in S16_LE. */
    Probe probe() throws SourceException {
        Pointer params = allocParams();
        try {
            check(alsa.snd_pcm_hw_params_any(handle, params), "reading its hardware parameters");
            check(alsa.snd_pcm_hw_params_set_access(handle, params, Libasound.SND_PCM_ACCESS_RW_INTERLEAVED), "interleaved access");
            check(alsa.snd_pcm_hw_params_set_format(handle, params, Libasound.SND_PCM_FORMAT_S16_LE), "format S16_LE");
            List<Integer> rates = new ArrayList<>();
            for (int rate : USUAL_RATES) {
                if (alsa.snd_pcm_hw_params_test_rate(handle, params, rate, 0) == 0) rates.add(rate);
            }
            IntByReference max = new IntByReference();
            alsa.snd_pcm_hw_params_get_channels_max(params, max);
            int upTo = max.getValue() <= 0 ? MAX_CHANNELS : Math.min(MAX_CHANNELS, max.getValue());
            List<Integer> channels = new ArrayList<>();
            for (int n = 1; n <= upTo; n++) {
                if (alsa.snd_pcm_hw_params_test_channels(handle, params, n) == 0) channels.add(n);
            }
            if (rates.isEmpty() || channels.isEmpty()) {
                throw new SourceException("device " + device + ": takes none of the rates " + USUAL_RATES
                        + " or no channel count 1.." + MAX_CHANNELS + " in S16_LE");
            }
            return new Probe(rates, channels);
        } finally {
            alsa.snd_pcm_hw_params_free(params);
        }
    }

    /**
     * Sets S16_LE interleaved at the config's rate and channels, a period near
     * {@code periodFrames} and a ring of {@code periods} periods; the device may round both.
     */
    Negotiated configure(StreamConfig config, int periodFrames, int periods) throws SourceException {
        Pointer params = allocParams();
        try {
            check(alsa.snd_pcm_hw_params_any(handle, params), "reading its hardware parameters");
            check(alsa.snd_pcm_hw_params_set_access(handle, params, Libasound.SND_PCM_ACCESS_RW_INTERLEAVED), "interleaved access");
            check(alsa.snd_pcm_hw_params_set_format(handle, params, Libasound.SND_PCM_FORMAT_S16_LE), "format S16_LE");
            check(alsa.snd_pcm_hw_params_set_channels(handle, params, config.channels()), "channels " + config.channels());
            check(alsa.snd_pcm_hw_params_set_rate(handle, params, config.rate(), 0), "rate " + config.rate());
            NativeLongByReference period = new NativeLongByReference(new NativeLong(periodFrames));
            check(alsa.snd_pcm_hw_params_set_period_size_near(handle, params, period, new IntByReference()),
                    "period of " + periodFrames + " frames");
            NativeLongByReference ring = new NativeLongByReference(new NativeLong((long) period.getValue().longValue() * periods));
            check(alsa.snd_pcm_hw_params_set_buffer_size_near(handle, params, ring), "buffer of " + periods + " periods");
            check(alsa.snd_pcm_hw_params(handle, params), "applying " + config.rate() + " Hz, " + config.channels() + " channels");
            NativeLongByReference gotPeriod = new NativeLongByReference();
            NativeLongByReference gotRing = new NativeLongByReference();
            check(alsa.snd_pcm_hw_params_get_period_size(params, gotPeriod, new IntByReference()), "reading the period size");
            check(alsa.snd_pcm_hw_params_get_buffer_size(params, gotRing), "reading the buffer size");
            return new Negotiated((int) gotPeriod.getValue().longValue(), (int) gotRing.getValue().longValue());
        } finally {
            alsa.snd_pcm_hw_params_free(params);
        }
    }

    void start() throws SourceException {
        check(alsa.snd_pcm_start(handle), "starting capture");
    }

    /** Throws "device NAME: reason (while WHAT)" for a negative result. */
    int check(int result, String what) throws SourceException {
        if (result < 0) {
            throw new SourceException("device " + device + ": " + alsa.snd_strerror(result) + " (" + what + ")");
        }
        return result;
    }

    private Pointer allocParams() throws SourceException {
        PointerByReference ref = new PointerByReference();
        check(alsa.snd_pcm_hw_params_malloc(ref), "allocating hardware parameters");
        return ref.getValue();
    }

    @Override
    public void close() {
        if (handle != null) {
            alsa.snd_pcm_drop(handle);
            alsa.snd_pcm_close(handle);
            handle = null;
        }
    }
}
