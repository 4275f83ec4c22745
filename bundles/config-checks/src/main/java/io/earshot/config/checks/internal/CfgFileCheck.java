package io.earshot.config.checks.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lines of a {@code .cfg} file that make Felix FileInstall refuse the whole file: it applies
 * none of the file's values then, says nothing where a user looks, and the configuration stays
 * as it was. Read as FileInstall reads them (properties syntax: {@code #} and {@code !} comments,
 * a trailing backslash continues a line, {@code key=value}, {@code key:value} or
 * {@code key value}). Two such lines are known: an empty key (ConfigAdmin takes no empty key)
 * and a unicode escape (a backslash and u) without four hexadecimal digits (the properties reader throws).
 */
final class CfgFileCheck {

    /** One line FileInstall cannot take, with what would be right. */
    record LineProblem(int line, String text, String problem, String allowed) {

        Map<String, Object> toMap(String file) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("file", file);
            map.put("line", line);
            map.put("text", text);
            map.put("problem", problem);
            map.put("allowed", allowed);
            map.put("consequence", CONSEQUENCE);
            return map;
        }

        String message(String file) {
            return "configuration file " + file + " line " + line + ": '" + text + "' " + problem + "; allowed: " + allowed + "; "
                    + CONSEQUENCE;
        }
    }

    static final String CONSEQUENCE = "FileInstall applies nothing of this file until it is corrected";
    private static final int TEXT_CHARS = 80;
    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\u(.{0,4})");

    private CfgFileCheck() {
    }

    static List<LineProblem> check(String content) {
        List<LineProblem> problems = new ArrayList<>();
        String[] lines = content.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i + 1;
            String start = lines[i].stripLeading();
            if (start.isEmpty() || start.startsWith("#") || start.startsWith("!")) continue;
            StringBuilder logical = new StringBuilder(start);
            while (endsInContinuation(logical) && i + 1 < lines.length) {
                logical.setLength(logical.length() - 1);
                logical.append(lines[++i].stripLeading());
            }
            LineProblem problem = logical.isEmpty() ? null : problem(first, logical.toString());
            if (problem != null) problems.add(problem);
        }
        return problems;
    }

    private static boolean endsInContinuation(CharSequence line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) backslashes++;
        return backslashes % 2 == 1;
    }

    private static LineProblem problem(int number, String line) {
        String text = line.length() <= TEXT_CHARS ? line : line.substring(0, TEXT_CHARS) + "...";
        if (line.charAt(0) == '=' || line.charAt(0) == ':') {
            return new LineProblem(number, text, "has no key before '" + line.charAt(0) + "'",
                    "KEY=VALUE, a key before the '=' (comment lines start with #)");
        }
        Matcher escape = UNICODE_ESCAPE.matcher(line);
        while (escape.find()) {
            if (escape.start() > 0 && endsInContinuation(line.substring(0, escape.start()))) continue; // an escaped backslash
            if (!escape.group(1).matches("[0-9a-fA-F]{4}")) {
                return new LineProblem(number, text, "has \\u" + escape.group(1) + ", which is not a unicode escape",
                        "\\u and four hexadecimal digits (\\u00e9), or \\\\u for a backslash and a u");
            }
        }
        return null;
    }
}
