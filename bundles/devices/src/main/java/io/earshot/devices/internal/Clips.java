package io.earshot.devices.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.earshot.http.json.Refusal;

/**
 * The clips a device can play: files uploaded for devices ({@code data/device-clips/NAME.wav})
 * and the recordings ({@code data/recordings/NAME.wav}); an upload shadows a recording of the
 * same name.
 */
final class Clips {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,79}");
    static final String NAME_RULE = "1 to 80 of A-Z a-z 0-9 . _ - (not starting with . or -)";
    /** An upload's size: 64 MiB is about 11 minutes of 48 kHz stereo. */
    static final long MAX_UPLOAD_BYTES = 64L * 1024 * 1024;
    /** Clips listed at most. */
    static final int MAX_LISTED = 1000;

    private final Path uploads;
    private final Path recordings;

    Clips(Path data) {
        this.uploads = data.resolve("device-clips");
        this.recordings = data.resolve("recordings");
    }

    static String name(String clip) throws Refusal {
        String name = clip == null ? "" : clip.endsWith(".wav") ? clip.substring(0, clip.length() - 4) : clip;
        if (!NAME.matcher(name).matches()) throw new Refusal(400, "a clip name is " + NAME_RULE + ", got '" + clip + "'");
        return name;
    }

    /** The file of a clip. */
    Path resolve(String clip) throws Refusal {
        String name = name(clip);
        for (Path folder : List.of(uploads, recordings)) {
            Path file = folder.resolve(name + ".wav");
            if (Files.isRegularFile(file)) return file;
        }
        throw new Refusal(404, "no clip '" + name + "': upload it (POST /api/devices/clips/" + name
                + ") or record it (data/recordings/" + name + ".wav)");
    }

    /** Stores an upload after checking it is a WAV file that plays. */
    Map<String, Object> upload(String clip, InputStream body) throws Refusal, IOException {
        String name = name(clip);
        Files.createDirectories(uploads);
        Path temp = Files.createTempFile(uploads, ".upload-", ".tmp");
        try {
            long size;
            try (InputStream limited = body) {
                size = copyLimited(limited, temp);
            }
            Map<String, Object> described;
            try (ClipReader reader = new ClipReader(temp, 2)) {
                described = describe(name, "upload", reader);
            } catch (IOException e) {
                throw new Refusal(400, "not a clip that plays: " + e.getMessage().replace(temp.getFileName().toString(), name + ".wav"));
            }
            Files.move(temp, uploads.resolve(name + ".wav"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            described.put("bytes", size);
            return described;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static long copyLimited(InputStream in, Path to) throws IOException, Refusal {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (var out = Files.newOutputStream(to)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_UPLOAD_BYTES) throw new Refusal(413, "a clip is at most " + MAX_UPLOAD_BYTES / (1024 * 1024) + " MiB");
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    boolean delete(String clip) throws Refusal, IOException {
        return Files.deleteIfExists(uploads.resolve(name(clip) + ".wav"));
    }

    /** Uploads then recordings, each with its length; at most {@link #MAX_LISTED}. */
    List<Map<String, Object>> list() {
        List<Map<String, Object>> clips = new ArrayList<>();
        for (Path folder : List.of(uploads, recordings)) {
            if (!Files.isDirectory(folder)) continue;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.wav")) {
                for (Path file : files) {
                    if (clips.size() >= MAX_LISTED) return clips;
                    String name = file.getFileName().toString().replaceFirst("\\.wav$", "");
                    if (!NAME.matcher(name).matches()) continue;
                    try (ClipReader reader = new ClipReader(file, 2)) {
                        clips.add(describe(name, folder == uploads ? "upload" : "recording", reader));
                    } catch (IOException notPlayable) {
                        // half-written or foreign: not offered
                    }
                }
            } catch (IOException e) {
                // an unreadable folder offers nothing
            }
        }
        return clips;
    }

    private static Map<String, Object> describe(String name, String kind, ClipReader reader) {
        Map<String, Object> clip = new LinkedHashMap<>();
        clip.put("name", name);
        clip.put("kind", kind);
        clip.put("seconds", reader.frames() / (double) Opus.RATE);
        clip.put("channels", reader.channels());
        return clip;
    }
}
