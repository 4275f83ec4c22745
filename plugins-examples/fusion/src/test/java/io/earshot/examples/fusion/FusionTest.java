package io.earshot.examples.fusion;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class FusionTest {

    private final Fusion fusion = new Fusion(10, 0.5);

    /** The bearing from (x, y) to the point (px, py). */
    private static Fusion.Bearing toward(String name, double x, double y, double px, double py, double errorDegrees) {
        return new Fusion.Bearing(name, x, y, Math.toDegrees(Math.atan2(py - y, px - x)) + errorDegrees);
    }

    @Test
    public void exactBearingsCrossAtTheSource() {
        Fusion.Estimate e = fusion.estimate(List.of(toward("a", 0.5, 0.5, 3, 2, 0), toward("b", 5.5, 2.5, 3, 2, 0),
                toward("c", 3, 4.5, 3, 2, 0)));
        assertArrayEquals(new double[] {3, 2}, e.position(), 1e-9);
        assertNull(e.problem());
        assertEquals(List.of("a", "b", "c"), e.used());
    }

    @Test
    public void twoBearingsWithErrorsCrossNearTheSource() {
        Fusion.Estimate e = fusion.estimate(List.of(toward("a", 0.5, 0.5, 3, 2, 2), toward("b", 5.5, 2.5, 3, 2, -2)));
        assertTrue(Math.hypot(e.position()[0] - 3, e.position()[1] - 2) < 0.15);
    }

    @Test
    public void nearlyParallelBearingsGiveNoEstimateAndSayWhy() {
        // both arrays on one line with the source: the crossing is anywhere along it
        Fusion.Estimate e = fusion.estimate(List.of(toward("a", 0, 1, 3, 1.2, 0), toward("b", 1, 1, 3, 1.2, 0)));
        assertNull(e.position());
        assertTrue(e.problem(), e.problem().contains("within 10.0 degrees of parallel"));
    }

    @Test
    public void anOutlierAmongThreeIsDroppedAndNamed() {
        Fusion.Estimate e = fusion.estimate(List.of(toward("a", 0.5, 0.5, 3, 2, 0), toward("b", 5.5, 2.5, 3, 2, 0),
                toward("c", 3, 4.5, 3, 2, 0), toward("wrong", 0.5, 4.5, 3, 2, 40)));
        assertArrayEquals(new double[] {3, 2}, e.position(), 1e-9);
        assertEquals(List.of("a", "b", "c"), e.used());
        assertTrue(e.rejected().get("wrong"), e.rejected().get("wrong").startsWith("an outlier"));
    }

    @Test
    public void linesCrossingBehindAnArrayAreNoEstimate() {
        // b looks away from a's line: the lines cross behind b
        Fusion.Estimate e = fusion.estimate(List.of(new Fusion.Bearing("a", 0, 0, 0), new Fusion.Bearing("b", 2, 2, 90)));
        assertNull(e.position());
        assertTrue(e.problem(), e.problem().contains("do not cross in front of both arrays (b misses by 2.0 m)"));
    }

    @Test
    public void oneBearingIsNotEnough() {
        assertTrue(fusion.estimate(List.of(new Fusion.Bearing("a", 0, 0, 0))).problem().contains("fewer than two"));
    }

    @Test
    public void thePeakIsRefinedBetweenGridDegrees() {
        double[] spectrum = new double[360];
        for (int a = 0; a < 360; a++) {
            double d = Math.IEEEremainder(a - 359.7, 360);
            spectrum[a] = Math.exp(-d * d / 50);
        }
        assertEquals(359.7, FusionPlugin.refinedPeak(spectrum), 0.05);
        assertArrayEquals(new double[] {6, 5}, FusionPlugin.room(" 6, 5 "), 0);
        assertNull(FusionPlugin.room("6"));
        assertNull(FusionPlugin.room("-1,2"));
    }
}
