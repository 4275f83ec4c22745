package io.earshot.handler.map.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

import io.earshot.api.HandlerType;
import io.earshot.handler.checks.Checks;

/**
 * {@code base:map}: a room seen from above, for fusing several arrays' directions of arrival into a
 * sound position. Room frame in metres (x to the right, y up), angles in degrees counter-clockwise
 * from the room's +x axis.
 * <p>
 * Parameters, all optional: {@code title}; {@code room} ({@code {width, height}}, the rectangle
 * (0,0)-(width,height); without it the view fits what is drawn); {@code trail} (how many past
 * estimates are drawn, 100 when left out).
 * <p>
 * Data: one object with at least one of {@code arrays} ({@code [{name, x, y, heading, bearing?}]},
 * {@code bearing} a number or null; replaces the arrays drawn), {@code estimate} ({@code {x, y}} or
 * null; appended to the trail) and {@code truth} ({@code [{x, y}]}, true source positions;
 * replaces those drawn).
 */
@Component
@HttpWhiteboardResource(pattern = "/handlers/map/*", prefix = "/handlers/map")
public final class MapHandler implements HandlerType {

    static final String TYPE = "base:map";
    static final List<String> TYPES = List.of(TYPE);
    static final List<String> PARAMS = List.of("title", "room", "trail");
    static final List<String> ROOM_KEYS = List.of("width", "height");
    static final List<String> DATA_KEYS = List.of("arrays", "estimate", "truth");
    static final List<String> ARRAY_KEYS = List.of("name", "x", "y", "heading", "bearing");
    static final List<String> POINT_KEYS = List.of("x", "y");
    /** The largest room side, in metres. */
    static final double MAX_ROOM_METRES = 1000;
    static final int DEFAULT_TRAIL = 100;
    static final int MAX_TRAIL = 10_000;
    static final int MAX_ARRAYS = 64;
    static final int MAX_NAME_CHARS = 64;
    static final int MAX_TRUTH = 16;

    private static final String ARRAY_SHAPE =
            "{\"name\":string,\"x\":number,\"y\":number,\"heading\":number,\"bearing\":number or null}";
    private static final String POINT_SHAPE = "{\"x\":number,\"y\":number}";
    private static final String METRES = "metres in the room frame";
    private static final String DEGREES = "degrees counter-clockwise from the room's +x axis";

    @Override
    public List<String> types() {
        return TYPES;
    }

    @Override
    public String rendererPath() {
        return "/handlers/map/renderer.js";
    }

    @Override
    public Optional<String> checkParams(String type, Map<String, Object> params) {
        Optional<String> unknown = unknownKeys(params, PARAMS, "parameter");
        if (unknown.isPresent()) return unknown;
        Object title = params.get("title");
        if (title != null && !(title instanceof String)) {
            return Optional.of("title must be a string, got " + Checks.kind(title));
        }
        if (params.containsKey("trail")) {
            Object trail = params.get("trail");
            if (!Checks.isWholeNumber(trail) || ((Number) trail).longValue() < 0 || ((Number) trail).longValue() > MAX_TRAIL) {
                return Optional.of("trail must be a whole number 0.." + MAX_TRAIL
                        + " (how many past estimates are drawn; " + DEFAULT_TRAIL + " when left out), got " + Checks.kind(trail));
            }
        }
        return params.containsKey("room") ? checkRoom(params.get("room")) : Optional.empty();
    }

