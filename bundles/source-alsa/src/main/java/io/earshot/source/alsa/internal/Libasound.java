package io.earshot.source.alsa.internal;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of alsa-lib's C API that capture, probing, mixer and config loading use, bound by JNA.
 * {@code snd_pcm_uframes_t} and {@code snd_pcm_sframes_t} are C longs: {@link NativeLong}.
 * Every int-returning call returns 0 (or a count) on success and a negative errno on failure.
 */
public interface Libasound extends Library {

    int SND_PCM_STREAM_CAPTURE = 1;
    int SND_PCM_NONBLOCK = 1;
    int SND_PCM_ACCESS_RW_INTERLEAVED = 3;
    int SND_PCM_FORMAT_S16_LE = 2;

    int EAGAIN = 11;
    int EPIPE = 32;
    int ESTRPIPE = 86;

    /** Loads libasound.so.2; throws {@link UnsatisfiedLinkError} where there is none. */
    static Libasound load() {
        return Native.load("asound", Libasound.class);
    }

    // PCM
    int snd_pcm_open(PointerByReference pcm, String name, int stream, int mode);
    int snd_pcm_open_lconf(PointerByReference pcm, String name, int stream, int mode, Pointer lconf);
    int snd_pcm_close(Pointer pcm);
    int snd_pcm_hw_params_malloc(PointerByReference params);
    void snd_pcm_hw_params_free(Pointer params);
    int snd_pcm_hw_params_any(Pointer pcm, Pointer params);
    int snd_pcm_hw_params_set_access(Pointer pcm, Pointer params, int access);
    int snd_pcm_hw_params_set_format(Pointer pcm, Pointer params, int format);
    int snd_pcm_hw_params_test_format(Pointer pcm, Pointer params, int format);
    int snd_pcm_hw_params_set_channels(Pointer pcm, Pointer params, int channels);
    int snd_pcm_hw_params_test_channels(Pointer pcm, Pointer params, int channels);
    int snd_pcm_hw_params_get_channels_max(Pointer params, IntByReference channels);
    int snd_pcm_hw_params_set_rate(Pointer pcm, Pointer params, int rate, int dir);
    int snd_pcm_hw_params_test_rate(Pointer pcm, Pointer params, int rate, int dir);
    int snd_pcm_hw_params_set_rate_resample(Pointer pcm, Pointer params, int allow);
    int snd_pcm_hw_params_set_period_size_near(Pointer pcm, Pointer params, NativeLongByReference frames, IntByReference dir);
    int snd_pcm_hw_params_set_buffer_size_near(Pointer pcm, Pointer params, NativeLongByReference frames);
    int snd_pcm_hw_params_get_period_size(Pointer params, NativeLongByReference frames, IntByReference dir);
    int snd_pcm_hw_params_get_buffer_size(Pointer params, NativeLongByReference frames);
    int snd_pcm_hw_params(Pointer pcm, Pointer params);
    int snd_pcm_start(Pointer pcm);
    int snd_pcm_drop(Pointer pcm);
    int snd_pcm_wait(Pointer pcm, int timeoutMillis);
    NativeLong snd_pcm_readi(Pointer pcm, Pointer buffer, NativeLong frames);
    NativeLong snd_pcm_avail_update(Pointer pcm);
    int snd_pcm_recover(Pointer pcm, int err, int silent);
    String snd_pcm_name(Pointer pcm);

    String snd_strerror(int errnum);

    // device names, as `arecord -L` lists them; get_hint returns memory the caller frees
    int snd_device_name_hint(int card, String iface, PointerByReference hints);
    Pointer snd_device_name_get_hint(Pointer hint, String id);
    int snd_device_name_free_hint(Pointer hints);

    // configuration: the system's tree plus a file of the user's
    int snd_config_update_ref(PointerByReference top);
    int snd_config_unref(Pointer top);
    int snd_config_copy(PointerByReference dst, Pointer src);
    int snd_config_delete(Pointer config);
    int snd_config_load(Pointer config, Pointer in);
    int snd_input_stdio_open(PointerByReference in, String file, String mode);
    int snd_input_close(Pointer in);

    // simple mixer
    int snd_mixer_open(PointerByReference mixer, int mode);
    int snd_mixer_attach(Pointer mixer, String name);
    int snd_mixer_selem_register(Pointer mixer, Pointer options, Pointer classp);
    int snd_mixer_load(Pointer mixer);
    int snd_mixer_close(Pointer mixer);
    Pointer snd_mixer_first_elem(Pointer mixer);
    Pointer snd_mixer_elem_next(Pointer elem);
    String snd_mixer_selem_get_name(Pointer elem);
    int snd_mixer_selem_has_capture_volume(Pointer elem);
    int snd_mixer_selem_get_capture_volume_range(Pointer elem, NativeLongByReference min, NativeLongByReference max);
    int snd_mixer_selem_set_capture_volume_all(Pointer elem, NativeLong value);
    int snd_mixer_selem_get_capture_volume(Pointer elem, int channel, NativeLongByReference value);
    int snd_mixer_handle_events(Pointer mixer);
    int snd_mixer_selem_has_capture_switch(Pointer elem);
    int snd_mixer_selem_set_capture_switch_all(Pointer elem, int value);

    /**
     * libasound's error hook: {@code (file, line, function, err, fmt, ...)}. C varargs cannot be
     * declared; the first arguments after {@code fmt} are read as plain words, which is how
     * integer and pointer varargs are passed on the 64-bit Linux ABIs (x86-64, AArch64). Only as
     * many as {@code fmt} names are ever used.
     */
    interface ErrorHandler extends Callback {
        void invoke(String file, int line, String function, int err, String fmt,
                    Pointer a1, Pointer a2, Pointer a3, Pointer a4);
    }

    int snd_lib_error_set_handler(ErrorHandler handler);
}
