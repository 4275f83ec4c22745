package io.earshot.source.alsa.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import io.earshot.api.SourceException;

/**
 * The system's ALSA configuration with one file of the user's loaded on top, so PCMs defined
 * there can be opened by name without touching {@code ~/.asoundrc} or the environment.
 */
final class AlsaConfigTree implements AutoCloseable {

    private final Libasound alsa;
    private Pointer tree;

    private AlsaConfigTree(Libasound alsa, Pointer tree) {
        this.alsa = alsa;
        this.tree = tree;
    }

    static AlsaConfigTree load(Libasound alsa, Path file) throws SourceException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SourceException("ALSA configuration " + file + ": not a readable file");
        }
        AlsaLog.takeLast();
        PointerByReference system = new PointerByReference();
        check(alsa, file, alsa.snd_config_update_ref(system), "reading the system's configuration");
        PointerByReference copy = new PointerByReference();
        try {
            check(alsa, file, alsa.snd_config_copy(copy, system.getValue()), "copying the system's configuration");
        } finally {
            alsa.snd_config_unref(system.getValue());
        }
        PointerByReference input = new PointerByReference();
        try {
            check(alsa, file, alsa.snd_input_stdio_open(input, file.toString(), "r"), "opening it");
            try {
                check(alsa, file, alsa.snd_config_load(copy.getValue(), input.getValue()), "parsing it");
            } finally {
                alsa.snd_input_close(input.getValue());
            }
        } catch (SourceException e) {
            alsa.snd_config_delete(copy.getValue());
            throw e;
        }
        return new AlsaConfigTree(alsa, copy.getValue());
    }

    private static void check(Libasound alsa, Path file, int result, String what) throws SourceException {
        if (result < 0) {
            String said = AlsaLog.takeLast();
            throw new SourceException("ALSA configuration " + file + ": " + alsa.snd_strerror(result) + " (" + what
                    + (said == null ? "" : "; libasound: " + said) + ")");
        }
    }

    Pointer pointer() {
        return tree;
    }

    @Override
    public void close() {
        if (tree != null) {
            alsa.snd_config_delete(tree);
            tree = null;
        }
    }
}
