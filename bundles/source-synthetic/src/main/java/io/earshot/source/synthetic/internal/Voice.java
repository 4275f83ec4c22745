package io.earshot.source.synthetic.internal;

import java.util.SplittableRandom;

/**
 * One simulated talker: a steady tone and speech-like bursts (partials spread over 300-3400 Hz
 * under a syllable-rate on/off envelope). Every partial is a sinusoid, so a microphone hears it
 * at any fractional delay exactly, as a phase shift: per segment each partial is computed once
 * (a phasor rotation per sample) and each microphone weighs its sine and cosine.
 */
final class Voice {

    static final int PARTIALS = 12;
    static final double SYLLABLE_SECONDS = 0.2;
    private static final double TONE_AMPLITUDE = 0.08;
    private static final double BURST_RMS = 0.15;

    private final int rate;
    private final long seed;
    private final boolean speech;
    private final double[] omega;      // rad/s per partial; index 0 is the tone
    private final double[] amplitude;
    private final double[] phase;
    private final double[][] sines;    // per partial, over one segment, undelayed
    private final double[][] cosines;

    /** Draws its partials' frequencies and phases from {@code random}. */
    Voice(int rate, double toneHz, boolean speech, long seed, SplittableRandom random, int segmentFrames) {
        this.rate = rate;
        this.seed = seed;
        this.speech = speech;
        int count = PARTIALS + 1;
        omega = new double[count];
        amplitude = new double[count];
        phase = new double[count];
        double nyquist = rate / 2.0;
        omega[0] = 2 * Math.PI * toneHz;
        amplitude[0] = toneHz > 0 && toneHz < nyquist ? TONE_AMPLITUDE : 0;
        double burstAmplitude = speech ? BURST_RMS * Math.sqrt(2.0 / PARTIALS) : 0;
        for (int k = 1; k < count; k++) {
            // log-spaced over the telephone band, jittered, kept below Nyquist
            double f = 300 * Math.pow(3400 / 300.0, (k - 1 + random.nextDouble()) / PARTIALS);
            omega[k] = 2 * Math.PI * Math.min(f, nyquist * 0.9);
            amplitude[k] = burstAmplitude;
            phase[k] = random.nextDouble() * 2 * Math.PI;
        }
        sines = new double[count][segmentFrames];
        cosines = new double[count][segmentFrames];
    }

    /** The root mean square of the voice while it speaks (tone and bursts). */
    double rms() {
        return Math.sqrt(amplitude[0] * amplitude[0] / 2 + (speech ? BURST_RMS * BURST_RMS : 0));
    }

    /** Each partial's sine and cosine over {@code n} frames from {@code t0} seconds, undelayed. */
    void fillPartials(double t0, int n) {
        for (int k = 0; k < omega.length; k++) {
            if (amplitude[k] == 0) continue;
            double p0 = omega[k] * t0 + phase[k];
            double c = Math.cos(p0), s = Math.sin(p0);
            double step = omega[k] / rate;
            double rc = Math.cos(step), rs = Math.sin(step);
            double[] sk = sines[k], ck = cosines[k];
            for (int f = 0; f < n; f++) {
                sk[f] = s;
                ck[f] = c;
                double nc = c * rc - s * rs;
                s = s * rc + c * rs;
                c = nc;
            }
        }
    }

    /**
     * Adds to {@code tone} and {@code burst} what a microphone hears {@code leadSeconds} earlier
     * (negative: later) than the undelayed voice, scaled by {@code gain}, over the segment last filled.
     */
    void addHeard(double leadSeconds, double gain, double[] tone, double[] burst, int n) {
        for (int k = 0; k < omega.length; k++) {
            if (amplitude[k] == 0) continue;
            // a sin(x + d) = (a cos d) sin x + (a sin d) cos x
            double shift = omega[k] * leadSeconds;
            double sineWeight = gain * amplitude[k] * Math.cos(shift), cosineWeight = gain * amplitude[k] * Math.sin(shift);
            double[] into = k == 0 ? tone : burst;
            double[] sk = sines[k], ck = cosines[k];
            for (int f = 0; f < n; f++) {
                into[f] += sineWeight * sk[f] + cosineWeight * ck[f];
            }
        }
    }

    /** Syllables of 0.2 s, two in three voiced, each a raised sine: speech's on/off rhythm. */
    void fillEnvelope(double t0, int n, double[] envelope) {
        for (int f = 0; f < n; f++) {
            double t = t0 + f / (double) rate;
            long syllable = (long) Math.floor(t / SYLLABLE_SECONDS);
            boolean voiced = Math.floorMod(mixBits(syllable ^ seed), 3) != 0;
            double within = Math.sin(Math.PI * (t / SYLLABLE_SECONDS - syllable));
            envelope[f] = voiced ? within * within : 0;
        }
    }

    private static long mixBits(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
