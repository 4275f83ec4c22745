package io.earshot.bench;

import java.util.Locale;

/** Just enough JSON for this tool: read a number or flag out of a flat message, write values. */
final class Json {

    private Json() { }

    /** The integer value of the first {@code "key": n} in {@code s}, or -1 if absent or not a number. */
    static int intField(String s, String key) {
        int i = valueStart(s, key);
        if (i < 0) return -1;
        int end = i;
        if (end < s.length() && s.charAt(end) == '-') end++;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        try {
            return Integer.parseInt(s.substring(i, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code true} / {@code false} of the first {@code "key": bool}, or null if absent. */
    static Boolean boolField(String s, String key) {
        int i = valueStart(s, key);
        if (i < 0) return null;
        if (s.startsWith("true", i)) return Boolean.TRUE;
        if (s.startsWith("false", i)) return Boolean.FALSE;
        return null;
    }

    /** The string value of the first {@code "key": "..."} (simple escapes only), or null. */
    static String stringField(String s, String key) {
        int i = valueStart(s, key);
        if (i < 0 || i >= s.length() || s.charAt(i) != '"') return null;
        StringBuilder b = new StringBuilder();
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '"') return b.toString();
            if (c == '\\' && j + 1 < s.length()) {
                char e = s.charAt(++j);
                b.append(switch (e) { case 'n' -> '\n'; case 't' -> '\t'; default -> e; });
            } else {
                b.append(c);
            }
        }
        return null;
    }

    private static int valueStart(String s, String key) {
        String quoted = "\"" + key + "\"";
        int i = s.indexOf(quoted);
        if (i < 0) return -1;
        i += quoted.length();
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (i >= s.length() || s.charAt(i) != ':') return -1;
        i++;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** A number for JSON: NaN and infinities (no data) become null. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
