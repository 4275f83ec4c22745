package io.earshot.config.checks.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** One value of a configuration that a component was not given, or a key it does not know. */
record Problem(String pid, String key, String value, String reason, String consequence) {

    String message() {
        return "configuration " + pid + ": " + key + (value == null ? "" : " = '" + value + "'") + " " + reason + "; " + consequence;
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("pid", pid);
        map.put("key", key);
        map.put("value", value);
        map.put("problem", reason);
        map.put("consequence", consequence);
        return map;
    }
}
