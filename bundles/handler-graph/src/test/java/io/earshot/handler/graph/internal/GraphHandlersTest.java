package io.earshot.handler.graph.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class GraphHandlersTest {

    private final GraphHandlers graphs = new GraphHandlers();
    private final Map<String, Object> twoSeries = Map.of("xName", "time", "series",
            List.of(Map.of("name", "left"), Map.of("name", "right", "color", "#e6194b")), "min", -1, "max", 1, "xLimitNb", 100);

    private static String problem(Optional<String> result) {
        assertTrue("expected a refusal", result.isPresent());
        return result.get();
    }

    @Test
    public void offersTheFourGraphTypesOfEasyDsp() {
        assertEquals(List.of("base:graph:line", "base:graph:area", "base:graph:bar", "base:graph:plot"), graphs.types());
        assertEquals("/handlers/graph/renderer.js", graphs.rendererPath());
    }

    @Test
    public void acceptsEasyDspParameters() {
        assertEquals(Optional.empty(), graphs.checkParams("base:graph:line", twoSeries));
        assertEquals(Optional.empty(), graphs.checkParams("base:graph:bar", Map.of("series", List.of(Map.of()))));
    }

    @Test
    public void refusesBadParametersWithTheReason() {
        assertEquals("series must be a list of 1..32 entries ({\"name\":..,\"color\":..}), one per series, got null",
                problem(graphs.checkParams("base:graph:line", Map.of())));
        assertEquals("unknown parameter 'colour'; allowed: xName, series, min, max, xLimitNb",
                problem(graphs.checkParams("base:graph:line", Map.of("series", List.of(Map.of()), "colour", "red"))));
        assertEquals("min must be below max, got min 2 and max 1",
                problem(graphs.checkParams("base:graph:line", Map.of("series", List.of(Map.of()), "min", 2, "max", 1))));
        assertEquals("xLimitNb must be a whole number 1..100000, got the number 0",
                problem(graphs.checkParams("base:graph:line", Map.of("series", List.of(Map.of()), "xLimitNb", 0))));
        assertEquals("series[0].name must be a string, got the number 3",
                problem(graphs.checkParams("base:graph:line", Map.of("series", List.of(Map.of("name", 3))))));
        assertEquals("xName must be a string, got a list",
                problem(graphs.checkParams("base:graph:line", Map.of("series", List.of(Map.of()), "xName", List.of()))));
    }

    @Test
    public void acceptsAddAndReplaceWithOneEntryPerSeries() {
        Map<String, Object> points = Map.of("x", List.of(1, 2), "y", List.of(0.5, -0.25));
        assertEquals(Optional.empty(), graphs.checkData("base:graph:line", twoSeries, Map.of("add", List.of(points, points))));
        assertEquals(Optional.empty(), graphs.checkData("base:graph:line", twoSeries, Map.of("replace", List.of(points, points))));
    }

    @Test
    public void refusesDataThatDoesNotFitTheGraph() {
        Map<String, Object> points = Map.of("x", List.of(1, 2), "y", List.of(0.5, -0.25));
        assertEquals("add must list one {\"x\":[..],\"y\":[..]} per series: 2 expected, got 1 entries",
                problem(graphs.checkData("base:graph:line", twoSeries, Map.of("add", List.of(points)))));
        assertTrue(problem(graphs.checkData("base:graph:line", twoSeries, List.of(1, 2))).startsWith("data must be {\"add\":[..]}"));
        assertEquals("add[1] has 2 x values and 1 y values; they must pair up", problem(graphs.checkData("base:graph:line",
                twoSeries, Map.of("add", List.of(points, Map.of("x", List.of(1, 2), "y", List.of(3)))))));
        assertEquals("add[0].y[1] must be a finite number, got the string \"loud\"", problem(graphs.checkData("base:graph:line",
                twoSeries, Map.of("add", List.of(Map.of("x", List.of(1, 2), "y", List.of(1, "loud")), points)))));
        assertEquals("add[0] must be {\"x\":[..],\"y\":[..]}, got an object", problem(graphs.checkData("base:graph:line",
                twoSeries, Map.of("add", List.of(Map.of("x", List.of(1)), points)))));
    }
}
