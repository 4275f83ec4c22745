package io.earshot.ingest.browser.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A talker's name as typed, made safe: for a file name ({@code talk-NAME-TIME-ID}, within the
 * recordings' 64 characters of {@code A-Za-z0-9_-}) and for showing (control characters out, length
 * bounded). Whatever comes in (path tricks, control characters, 10 kB, any Unicode) the file name
 * is one the recordings folder takes.
 */
final class TalkNames {

    /** Characters of the name kept in the file name. */
    static final int MAX_SLUG = 32;
    /** Characters of the name kept for showing (sidecar, status). */
    static final int MAX_SHOWN = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private TalkNames() {
    }

    /** Letters with their accents taken off, other runs of characters made one '-': "Zoë / ../x" is "Zoe-x". */
    static String slug(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        String slug = plain.replaceAll("[^A-Za-z0-9_]+", "-").replaceAll("^[-_]+|[-_]+$", "");
        if (slug.length() > MAX_SLUG) slug = slug.substring(0, MAX_SLUG).replaceAll("[-_]+$", "");
        // a name with nothing Latin in it ("日本語") keeps a name of its own: a digest of it
        return slug.isEmpty() ? "u" + digest(name) : slug;
    }

    /** The name for showing: control and format characters dropped, at most {@link #MAX_SHOWN} code points. */
    static String shown(String name) {
        String clean = name.replaceAll("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}]", "").strip();
        return clean.codePointCount(0, clean.length()) <= MAX_SHOWN ? clean
                : clean.substring(0, clean.offsetByCodePoints(0, MAX_SHOWN)) + "…";
    }

    /** The recording's name: {@code talk-SLUG-yyyyMMdd-HHmmss-ID} (UTC), at most 62 characters. */
    static String recording(String name, ZonedDateTime time, String id) {
        return "talk-" + slug(name) + "-" + time.withZoneSameInstant(ZoneOffset.UTC).format(TIME) + "-" + id;
    }

    private static String digest(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 4; i++) hex.append(String.format("%02x", hash[i]));
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
