package io.earshot.access.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A list setting as people write it in a {@code conf/} file: FileInstall hands a line such as
 * {@code allowedHosts=a.example, b.example} (or {@code ["a","b"]}) over as one string, so each
 * value is split on commas and stripped of brackets, quotes and spaces.
 */
final class ListValue {

    private ListValue() {
    }

    static String[] split(String[] values) {
        List<String> items = new ArrayList<>();
        for (String value : values) {
            String text = value.trim();
            if (text.startsWith("[") && text.endsWith("]")) text = text.substring(1, text.length() - 1);
            for (String item : text.split(",")) {
                String clean = item.trim();
                if (clean.length() >= 2 && clean.startsWith("\"") && clean.endsWith("\"")) {
                    clean = clean.substring(1, clean.length() - 1).trim();
                }
                if (!clean.isEmpty()) items.add(clean);
            }
        }
        return items.toArray(String[]::new);
    }
}
