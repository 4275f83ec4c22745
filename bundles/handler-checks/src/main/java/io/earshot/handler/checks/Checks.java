package io.earshot.handler.checks;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks on plain JSON values (maps, lists, numbers, strings) that say what was wrong, for
 * HandlerType implementations. Copied into each handler bundle by bnd.
 */
public final class Checks {

    private Checks() {
    }

    public static Optional<String> unknownKeys(Map<String, Object> map, List<String> allowed, String what) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                return Optional.of("unknown " + what + " '" + key + "'; allowed: " + String.join(", ", allowed));
            }
        }
        return Optional.empty();
    }

    public static boolean isNumber(Object value) {
        return value instanceof Number n && Double.isFinite(n.doubleValue());
    }

    public static boolean isWholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long;
    }

    /** Empty when {@code value} is a list of at most {@code max} finite numbers. */
    public static Optional<String> numbers(Object value, int max, String what) {
        if (!(value instanceof List<?> list)) {
            return Optional.of(what + " must be a list of numbers, got " + kind(value));
        }
        if (list.size() > max) {
            return Optional.of(what + " has " + list.size() + " values; allowed: at most " + max);
        }
        for (int i = 0; i < list.size(); i++) {
            if (!isNumber(list.get(i))) {
                return Optional.of(what + "[" + i + "] must be a finite number, got " + kind(list.get(i)));
            }
        }
        return Optional.empty();
    }

    public static String kind(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return "the string \"" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "\"";
        if (value instanceof Map) return "an object";
        if (value instanceof List) return "a list";
        if (value instanceof Boolean) return "a boolean";
        return "the number " + value;
    }
}
