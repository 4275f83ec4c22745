package io.earshot.handler.map.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class MapHandlerTest {

    private final MapHandler map = new MapHandler();
    private final Map<String, Object> room = Map.of("title", "Kitchen", "room", Map.of("width", 5, "height", 4.2), "trail", 50);
    private final Map<String, Object> left = array("left", 0.5, 0.5, 0, 45.0);

    private static Map<String, Object> array(String name, Object x, Object y, Object heading, Object bearing) {
        Map<String, Object> array = new HashMap<>();
        array.put("name", name);
        array.put("x", x);
        array.put("y", y);
        array.put("heading", heading);
        array.put("bearing", bearing);
        return array;
    }

    /** A copy of {@code base} with {@code key} set to {@code value}. */
    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> withNull(String key, Object... others) {
        Map<String, Object> data = new HashMap<>();
        data.put(key, null);
        for (int i = 0; i < others.length; i += 2) data.put((String) others[i], others[i + 1]);
        return data;
    }

    private static String problem(Optional<String> result) {
        assertTrue("expected a refusal", result.isPresent());
        return result.get();
    }

    private String paramsProblem(Map<String, Object> params) {
        return problem(map.checkParams("base:map", params));
    }

    private String dataProblem(Object data) {
        return problem(map.checkData("base:map", room, data));
    }

    private void accepted(Object data) {
        assertEquals(Optional.empty(), map.checkData("base:map", room, data));
        assertEquals(Optional.empty(), map.checkData("base:map", Map.of(), data));
    }

    @Test
    public void offersTheMapType() {
        assertEquals(List.of("base:map"), map.types());
        assertEquals("/handlers/map/renderer.js", map.rendererPath());
    }

    @Test
    public void acceptsParametersAllOptional() {
        assertEquals(Optional.empty(), map.checkParams("base:map", room));
        assertEquals(Optional.empty(), map.checkParams("base:map", Map.of()));
        assertEquals(Optional.empty(), map.checkParams("base:map", Map.of("title", "Where")));
        assertEquals(Optional.empty(), map.checkParams("base:map", Map.of("trail", 0)));
        assertEquals(Optional.empty(), map.checkParams("base:map", Map.of("trail", 10_000L)));
        assertEquals(Optional.empty(), map.checkParams("base:map", Map.of("room", Map.of("width", 1000, "height", 0.01))));
    }

    @Test
    public void refusesBadParametersWithTheReason() {
        assertEquals("unknown parameter 'series'; allowed: title, room, trail", paramsProblem(Map.of("series", List.of("a"))));
        assertEquals("title must be a string, got the number 3", paramsProblem(Map.of("title", 3)));
        assertEquals("trail must be a whole number 0..10000 (how many past estimates are drawn; 100 when left out), got the number -1",
                paramsProblem(Map.of("trail", -1)));
        assertEquals("trail must be a whole number 0..10000 (how many past estimates are drawn; 100 when left out), got the number 10001",
                paramsProblem(Map.of("trail", 10_001)));
        assertEquals("trail must be a whole number 0..10000 (how many past estimates are drawn; 100 when left out), got the number 2.5",
                paramsProblem(Map.of("trail", 2.5)));
        assertEquals("trail must be a whole number 0..10000 (how many past estimates are drawn; 100 when left out), got null",
                paramsProblem(withNull("trail")));
    }

    @Test
    public void refusesBadRoomsWithTheReason() {
        assertEquals("room must be an object like {\"width\":5,\"height\":4} (metres), got a list",
                paramsProblem(Map.of("room", List.of(5, 4))));
        assertEquals("room must be an object like {\"width\":5,\"height\":4} (metres), got null", paramsProblem(withNull("room")));
        assertEquals("unknown room key 'depth'; allowed: width, height",
                paramsProblem(Map.of("room", Map.of("width", 5, "height", 4, "depth", 3))));
        assertEquals("room.height must be a number above 0 and at most 1000 (metres), got null",
                paramsProblem(Map.of("room", Map.of("width", 5))));
        assertEquals("room.width must be a number above 0 and at most 1000 (metres), got the number 0",
                paramsProblem(Map.of("room", Map.of("width", 0, "height", 4))));
        assertEquals("room.width must be a number above 0 and at most 1000 (metres), got the number 1000.5",
                paramsProblem(Map.of("room", Map.of("width", 1000.5, "height", 4))));
        assertEquals("room.height must be a number above 0 and at most 1000 (metres), got the number Infinity",
                paramsProblem(Map.of("room", Map.of("width", 5, "height", Double.POSITIVE_INFINITY))));
        assertEquals("room.width must be a number above 0 and at most 1000 (metres), got the string \"5\"",
                paramsProblem(Map.of("room", Map.of("width", "5", "height", 4))));
    }

    @Test
    public void acceptsArraysEstimatesAndTruthAloneOrTogether() {
        accepted(Map.of("arrays", List.of(left, array("right", 4.5f, 0.5, 180, null))));
        accepted(Map.of("arrays", List.of()));
        accepted(Map.of("arrays", List.of(Map.of("name", "no bearing key", "x", 1, "y", 2, "heading", -90))));
        accepted(Map.of("arrays", Collections.nCopies(64, left)));
        accepted(Map.of("arrays", List.of(array("x".repeat(64), -3, 1e4, 720, -1e-9))));
        accepted(Map.of("arrays", List.of(array("\uD83C\uDFA4".repeat(64), 0, 0, 0, 0)))); // 64 characters, 128 chars in UTF-16
        accepted(Map.of("estimate", Map.of("x", 2.5, "y", 1L)));
        accepted(withNull("estimate"));
        accepted(Map.of("truth", List.of(Map.of("x", 1, "y", 2), Map.of("x", -1.5, "y", 0))));
        accepted(Map.of("truth", Collections.nCopies(16, Map.of("x", 1, "y", 2))));
        accepted(Map.of("truth", List.of()));
        accepted(withNull("estimate", "arrays", List.of(left), "truth", List.of(Map.of("x", 1, "y", 2))));
        accepted(Map.of("arrays", List.of(left), "estimate", Map.of("x", 2, "y", 2), "truth", List.of(Map.of("x", 2.1, "y", 1.9))));
    }

    @Test
    public void refusesMessagesThatAreNotOneMapObject() {
        assertEquals("data must be an object with at least one of arrays, estimate, truth, got a list",
                dataProblem(List.of(Map.of("estimate", Map.of("x", 1, "y", 2)))));
        assertEquals("data must be an object with at least one of arrays, estimate, truth, got null", dataProblem(null));
        assertEquals("data must be an object with at least one of arrays, estimate, truth, got the number 3", dataProblem(3));
        assertEquals("data must have at least one of arrays, estimate, truth, got an empty object", dataProblem(Map.of()));
        assertEquals("unknown data key 'sources'; allowed: arrays, estimate, truth",
                dataProblem(Map.of("estimate", Map.of("x", 1, "y", 2), "sources", List.of())));
        assertEquals("unknown data key '7'; allowed: arrays, estimate, truth", dataProblem(Map.of(7, 1)));
    }

    @Test
    public void refusesBadArraysWithTheReason() {
        String shape = "{\"name\":string,\"x\":number,\"y\":number,\"heading\":number,\"bearing\":number or null}";
        assertEquals("arrays must be a list of at most 64 " + shape + ", got an object", dataProblem(Map.of("arrays", left)));
        assertEquals("arrays must be a list of at most 64 " + shape + ", got null", dataProblem(withNull("arrays")));
        assertEquals("arrays has 65 entries; allowed: at most 64", dataProblem(Map.of("arrays", Collections.nCopies(65, left))));
        assertEquals("arrays[1] must be " + shape + ", got the string \"right\"", dataProblem(Map.of("arrays", List.of(left, "right"))));
        assertEquals("unknown arrays[0] key 'z'; allowed: name, x, y, heading, bearing",
                dataProblem(Map.of("arrays", List.of(with(left, "z", 1.2)))));
        assertEquals("arrays[0].name must be a string of 1..64 characters, got the number 1",
                dataProblem(Map.of("arrays", List.of(with(left, "name", 1)))));
        assertEquals("arrays[0].name must be a string of 1..64 characters, got null",
                dataProblem(Map.of("arrays", List.of(Map.of("x", 0, "y", 0, "heading", 0)))));
        assertEquals("arrays[0].name must be a string of 1..64 characters, got 0 characters",
                dataProblem(Map.of("arrays", List.of(array("", 0, 0, 0, null)))));
        assertEquals("arrays[1].name must be a string of 1..64 characters, got 65 characters",
                dataProblem(Map.of("arrays", List.of(left, array("x".repeat(65), 0, 0, 0, null)))));
        assertEquals("arrays[0].x must be a finite number (metres in the room frame), got the number NaN",
                dataProblem(Map.of("arrays", List.of(array("a", Double.NaN, 0, 0, null)))));
        assertEquals("arrays[0].y must be a finite number (metres in the room frame), got the string \"1\"",
                dataProblem(Map.of("arrays", List.of(array("a", 0, "1", 0, null)))));
        assertEquals("arrays[0].y must be a finite number (metres in the room frame), got null",
                dataProblem(Map.of("arrays", List.of(Map.of("name", "a", "x", 0, "heading", 0)))));
        assertEquals("arrays[0].heading must be a finite number (the array's +x axis, in degrees counter-clockwise from the room's +x axis),"
                + " got null", dataProblem(Map.of("arrays", List.of(array("a", 0, 0, null, 10)))));
        assertEquals("arrays[0].heading must be a finite number (the array's +x axis, in degrees counter-clockwise from the room's +x axis),"
                + " got the number -Infinity", dataProblem(Map.of("arrays", List.of(array("a", 0, 0, Double.NEGATIVE_INFINITY, 10)))));
        assertEquals("arrays[0].bearing must be a finite number (degrees counter-clockwise from the room's +x axis) or null,"
                + " got the number NaN", dataProblem(Map.of("arrays", List.of(array("a", 0, 0, 0, Float.NaN)))));
        assertEquals("arrays[0].bearing must be a finite number (degrees counter-clockwise from the room's +x axis) or null,"
                + " got a list", dataProblem(Map.of("arrays", List.of(array("a", 0, 0, 0, List.of(10))))));
    }

    @Test
    public void refusesBadEstimatesWithTheReason() {
        assertEquals("estimate must be {\"x\":number,\"y\":number} or null, got a list",
                dataProblem(Map.of("estimate", List.of(1, 2))));
        assertEquals("estimate must be {\"x\":number,\"y\":number} or null, got a boolean",
                dataProblem(Map.of("estimate", false)));
        assertEquals("unknown estimate key 'z'; allowed: x, y", dataProblem(Map.of("estimate", Map.of("x", 1, "y", 2, "z", 0))));
        assertEquals("estimate.y must be a finite number (metres in the room frame), got null",
                dataProblem(Map.of("estimate", Map.of("x", 1))));
        assertEquals("estimate.x must be a finite number (metres in the room frame), got the number Infinity",
                dataProblem(Map.of("estimate", Map.of("x", Double.POSITIVE_INFINITY, "y", 1))));
    }

    @Test
    public void refusesBadTruthWithTheReason() {
        assertEquals("truth must be a list of at most 16 {\"x\":number,\"y\":number}, got an object",
                dataProblem(Map.of("truth", Map.of("x", 1, "y", 2))));
        assertEquals("truth must be a list of at most 16 {\"x\":number,\"y\":number}, got null", dataProblem(withNull("truth")));
        assertEquals("truth has 17 positions; allowed: at most 16",
                dataProblem(Map.of("truth", Collections.nCopies(17, Map.of("x", 1, "y", 2)))));
        assertEquals("truth[1] must be {\"x\":number,\"y\":number}, got null",
                dataProblem(Map.of("truth", Arrays.asList(Map.of("x", 1, "y", 2), null))));
        assertEquals("unknown truth[0] key 'name'; allowed: x, y",
                dataProblem(Map.of("truth", List.of(Map.of("x", 1, "y", 2, "name", "talker")))));
        assertEquals("truth[0].x must be a finite number (metres in the room frame), got the string \"1\"",
                dataProblem(Map.of("truth", List.of(Map.of("x", "1", "y", 2)))));
    }

    @Test
    public void checksEveryKeyOfAMessageNotOnlyTheFirst() {
        assertEquals("truth[0].y must be a finite number (metres in the room frame), got a boolean",
                dataProblem(Map.of("arrays", List.of(left), "estimate", Map.of("x", 1, "y", 2),
                        "truth", List.of(Map.of("x", 1, "y", true)))));
    }
}
