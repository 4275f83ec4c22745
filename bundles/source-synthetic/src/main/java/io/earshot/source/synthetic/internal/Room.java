package io.earshot.source.synthetic.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.ArrayPose;
import io.earshot.api.Streams;

/**
 * A simulated room, read from its scene file: its size, talkers walking closed paths and arrays
 * standing in it, in metres on the room's floor plan (x to the east, y to the north, headings
 * degrees counter-clockwise from +x). Free field: direct sound only, level falling as 1/distance.
 */
record Room(double width, double height, double snrDb, double speedOfSound, long seed,
            List<Talker> talkers, List<Placement> arrays) {

    static final double MAX_SIDE_M = 1000;
    static final int MAX_TALKERS = 8;
    static final int MAX_ARRAYS = 16;
    static final int MAX_WAYPOINTS = 256;
    static final long MAX_FILE_BYTES = 256 * 1024;
    /** The distance at which {@code snr_db} holds; nearer is louder, farther quieter, as 1/distance. */
    static final double SNR_REFERENCE_M = 2.0;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ROOM_KEYS = Set.of("room", "snr_db", "speed_of_sound", "seed", "talkers", "arrays");
    private static final Set<String> TALKER_KEYS = Set.of("name", "path", "speed_mps", "tone_hz", "speech", "level_db");
    private static final Set<String> ARRAY_KEYS = Set.of("id", "x", "y", "heading", "radius");

    /** A sound source: a voice walking its path round and round at a steady speed (standing, with one point). */
    record Talker(String name, double[][] path, double speed, double toneHz, boolean speech, double levelDb) {

        /** Where the talker is {@code seconds} after the room started. */
        double[] at(double seconds) {
            if (path.length == 1 || speed == 0) return path[0].clone();
            double perimeter = 0;
            for (int i = 0; i < path.length; i++) perimeter += segment(i);
            double along = (speed * seconds) % perimeter;
            if (along < 0) along += perimeter;
            for (int i = 0; ; i = (i + 1) % path.length) {
                double length = segment(i);
                if (along <= length || length == perimeter) {
                    double[] a = path[i], b = path[(i + 1) % path.length];
                    double f = length == 0 ? 0 : along / length;
                    return new double[] {a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])};
                }
                along -= length;
            }
        }

        private double segment(int i) {
            double[] a = path[i], b = path[(i + 1) % path.length];
            return Math.hypot(b[0] - a[0], b[1] - a[1]);
        }
    }

    /** An array of the room: its stream id, its pose, the radius of its circle of microphones. */
    record Placement(String id, ArrayPose pose, double radius) { }

    static Room read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("scene file " + file + " does not exist");
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("scene file " + file + " has " + Files.size(file) + " bytes; allowed: at most " + MAX_FILE_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("scene file " + file + " is not JSON: " + e.getOriginalMessage());
        }
        return parse(root);
    }

    static Room parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a scene is a JSON object with room, talkers and arrays");
        }
        unknownKeys(root, ROOM_KEYS, "the scene");
        JsonNode size = root.path("room");
        double width = number(size, "width", "room", 0.5, MAX_SIDE_M, null);
        double height = number(size, "height", "room", 0.5, MAX_SIDE_M, null);
        double snr = number(root, "snr_db", "the scene", -20, 120, 20.0);
        double speedOfSound = number(root, "speed_of_sound", "the scene", 300, 400, Scene.SPEED_OF_SOUND);
        long seed = root.path("seed").asLong(1);

        List<Talker> talkers = new ArrayList<>();
        JsonNode talkerList = list(root, "talkers", 1, MAX_TALKERS);
        for (int i = 0; i < talkerList.size(); i++) {
            JsonNode t = talkerList.get(i);
            String where = "talkers[" + i + "]";
            object(t, where, TALKER_KEYS);
            JsonNode pathNode = list(t, "path", 1, MAX_WAYPOINTS);
            double[][] path = new double[pathNode.size()][];
            for (int p = 0; p < path.length; p++) {
                JsonNode point = pathNode.get(p);
                if (!point.isArray() || point.size() != 2 || !point.get(0).isNumber() || !point.get(1).isNumber()) {
                    throw new IllegalArgumentException(where + ".path[" + p + "] must be [x, y] in metres, got " + point);
                }
                path[p] = inside(point.get(0).asDouble(), point.get(1).asDouble(), width, height, where + ".path[" + p + "]");
            }
            talkers.add(new Talker(t.path("name").asText("talker " + (i + 1)), path,
                    number(t, "speed_mps", where, 0, 10, 0.5), number(t, "tone_hz", where, 0, 48000, 1000.0),
                    t.path("speech").asBoolean(true), number(t, "level_db", where, -60, 20, 0.0)));
        }

        List<Placement> arrays = new ArrayList<>();
        JsonNode arrayList = list(root, "arrays", 1, MAX_ARRAYS);
        for (int i = 0; i < arrayList.size(); i++) {
            JsonNode a = arrayList.get(i);
            String where = "arrays[" + i + "]";
            object(a, where, ARRAY_KEYS);
            String id = a.path("id").asText("");
            if (!Streams.isValidId(id)) {
                throw new IllegalArgumentException(where + ".id '" + id + "' is not a stream id: " + Streams.ID_RULE);
            }
            if (arrays.stream().anyMatch(p -> p.id().equals(id))) {
                throw new IllegalArgumentException(where + ".id '" + id + "' is given twice; each array is one stream");
            }
            double[] at = inside(number(a, "x", where, -MAX_SIDE_M, MAX_SIDE_M, null), number(a, "y", where, -MAX_SIDE_M, MAX_SIDE_M, null),
                    width, height, where);
            arrays.add(new Placement(id, new ArrayPose(at[0], at[1], number(a, "heading", where, -360, 360, 0.0)),
                    number(a, "radius", where, 0.005, 2, 0.0625)));
        }
        return new Room(width, height, snr, speedOfSound, seed, List.copyOf(talkers), List.copyOf(arrays));
    }

    /** The array a stream hears: the one its {@code array} setting names, else the one of the stream's id, else the first. */
    Placement arrayFor(String stream, String named) {
        String wanted = named != null ? named : stream;
        for (Placement p : arrays) {
            if (p.id().equals(wanted)) return p;
        }
        if (named != null) {
            throw new IllegalArgumentException("no array '" + named + "' in the room; its arrays: "
                    + String.join(", ", arrays.stream().map(Placement::id).toList()));
        }
        return arrays.get(0);
    }

    private static double[] inside(double x, double y, double width, double height, String where) {
        if (x < 0 || x > width || y < 0 || y > height) {
            throw new IllegalArgumentException(where + " (" + x + ", " + y + ") is outside the room, 0.." + width + " x 0.." + height + " m");
        }
        return new double[] {x, y};
    }

    private static void object(JsonNode node, String where, Set<String> allowed) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with " + String.join(", ", allowed.stream().sorted().toList()));
        }
        unknownKeys(node, allowed, where);
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + " has an unknown key '" + key + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static JsonNode list(JsonNode node, String key, int min, int max) {
        JsonNode list = node.path(key);
        if (!list.isArray() || list.size() < min || list.size() > max) {
            throw new IllegalArgumentException(key + " must be a list of " + min + ".." + max + " entries, got "
                    + (list.isArray() ? list.size() + " entries" : list.isMissingNode() ? "none" : list.toString()));
        }
        return list;
    }

    private static double number(JsonNode node, String key, String where, double min, double max, Double fallback) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() && fallback != null) return fallback;
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw new IllegalArgumentException(where + "." + key + " must be a number in " + min + ".." + max + ", got "
                    + (value.isMissingNode() ? "none" : value.toString()));
        }
        return value.asDouble();
    }
}
