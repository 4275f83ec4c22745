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

    /**
     * These settings with those a stream sets by the same names; a value that is not a number in
     * range is refused with the range, since a stream's file is read by no metatype.
     */
    SyntheticSettings with(io.earshot.api.SourceSettings stream) {
        return new SyntheticSettings(
                number(stream, "angularSpeed", angularSpeed, -3600, 3600),
                number(stream, "startAzimuth", startAzimuth, -360, 360),
                number(stream, "snr", snrDb, -20, 120),
                number(stream, "toneHz", toneHz, 0, 48000),
                stream.has("speech") ? Boolean.parseBoolean(stream.get("speech", "true")) : speech,
                number(stream, "radius", radius, 0.005, 2),
                stream.has("seed") ? (long) number(stream, "seed", seed, Long.MIN_VALUE, Long.MAX_VALUE) : seed);
    }

    private static double number(io.earshot.api.SourceSettings stream, String name, double fallback, double min, double max) {
        if (!stream.has(name)) {
            return fallback;
        }
        String text = stream.get(name, "");
        try {
            double value = Double.parseDouble(text);
            if (!Double.isNaN(value) && value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + "=" + text + " is not a number in " + min + ".." + max);
    }

    private static double checked(String name, double value, double min, double max, double fallback) {
        if (Double.isNaN(value) || value < min || value > max) {
            LOG.error("io.earshot.source.synthetic: {}={} is out of range {}..{}; using {}", name, value, min, max, fallback);
            return fallback;
        }
        return value;
    }
}
