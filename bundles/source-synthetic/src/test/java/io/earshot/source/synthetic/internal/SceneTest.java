package io.earshot.source.synthetic.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SceneTest {

    private static SyntheticSettings fixed(double azimuth, boolean speech, double toneHz, double snr) {
        return new SyntheticSettings(0, azimuth, snr, toneHz, speech, 0.0625, 7);
    }

    private static double[] channel(short[] interleaved, int channels, int c) {
        double[] out = new double[interleaved.length / channels];
        for (int f = 0; f < out.length; f++) out[f] = interleaved[f * channels + c];
        return out;
    }

    /** Lag (in samples, sub-sample by parabolic interpolation) by which b trails a. */
    private static double delayBetween(double[] a, double[] b, int maxLag) {
        double best = -Double.MAX_VALUE;
        int bestLag = 0;
        double[] r = new double[2 * maxLag + 1];
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double sum = 0;
            for (int i = maxLag; i < a.length - maxLag; i++) sum += a[i] * b[i + lag];
            r[lag + maxLag] = sum;
            if (sum > best) { best = sum; bestLag = lag; }
        }
        int i = bestLag + maxLag;
        double left = r[i - 1], mid = r[i], right = r[i + 1];
        return bestLag + 0.5 * (left - right) / (left - 2 * mid + right);
    }

    @Test
    public void interMicDelaysMatchThePhysicsWithinATenthOfASample() {
        int rate = 48000;
        for (double azimuth : new double[] {0, 40, 90, 200}) {
            Scene scene = new Scene(rate, 6, fixed(azimuth, true, 0, 120));
            short[] out = new short[rate * 6];
            scene.render(rate / 2, rate, 1.0, out); // start inside a syllable
            ArrayGeometry g = scene.geometry();
            for (int[] pair : new int[][] {{0, 3}, {1, 4}, {0, 1}}) {
                double rad = Math.toRadians(azimuth);
                // mic b trails mic a by (lead_a - lead_b) seconds
                double expected = (g.leadSeconds(pair[0], rad, 343) - g.leadSeconds(pair[1], rad, 343)) * rate;
                double measured = delayBetween(channel(out, 6, pair[0]), channel(out, 6, pair[1]), 20);
                assertEquals("azimuth " + azimuth + ", mics " + pair[0] + "-" + pair[1], expected, measured, 0.1);
            }
        }
    }

    @Test
    public void theToneArrivesWithTheExactFractionalDelay() {
        int rate = 16000;
        Scene scene = new Scene(rate, 6, fixed(30, false, 500, 120));
        short[] out = new short[rate * 6];
        scene.render(0, rate, 1.0, out);
        double[] a = channel(out, 6, 0), b = channel(out, 6, 2);
        // phase of each channel at 500 Hz over whole cycles
        double expectedSeconds = scene.geometry().leadSeconds(0, Math.toRadians(30), 343)
                - scene.geometry().leadSeconds(2, Math.toRadians(30), 343);
        double measured = (phase(a, 500, rate) - phase(b, 500, rate)) / (2 * Math.PI * 500);
        assertEquals(expectedSeconds * rate, measured * rate, 0.01);
    }

    private static double phase(double[] x, double hz, int rate) {
        double re = 0, im = 0;
        for (int n = 0; n < x.length; n++) {
            re += x[n] * Math.cos(2 * Math.PI * hz * n / rate);
            im += x[n] * Math.sin(2 * Math.PI * hz * n / rate);
        }
        return Math.atan2(re, im);
    }

    @Test
    public void fortyEightChannelsAreFortyEightDistinctMicrophones() {
        Scene scene = new Scene(48000, 48, SyntheticSettings.DEFAULTS);
        short[] out = new short[4096 * 48];
        scene.render(24000, 4096, 0.8, out);
        double[] first = channel(out, 48, 0);
        for (int c = 1; c < 48; c++) {
            assertNotEquals("channel " + c, java.util.Arrays.hashCode(first), java.util.Arrays.hashCode(channel(out, 48, c)));
        }
        assertEquals(48, scene.geometry().asList().size());
    }

    @Test
    public void theTruthAdvancesAtTheConfiguredSpeed() {
        Scene scene = new Scene(48000, 6, new SyntheticSettings(20, 350, 20, 1000, true, 0.0625, 1));
        assertEquals(350, scene.azimuthDegrees(0), 1e-9);
        assertEquals(10, scene.azimuthDegrees(48000L), 1e-9); // one second later, wrapped past 360
    }

    @Test
    public void noiseFollowsTheSnr() {
        Scene quiet = new Scene(48000, 6, fixed(0, false, 1000, 40));
        Scene noisy = new Scene(48000, 6, fixed(0, false, 1000, 0));
        assertTrue(noisy.noiseSigma() > 90 * quiet.noiseSigma());
    }
}
