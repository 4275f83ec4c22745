package io.earshot.handler.heatmap.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class HeatmapHandlersTest {

    private final HeatmapHandlers heatmaps = new HeatmapHandlers();
    private final Map<String, Object> noParams = Map.of();

    private static String problem(Optional<String> result) {
        assertTrue("expected a refusal", result.isPresent());
        return result.get();
    }

    private static List<Object> row(int length) {
        return new ArrayList<>(Collections.nCopies(length, 0.5));
    }

    @Test
    public void offersTheHeatmapType() {
        assertEquals(List.of("base:heatmap"), heatmaps.types());
        assertEquals("/handlers/heatmap/renderer.js", heatmaps.rendererPath());
    }

    @Test
    public void acceptsAnOptionalColourScale() {
        assertEquals(Optional.empty(), heatmaps.checkParams("base:heatmap", noParams));
        assertEquals(Optional.empty(), heatmaps.checkParams("base:heatmap", Map.of("min", -1, "max", 2.5)));
        assertEquals(Optional.empty(), heatmaps.checkParams("base:heatmap", Map.of("max", 10)));
    }

    @Test
    public void refusesBadParametersWithTheReason() {
        assertEquals("unknown parameter 'colormap'; allowed: min, max",
                problem(heatmaps.checkParams("base:heatmap", Map.of("colormap", "viridis"))));
        assertEquals("min must be a number, got the string \"low\"",
                problem(heatmaps.checkParams("base:heatmap", Map.of("min", "low"))));
        assertEquals("max must be a number, got the number NaN",
                problem(heatmaps.checkParams("base:heatmap", Map.of("max", Double.NaN))));
        assertEquals("min must be below max, got min 3 and max 3",
                problem(heatmaps.checkParams("base:heatmap", Map.of("min", 3, "max", 3))));
    }

    @Test
    public void acceptsRectangularMatrices() {
        assertEquals(Optional.empty(), heatmaps.checkData("base:heatmap", noParams, List.of(List.of(1, 2, 3), List.of(-4, 5.5, 6))));
        assertEquals(Optional.empty(), heatmaps.checkData("base:heatmap", noParams, List.of(List.of(7))));
        assertEquals(Optional.empty(), heatmaps.checkData("base:heatmap", noParams, Collections.nCopies(1024, row(1024))));
    }

    @Test
    public void refusesDataThatIsNotAMatrix() {
        assertEquals("data must be a 2-D array, one list of numbers per row, got an object",
                problem(heatmaps.checkData("base:heatmap", noParams, Map.of("rows", List.of()))));
        assertEquals("data has 0 rows; allowed: 1..1024", problem(heatmaps.checkData("base:heatmap", noParams, List.of())));
        assertEquals("data has 1025 rows; allowed: 1..1024",
                problem(heatmaps.checkData("base:heatmap", noParams, Collections.nCopies(1025, row(1)))));
        assertEquals("row 1 must be a list of numbers, got the number 4",
                problem(heatmaps.checkData("base:heatmap", noParams, List.of(List.of(1), 4))));
        assertEquals("row 0 has 0 values; allowed: 1..1024",
                problem(heatmaps.checkData("base:heatmap", noParams, List.of(List.of()))));
        assertEquals("row 0 has 1025 values; allowed: 1..1024",
                problem(heatmaps.checkData("base:heatmap", noParams, List.of(row(1025)))));
        assertEquals("row 3 has 5 values, row 0 has 6: rows must be the same length",
                problem(heatmaps.checkData("base:heatmap", noParams, List.of(row(6), row(6), row(6), row(5)))));
        List<Object> bad = row(3);
        bad.set(2, null);
        assertEquals("row 1, column 2 must be a finite number, got null",
                problem(heatmaps.checkData("base:heatmap", noParams, List.of(row(3), bad))));
        assertEquals("row 0, column 0 must be a finite number, got the number Infinity",
                problem(heatmaps.checkData("base:heatmap", noParams, List.of(List.of(Double.POSITIVE_INFINITY)))));
    }
}
