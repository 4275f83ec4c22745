package io.earshot.source.synthetic.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.annotation.Annotation;
import java.util.Map;

import org.junit.Test;

import io.earshot.api.Capture;
import io.earshot.api.SourceException;
import io.earshot.api.SourceSettings;
import io.earshot.api.StreamConfig;

public class SyntheticSourceTest {

    static SyntheticConfig config(double speed, double snr, double radius) {
        return new SyntheticConfig() {
            @Override public Class<? extends Annotation> annotationType() { return SyntheticConfig.class; }
            @Override public double angularSpeed() { return speed; }
            @Override public double startAzimuth() { return 0; }
            @Override public double snr() { return snr; }
            @Override public double toneHz() { return 1000; }
            @Override public boolean speech() { return true; }
            @Override public double radius() { return radius; }
            @Override public long seed() { return 1; }
        };
    }

    @Test
    public void valuesOutOfRangeFallBackToTheDefaults() {
        SyntheticSettings s = SyntheticSettings.of(config(99999, Double.NaN, -1));
        assertEquals(SyntheticSettings.DEFAULTS.angularSpeed(), s.angularSpeed(), 0);
        assertEquals(SyntheticSettings.DEFAULTS.snrDb(), s.snrDb(), 0);
        assertEquals(SyntheticSettings.DEFAULTS.radius(), s.radius(), 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    public void aCaptureIsPacedAndPublishesItsTruth() throws Exception {
        SyntheticSource source = new SyntheticSource(config(90, 20, 0.0625));
        StreamConfig config = new StreamConfig(16000, 6, 1600, 80); // 100 ms buffers
        short[] buffer = new short[config.samplesPerBuffer()];
        long start = System.nanoTime();
        Map<String, Object> truth;
        try (Capture capture = source.open(config)) {
            for (int i = 0; i < 5; i++) capture.read(buffer);
            truth = (Map<String, Object>) capture.details().get("truth");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue("5 buffers of 100 ms take about 0.5 s, took " + seconds, seconds > 0.45);
        assertEquals(45.0, (double) truth.get("azimuth_deg"), 0.01); // 0.5 s at 90 deg/s
    }

    @Test
    @SuppressWarnings("unchecked")
    public void aStreamsOwnSettingsMakeItsOwnScene() throws Exception {
        SyntheticSource source = new SyntheticSource(config(90, 20, 0.0625));
        StreamConfig config = new StreamConfig(16000, 6, 1600, 80);
        short[] buffer = new short[config.samplesPerBuffer()];
        try (Capture capture = source.open(config, new SourceSettings("second", Map.of("angularSpeed", "-30", "startAzimuth", "100")))) {
            for (int i = 0; i < 3; i++) capture.read(buffer);
            Map<String, Object> truth = (Map<String, Object>) capture.details().get("truth");
            assertEquals(91.0, (double) truth.get("azimuth_deg"), 0.01); // 100 - 0.3 s at 30 deg/s
        }
        try {
            source.open(config, new SourceSettings("bad", Map.of("snr", "loud")));
            fail("a setting that is not a number is refused");
        } catch (SourceException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("snr=loud is not a number in -20.0..120.0"));
        }
    }

    /** Not an assertion: how much of a core rendering 48 x 48 kHz costs, printed for the record. */
    @Test
    public void renderingCostIsPrinted() {
        Scene scene = new Scene(48000, 48, SyntheticSettings.DEFAULTS);
        short[] out = new short[4096 * 48];
        for (int i = 0; i < 50; i++) scene.render(i * 4096L, 4096, 0.8, out);
        long t = System.nanoTime();
        int buffers = 117; // ten seconds of audio
        for (int i = 0; i < buffers; i++) scene.render(i * 4096L, 4096, 0.8, out);
        double cpuSeconds = (System.nanoTime() - t) / 1e9;
        System.out.printf("synthetic 48 ch x 48 kHz: %.1f%% of one core%n", 100 * cpuSeconds / (buffers * 4096 / 48000.0));
    }
}
