package io.earshot.devices.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Who may connect: a key per device ({@code keys=ID:KEY,ID:KEY}) and an optional shared key. */
final class DeviceKeys {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String ID_RULE = "1 to 64 of A-Z a-z 0-9 . _ -";

    private final Map<String, byte[]> keys;
    private final byte[] shared;

    private DeviceKeys(Map<String, byte[]> keys, byte[] shared) {
        this.keys = keys;
        this.shared = shared;
    }

    /** @throws IllegalArgumentException naming the entry that is not ID:KEY */
    static DeviceKeys parse(String keys, String sharedKey) {
        Map<String, byte[]> parsed = new LinkedHashMap<>();
        for (String entry : keys == null ? new String[0] : keys.split(",")) {
            entry = entry.trim();
            if (entry.isEmpty()) continue;
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("keys: '" + entry + "' is not ID:KEY");
            }
            String id = entry.substring(0, colon).trim();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("keys: device id '" + id + "' must be " + ID_RULE);
            }
            parsed.put(id, entry.substring(colon + 1).trim().getBytes(StandardCharsets.UTF_8));
        }
        byte[] shared = sharedKey == null || sharedKey.isBlank() ? null : sharedKey.trim().getBytes(StandardCharsets.UTF_8);
        return new DeviceKeys(Map.copyOf(parsed), shared);
    }

    int size() {
        return keys.size();
    }

    boolean hasShared() {
        return shared != null;
    }

    /** Why the device may not connect, or null when it may. The reason never tells a key. */
    String refusal(String id, String key) {
        if (id == null || !ID.matcher(id).matches()) {
            return "the device id must be " + ID_RULE + ", got '" + (id == null ? "" : id.length() > 70 ? id.substring(0, 70) + "..." : id) + "'";
        }
        if (keys.isEmpty() && shared == null) {
            return "no device may connect: the runtime has no device keys (keys=ID:KEY or sharedKey= in conf/io.earshot.devices.cfg)";
        }
        byte[] presented = (key == null ? "" : key).getBytes(StandardCharsets.UTF_8);
        byte[] own = keys.get(id);
        // the device's own key wins: a device with a key of its own cannot use the shared one
        boolean ok = own != null ? MessageDigest.isEqual(own, presented) : shared != null && MessageDigest.isEqual(shared, presented);
        if (ok) return null;
        return own != null || shared != null ? "wrong key for device '" + id + "'"
                : "device '" + id + "' has no key here and there is no shared key";
    }
}
