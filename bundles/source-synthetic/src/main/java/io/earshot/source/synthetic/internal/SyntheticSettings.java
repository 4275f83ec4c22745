package io.earshot.source.synthetic.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The simulated scene's settings, checked: a value out of range falls back to its default with a logged reason. */
record SyntheticSettings(double angularSpeed, double startAzimuth, double snrDb, double toneHz, boolean speech,
                         double radius, long seed) {

    static final SyntheticSettings DEFAULTS = new SyntheticSettings(20, 0, 20, 1000, true, 0.0625, 1);
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticSettings.class);

    static SyntheticSettings of(SyntheticConfig config) {
        return new SyntheticSettings(
                checked("angularSpeed", config.angularSpeed(), -3600, 3600, DEFAULTS.angularSpeed),
                checked("startAzimuth", config.startAzimuth(), -360, 360, DEFAULTS.startAzimuth),
                checked("snr", config.snr(), -20, 120, DEFAULTS.snrDb),
                checked("toneHz", config.toneHz(), 0, 48000, DEFAULTS.toneHz),
                config.speech(),
                checked("radius", config.radius(), 0.005, 2, DEFAULTS.radius),
                config.seed());
    }

    private static double checked(String name, double value, double min, double max, double fallback) {
        if (Double.isNaN(value) || value < min || value > max) {
            LOG.error("io.earshot.source.synthetic: {}={} is out of range {}..{}; using {}", name, value, min, max, fallback);
            return fallback;
        }
        return value;
    }
}
