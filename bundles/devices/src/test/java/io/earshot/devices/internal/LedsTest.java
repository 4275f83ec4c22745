package io.earshot.devices.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

import io.earshot.devices.v1.LedMode;

public class LedsTest {

    @Test
    public void theLevelLightsAsManyLedsAsItIsAboveMinus60Db() {
        assertEquals(0, lit(Leds.render(LedMode.LED_MODE_LEVEL, 12, -70, null)));
        assertEquals(6, lit(Leds.render(LedMode.LED_MODE_LEVEL, 12, -30, null)));
        assertEquals(12, lit(Leds.render(LedMode.LED_MODE_LEVEL, 12, 0, null)));
    }

    @Test
    public void oneLedPointsAtTheSourceCounterClockwiseFromLedZero() {
        int[] leds = Leds.render(LedMode.LED_MODE_DIRECTION, 12, 0, 90.0);
        assertEquals(1, lit(leds));
        assertEquals(0, leds[0]);
        assertEquals(true, leds[3] != 0);
        assertEquals(0, lit(Leds.render(LedMode.LED_MODE_DIRECTION, 12, 0, null)));
    }

    @Test
    public void buttonTwoCyclesLevelDirectionOff() {
        assertEquals(LedMode.LED_MODE_DIRECTION, Leds.nextMode(LedMode.LED_MODE_LEVEL));
        assertEquals(LedMode.LED_MODE_OFF, Leds.nextMode(LedMode.LED_MODE_DIRECTION));
        assertEquals(LedMode.LED_MODE_LEVEL, Leds.nextMode(LedMode.LED_MODE_OFF));
        assertArrayEquals(new int[12], Leds.render(LedMode.LED_MODE_OFF, 12, 0, 10.0));
    }

    private static int lit(int[] leds) {
        int n = 0;
        for (int v : leds) if (v != 0) n++;
        return n;
    }
}
