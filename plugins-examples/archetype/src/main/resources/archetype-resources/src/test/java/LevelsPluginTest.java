package ${package};

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class LevelsPluginTest {

    @Test
    public void theRmsOfASineIsItsAmplitudeOverTheSquareRootOfTwo() {
        float[] sine = new float[4800];
        for (int i = 0; i < sine.length; i++) sine[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 48000.0));
        assertEquals(0.5 / Math.sqrt(2), LevelsPlugin.rms(sine), 1e-4);
        assertEquals(0, LevelsPlugin.rms(new float[0]), 0);
    }
}
