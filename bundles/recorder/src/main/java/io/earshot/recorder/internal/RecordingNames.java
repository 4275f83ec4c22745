package io.earshot.recorder.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a recording may be called, and the names of its files: {@code NAME.wav}, then
 * {@code NAME-002.wav} ... for the parts after the first, and the sidecar {@code NAME.json}.
 * A name is a file name in the recordings folder, so it is checked before it reaches the disk.
 */
final class RecordingNames {

    static final int MAX_LENGTH = 64;
    /** Part numbers have three digits. */
    static final int MAX_PARTS = 999;
    static final String ALLOWED = "1 to " + MAX_LENGTH + " of letters a-z A-Z, digits, '-' and '_', starting with a letter or digit";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern PART_SUFFIX = Pattern.compile(".*-\\d{3}");
    private static final Pattern FILE = Pattern.compile("(.+?)(?:-(\\d{3}))?\\.(wav|json)");

    private RecordingNames() {
    }

    /** Why {@code name} cannot name a recording, or null when it can. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a recording needs a name: " + ALLOWED;
        }
        if (name.length() > MAX_LENGTH) {
            return "a name has at most " + MAX_LENGTH + " characters, got " + name.length();
        }
        if (name.contains("/") || name.contains("\\")) {
            return "a name cannot hold a path separator ('/' or '\\'): it is a file name in the recordings folder; allowed: " + ALLOWED;
        }
        if (name.contains("..")) {
            return "a name cannot hold '..'; allowed: " + ALLOWED;
        }
        if (!NAME.matcher(name).matches()) {
            return "'" + name + "' is not a recording name; allowed: " + ALLOWED;
        }
        if (PART_SUFFIX.matcher(name).matches()) {
            return "a name cannot end in '-' and three digits, which name a recording's later parts (NAME-002.wav)";
        }
        return null;
    }

    /** The file of part {@code part} (1 is the first). */
    static String partFile(String name, int part) {
        return part == 1 ? name + ".wav" : String.format("%s-%03d.wav", name, part);
    }

    static String sidecarFile(String name) {
        return name + ".json";
    }

    /** A file of a recording: its part (1..), or 0 for the sidecar. */
    record FileName(String recording, int part) {
    }

    /** The recording and part a file name denotes, or null when it is none of a recording's files. */
    static FileName parse(String file) {
        Matcher m = FILE.matcher(file);
        if (!m.matches() || problem(m.group(1)) != null) {
            return null;
        }
        boolean sidecar = m.group(3).equals("json");
        if (m.group(2) == null) {
            return new FileName(m.group(1), sidecar ? 0 : 1);
        }
        int part = Integer.parseInt(m.group(2));
        return sidecar || part < 2 ? null : new FileName(m.group(1), part);
    }
}
