package io.earshot.devices.internal;

import io.earshot.devices.v1.LedMode;

/** What a ring of LEDs shows in each mode, as 0xRRGGBB per LED. */
final class Leds {

    static final int MAX_LEDS = 256;
    static final int FLASH = 0xFFFFFF;
    private static final int GREEN = 0x00C000;
    private static final int AMBER = 0xFFA000;
    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0040FF;

    private Leds() {
    }

    static int[] all(int count, int rgb) {
        int[] leds = new int[count];
        java.util.Arrays.fill(leds, rgb);
        return leds;
    }

    /**
     * @param levelDb the live stream's level (dBFS of its loudest channel)
     * @param azimuth the loudest source's direction (degrees counter-clockwise from the array's
     *                0, as the doa plugin gives it), or null when there is none
     */
    static int[] render(LedMode mode, int count, double levelDb, Double azimuth) {
        int[] leds = new int[count];
        if (count == 0) return leds;
        if (mode == LedMode.LED_MODE_LEVEL) {
            int lit = (int) Math.round(count * Math.max(0, Math.min(1, (levelDb + 60) / 60)));
            for (int i = 0; i < lit; i++) {
                double share = (i + 1) / (double) count;
                leds[i] = share > 0.9 ? RED : share > 0.7 ? AMBER : GREEN;
            }
        } else if (mode == LedMode.LED_MODE_DIRECTION && azimuth != null) {
            // LED 0 is at the array's 0 degrees and they go round counter-clockwise, as the azimuth does
            leds[Math.floorMod((int) Math.round(azimuth / 360.0 * count), count)] = BLUE;
        }
        return leds;
    }

    static LedMode mode(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase()) {
            case "level" -> LedMode.LED_MODE_LEVEL;
            case "direction" -> LedMode.LED_MODE_DIRECTION;
            case "off" -> LedMode.LED_MODE_OFF;
            default -> throw new IllegalArgumentException("LED mode '" + name + "': level, direction or off");
        };
    }

    static String name(LedMode mode) {
        return switch (mode) {
            case LED_MODE_DIRECTION -> "direction";
            case LED_MODE_OFF -> "off";
            default -> "level";
        };
    }

    /** Button 2's cycle: level, direction, off, level ... */
    static LedMode nextMode(LedMode mode) {
        return switch (mode) {
            case LED_MODE_LEVEL -> LedMode.LED_MODE_DIRECTION;
            case LED_MODE_DIRECTION -> LedMode.LED_MODE_OFF;
            default -> LedMode.LED_MODE_LEVEL;
        };
    }
}