    private static Optional<String> checkRoom(Object room) {
        if (!(room instanceof Map<?, ?> given)) {
            return Optional.of("room must be an object like {\"width\":5,\"height\":4} (metres), got " + Checks.kind(room));
        }
        Optional<String> unknown = unknownKeys(given, ROOM_KEYS, "room key");
        if (unknown.isPresent()) return unknown;
        for (String key : ROOM_KEYS) {
            Object value = given.get(key);
            if (!Checks.isNumber(value) || ((Number) value).doubleValue() <= 0
                    || ((Number) value).doubleValue() > MAX_ROOM_METRES) {
                return Optional.of("room." + key + " must be a number above 0 and at most " + (int) MAX_ROOM_METRES
                        + " (metres), got " + Checks.kind(value));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> checkData(String type, Map<String, Object> params, Object data) {
        if (!(data instanceof Map<?, ?> message)) {
            return Optional.of("data must be an object with at least one of " + String.join(", ", DATA_KEYS)
                    + ", got " + Checks.kind(data));
        }
        Optional<String> unknown = unknownKeys(message, DATA_KEYS, "data key");
        if (unknown.isPresent()) return unknown;
        if (message.isEmpty()) {
            return Optional.of("data must have at least one of " + String.join(", ", DATA_KEYS) + ", got an empty object");
        }
        if (message.containsKey("arrays")) {
            Optional<String> arrays = checkArrays(message.get("arrays"));
            if (arrays.isPresent()) return arrays;
        }
        if (message.containsKey("estimate") && message.get("estimate") != null) {
            Optional<String> estimate = checkPoint(message.get("estimate"), "estimate", " or null");
            if (estimate.isPresent()) return estimate;
        }
        return message.containsKey("truth") ? checkTruth(message.get("truth")) : Optional.empty();
    }

    private static Optional<String> checkArrays(Object value) {
        if (!(value instanceof List<?> arrays)) {
            return Optional.of("arrays must be a list of at most " + MAX_ARRAYS + " " + ARRAY_SHAPE + ", got " + Checks.kind(value));
        }
        if (arrays.size() > MAX_ARRAYS) {
            return Optional.of("arrays has " + arrays.size() + " entries; allowed: at most " + MAX_ARRAYS);
        }
        for (int i = 0; i < arrays.size(); i++) {
            String where = "arrays[" + i + "]";
            if (!(arrays.get(i) instanceof Map<?, ?> array)) {
                return Optional.of(where + " must be " + ARRAY_SHAPE + ", got " + Checks.kind(arrays.get(i)));
            }
            Optional<String> unknown = unknownKeys(array, ARRAY_KEYS, where + " key");
            if (unknown.isPresent()) return unknown;
            Object name = array.get("name");
            if (!(name instanceof String text)) {
                return Optional.of(where + ".name must be a string of 1.." + MAX_NAME_CHARS + " characters, got " + Checks.kind(name));
            }
            int length = text.codePointCount(0, text.length());
            if (length < 1 || length > MAX_NAME_CHARS) {
                return Optional.of(where + ".name must be a string of 1.." + MAX_NAME_CHARS + " characters, got " + length + " characters");
            }
            for (String key : List.of("x", "y")) {
                if (!Checks.isNumber(array.get(key))) {
                    return Optional.of(where + "." + key + " must be a finite number (" + METRES + "), got " + Checks.kind(array.get(key)));
                }
            }
            if (!Checks.isNumber(array.get("heading"))) {
                return Optional.of(where + ".heading must be a finite number (the array's +x axis, in " + DEGREES + "), got "
                        + Checks.kind(array.get("heading")));
            }
            Object bearing = array.get("bearing");
            if (bearing != null && !Checks.isNumber(bearing)) {
                return Optional.of(where + ".bearing must be a finite number (" + DEGREES + ") or null, got " + Checks.kind(bearing));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkTruth(Object value) {
        if (!(value instanceof List<?> truth)) {
            return Optional.of("truth must be a list of at most " + MAX_TRUTH + " " + POINT_SHAPE + ", got " + Checks.kind(value));
        }
        if (truth.size() > MAX_TRUTH) {
            return Optional.of("truth has " + truth.size() + " positions; allowed: at most " + MAX_TRUTH);
        }
        for (int i = 0; i < truth.size(); i++) {
            Optional<String> point = checkPoint(truth.get(i), "truth[" + i + "]", "");
            if (point.isPresent()) return point;
        }
        return Optional.empty();
    }

    /** {@code {"x":number,"y":number}}, both required, nothing else. */
    private static Optional<String> checkPoint(Object value, String where, String orElse) {
        if (!(value instanceof Map<?, ?> point)) {
            return Optional.of(where + " must be " + POINT_SHAPE + orElse + ", got " + Checks.kind(value));
        }
        Optional<String> unknown = unknownKeys(point, POINT_KEYS, where + " key");
        if (unknown.isPresent()) return unknown;
        for (String key : POINT_KEYS) {
            if (!Checks.isNumber(point.get(key))) {
                return Optional.of(where + "." + key + " must be a finite number (" + METRES + "), got " + Checks.kind(point.get(key)));
            }
        }
        return Optional.empty();
    }

    /** As {@link Checks#unknownKeys}, for any map a plugin may pass (its keys need not be strings). */
    private static Optional<String> unknownKeys(Map<?, ?> map, List<String> allowed, String what) {
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                return Optional.of("unknown " + what + " '" + key + "'; allowed: " + String.join(", ", allowed));
            }
        }
        return Optional.empty();
    }
}
