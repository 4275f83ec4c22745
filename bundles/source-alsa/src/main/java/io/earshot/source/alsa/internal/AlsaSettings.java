package io.earshot.source.alsa.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AlsaConfig} checked: out-of-range values are refused with what is allowed, so a typo in
 * {@code conf/} shows up in the status instead of as an odd device error later.
 */
record AlsaSettings(String device, int periodFrames, int ringPeriods, String mixer, List<String> mixerControls,
                    Path configFile, long silenceTimeoutMillis) {

    static final int MAX_CONTROLS = 16;

    static AlsaSettings of(AlsaConfig config) {
        List<String> problems = new ArrayList<>();
        String device = config.device() == null ? "" : config.device().trim();
        if (device.isEmpty() || device.length() > 256) {
            problems.add("device must be a PCM name of 1..256 characters, e.g. default or hw:1,0");
        }
        int period = config.periodFrames();
        if (period != 0 && (period < 16 || period > 65536)) {
            problems.add("periodFrames " + period + " is out of range; allowed: 0 (one period per buffer) or 16..65536");
        }
        int ring = config.ringPeriods();
        if (ring < 2 || ring > 64) {
            problems.add("ringPeriods " + ring + " is out of range; allowed: 2..64");
        }
        List<String> controls = new ArrayList<>();
        // a .cfg file gives one string: "Capture,Mic"
        for (String entry : config.mixerControls() == null ? new String[0] : config.mixerControls()) {
            for (String control : entry == null ? new String[0] : entry.split(",")) {
                if (!control.isBlank()) controls.add(control.trim());
            }
        }
        if (controls.size() > MAX_CONTROLS) {
            problems.add("mixerControls lists " + controls.size() + " names; allowed: at most " + MAX_CONTROLS);
        }
        Path file = null;
        String fileName = config.configFile() == null ? "" : config.configFile().trim();
        if (!fileName.isEmpty()) {
            file = Path.of(fileName);
            if (!file.isAbsolute()) {
                problems.add("configFile '" + fileName + "' must be an absolute path");
            }
        }
        long silence = config.silenceTimeout();
        if (silence < 200 || silence > 600_000) {
            problems.add("silenceTimeout " + silence + " is out of range; allowed: 200..600000 ms");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("io.earshot.source.alsa: " + String.join("; ", problems));
        }
        String mixer = config.mixer() == null || config.mixer().isBlank() ? CaptureVolume.mixerFor(device) : config.mixer().trim();
        return new AlsaSettings(device, period, ring, mixer, List.copyOf(controls), file, silence);
    }
}
