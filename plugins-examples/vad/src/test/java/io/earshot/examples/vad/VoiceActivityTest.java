package io.earshot.examples.vad;

import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

public class VoiceActivityTest {

    /** 1 s of noise, 1 s of syllable-like bursts 20 dB above it, 1 s of noise again. */
    private static float[] signal(int rate) {
        Random random = new Random(3);
        float[] x = new float[3 * rate];
        for (int i = 0; i < x.length; i++) {
            double noise = 0.005 * random.nextGaussian();
            double t = (double) i / rate;
            double burst = t >= 1 && t < 2 ? 0.05 * Math.max(0, Math.sin(2 * Math.PI * 4 * t))
                    * (Math.sin(2 * Math.PI * 440 * t) + 0.6 * Math.sin(2 * Math.PI * 1250 * t)) : 0;
            x[i] = (float) (noise + burst);
        }
        return x;
    }

    @Test
    public void speechIsFoundInTheBurstsAndNotInTheNoise() {
        int rate = 16000;
        List<VoiceActivity.Frame> frames = new ArrayList<>();
        new VoiceActivity(rate, 9, 10).feed(signal(rate), frames::add);
        int noiseSpeech = 0, burstSpeech = 0;
        for (int i = 0; i < frames.size(); i++) {
            double t = i * 0.02;
            if (t >= 0.3 && t < 0.95 || t >= 2.4) noiseSpeech += frames.get(i).speech() ? 1 : 0;
            if (t >= 1.05 && t < 1.95) burstSpeech += frames.get(i).speech() ? 1 : 0;
        }
        assertTrue("frames of noise taken for speech: " + noiseSpeech, noiseSpeech <= 2);
        assertTrue("frames of the bursts taken for speech: " + burstSpeech + " of 45", burstSpeech >= 40);
    }
}
