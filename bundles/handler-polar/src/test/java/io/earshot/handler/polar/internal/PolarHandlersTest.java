package io.earshot.handler.polar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class PolarHandlersTest {

    private final PolarHandlers polars = new PolarHandlers();
    private final Map<String, Object> twoSeries = Map.of("title", "Direction", "series", List.of("left", "right"),
            "legend", Map.of("from", -180, "to", 180, "step", 45.0));

    private static String problem(Optional<String> result) {
        assertTrue("expected a refusal", result.isPresent());
        return result.get();
    }

    private String paramsProblem(Map<String, Object> params) {
        return problem(polars.checkParams("base:polar:line", params));
    }

    private String dataProblem(Object data) {
        return problem(polars.checkData("base:polar:line", twoSeries, data));
    }

    @Test
    public void offersTheTwoPolarTypesOfEasyDsp() {
        assertEquals(List.of("base:polar:line", "base:polar:area"), polars.types());
        assertEquals("/handlers/polar/renderer.js", polars.rendererPath());
    }

    @Test
    public void acceptsEasyDspParameters() {
        assertEquals(Optional.empty(), polars.checkParams("base:polar:line", twoSeries));
        assertEquals(Optional.empty(), polars.checkParams("base:polar:area", Map.of("series", List.of("power"))));
        assertEquals(Optional.empty(), polars.checkParams("base:polar:area",
                Map.of("series", List.of("power"), "legend", Map.of("to", 100))));
        assertEquals(Optional.empty(), polars.checkParams("base:polar:line",
                Map.of("series", List.of("power"), "legend", Map.of("from", 360, "to", 0, "step", 1))));
    }

    @Test
    public void refusesBadParametersWithTheReason() {
        assertEquals("unknown parameter 'colour'; allowed: title, series, legend",
                paramsProblem(Map.of("series", List.of("a"), "colour", "red")));
        assertEquals("title must be a string, got the number 3", paramsProblem(Map.of("series", List.of("a"), "title", 3)));
        assertEquals("series must be a list of 1..16 series names, got null", paramsProblem(Map.of()));
        assertEquals("series must be a list of 1..16 series names, got the string \"left\"", paramsProblem(Map.of("series", "left")));
        assertEquals("series has 0 names; allowed: 1..16", paramsProblem(Map.of("series", List.of())));
        assertEquals("series has 17 names; allowed: 1..16", paramsProblem(Map.of("series", Collections.nCopies(17, "a"))));
        assertEquals("series[1] must be a string (the series name), got an object",
                paramsProblem(Map.of("series", List.of("a", Map.of("name", "b")))));
    }

    @Test
    public void refusesBadLegendsWithTheReason() {
        assertEquals("legend must be an object like {\"from\":0,\"to\":360,\"step\":30}, got a list",
                paramsProblem(Map.of("series", List.of("a"), "legend", List.of(0, 360))));
        assertEquals("unknown legend key 'start'; allowed: from, to, step",
                paramsProblem(Map.of("series", List.of("a"), "legend", Map.of("start", 0))));
        assertEquals("legend.step must be a finite number, got the string \"30\"",
                paramsProblem(Map.of("series", List.of("a"), "legend", Map.of("step", "30"))));
        assertEquals("legend.from must be a finite number, got the number NaN",
                paramsProblem(Map.of("series", List.of("a"), "legend", Map.of("from", Double.NaN))));
        assertEquals("legend.from and legend.to must differ (they are the values at the start and end of one turn), got 360 for both",
                paramsProblem(Map.of("series", List.of("a"), "legend", Map.of("from", 360))));
        assertEquals("legend.step must be above 0, got -30",
                paramsProblem(Map.of("series", List.of("a"), "legend", Map.of("step", -30))));
        assertEquals("legend.step 0.5 gives 720 ticks from 0 to 360; allowed: at most 360 ticks per turn",
                paramsProblem(Map.of("series", List.of("a"), "legend", Map.of("step", 0.5))));
    }

    @Test
    public void acceptsAppendAndReplaceWithOneEntryPerSeries() {
        assertEquals(Optional.empty(), polars.checkData("base:polar:line", twoSeries,
                List.of(Map.of("append", 1.5), Map.of("append", 2))));
        assertEquals(Optional.empty(), polars.checkData("base:polar:area", twoSeries,
                List.of(Map.of("replace", List.of(1, 2.5, 3)), Map.of("append", 0))));
        assertEquals(Optional.empty(), polars.checkData("base:polar:area", twoSeries,
                List.of(Map.of("replace", List.of()), Map.of("replace", Collections.nCopies(100_000, 1)))));
    }

    @Test
    public void refusesDataThatDoesNotFitThePolarGraph() {
        assertEquals("data must be a list with one {\"append\":number} or {\"replace\":[numbers]} per series (2), got an object",
                dataProblem(Map.of("append", 1)));
        assertEquals("data must have one entry per series: 2 expected, got 1 entries", dataProblem(List.of(Map.of("append", 1))));
        assertEquals("data[1] must be {\"append\":number} or {\"replace\":[numbers]}, got the number 2",
                dataProblem(List.of(Map.of("append", 1), 2)));
        assertEquals("data[0] must be {\"append\":number} or {\"replace\":[numbers]}, got an object",
                dataProblem(List.of(Map.of("append", 1, "replace", List.of()), Map.of("append", 1))));
        assertEquals("data[0] must be {\"append\":number} or {\"replace\":[numbers]}, got an object",
                dataProblem(List.of(Map.of("add", 1), Map.of("append", 1))));
        assertEquals("data[1].append must be a finite number, got the string \"loud\"",
                dataProblem(List.of(Map.of("append", 1), Map.of("append", "loud"))));
        assertEquals("data[0].append must be a finite number, got a list",
                dataProblem(List.of(Map.of("append", List.of(1)), Map.of("append", 1))));
        assertEquals("data[1].replace must be a list of numbers, got the number 4",
                dataProblem(List.of(Map.of("append", 1), Map.of("replace", 4))));
        assertEquals("data[0].replace[2] must be a finite number, got a boolean",
                dataProblem(List.of(Map.of("replace", List.of(1, 2, true)), Map.of("append", 1))));
        assertEquals("data[1].replace has 100001 values; allowed: at most 100000",
                dataProblem(List.of(Map.of("append", 1), Map.of("replace", Collections.nCopies(100_001, 1)))));
    }
}
