package io.earshot.source.synthetic.internal;

import java.util.SplittableRandom;

/**
 * What the simulated array hears: one far-field sound source circling the array, made of a
 * steady tone and speech-like bursts (partials spread over 300-3400 Hz under a syllable-rate
 * on/off envelope), plus independent Gaussian noise at each microphone.
 * <p>
 * Every partial is a sinusoid, so each microphone's signal is computed exactly at its own
 * delayed time (a fractional delay with no interpolation error): per segment of frames the
 * phase is set from the delay, then advanced by a phasor rotation per sample.
 */
final class Scene {

    static final double SPEED_OF_SOUND = 343.0;
    static final int PARTIALS = 12;
    static final double SYLLABLE_SECONDS = 0.2;
    /** The source moves this little within a segment that its delays are taken as constant. */
    static final int SEGMENT_FRAMES = 512;
    private static final double TONE_AMPLITUDE = 0.08;
    private static final double BURST_RMS = 0.15;
    private static final int NOISE_TABLE = 1 << 16;

    private final int rate;
    private final ArrayGeometry geometry;
    private final SyntheticSettings settings;
    private final double[] omega;      // rad/s per partial; index 0 is the tone
    private final double[] amplitude;
    private final double[] phase;
    private final boolean[] isBurst;
    private final double[] noise = new double[NOISE_TABLE];
    private final double noiseSigma;
    private final SplittableRandom random;
    private final double[] mix;
    private final double[] envelope;

    Scene(int rate, int channels, SyntheticSettings settings) {
        this.rate = rate;
        this.settings = settings;
        this.geometry = ArrayGeometry.of(channels, settings.radius());
        this.random = new SplittableRandom(settings.seed());
        int count = PARTIALS + 1;
        omega = new double[count];
        amplitude = new double[count];
        phase = new double[count];
        isBurst = new boolean[count];
        double nyquist = rate / 2.0;
        boolean tone = settings.toneHz() > 0 && settings.toneHz() < nyquist;
        omega[0] = 2 * Math.PI * settings.toneHz();
        amplitude[0] = tone ? TONE_AMPLITUDE : 0;
        double burstAmplitude = settings.speech() ? BURST_RMS * Math.sqrt(2.0 / PARTIALS) : 0;
        for (int k = 1; k < count; k++) {
            // log-spaced over the telephone band, jittered, kept below Nyquist
            double f = 300 * Math.pow(3400 / 300.0, (k - 1 + random.nextDouble()) / PARTIALS);
            omega[k] = 2 * Math.PI * Math.min(f, nyquist * 0.9);
            amplitude[k] = burstAmplitude;
            phase[k] = random.nextDouble() * 2 * Math.PI;
            isBurst[k] = true;
        }
        double signalRms = Math.sqrt(amplitude[0] * amplitude[0] / 2 + (settings.speech() ? BURST_RMS * BURST_RMS : 0));
        noiseSigma = signalRms > 0 ? signalRms / Math.pow(10, settings.snrDb() / 20) : 0.01;
        for (int i = 0; i < NOISE_TABLE; i++) {
            noise[i] = gaussian(random);
        }
        mix = new double[SEGMENT_FRAMES];
        envelope = new double[SEGMENT_FRAMES];
    }

    ArrayGeometry geometry() {
        return geometry;
    }

    /** True azimuth in degrees (0..360) at frame {@code frame} since the start. */
    double azimuthDegrees(long frame) {
        double degrees = settings.startAzimuth() + settings.angularSpeed() * frame / (double) rate;
        return ((degrees % 360) + 360) % 360;
    }

    /**
     * Renders {@code frames} frames starting at stream frame {@code firstFrame} into
     * {@code out} (interleaved), scaled by {@code gain} (the volume, applied in software).
     */
    void render(long firstFrame, int frames, double gain, short[] out) {
        int channels = geometry.size();
        for (int start = 0; start < frames; start += SEGMENT_FRAMES) {
            int n = Math.min(SEGMENT_FRAMES, frames - start);
            long segmentFrame = firstFrame + start;
            double azimuth = Math.toRadians(azimuthDegrees(segmentFrame + n / 2));
            fillEnvelope(segmentFrame, n);
            for (int m = 0; m < channels; m++) {
                double t0 = segmentFrame / (double) rate + geometry.leadSeconds(m, azimuth, SPEED_OF_SOUND);
                java.util.Arrays.fill(mix, 0, n, 0);
                for (int k = 0; k < omega.length; k++) {
                    if (amplitude[k] == 0) continue;
                    addPartial(k, t0, n);
                }
                int noiseAt = random.nextInt(NOISE_TABLE);
                double scale = gain * 32767;
                for (int f = 0, i = start * channels + m; f < n; f++, i += channels) {
                    double v = (mix[f] + noiseSigma * noise[(noiseAt + f) & (NOISE_TABLE - 1)]) * scale;
                    out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
                }
            }
        }
    }

    private void addPartial(int k, double t0, int n) {
        double p0 = omega[k] * t0 + phase[k];
        double c = Math.cos(p0), s = Math.sin(p0);
        double step = omega[k] / rate;
        double rc = Math.cos(step), rs = Math.sin(step);
        double a = amplitude[k];
        if (isBurst[k]) {
            for (int f = 0; f < n; f++) {
                mix[f] += a * envelope[f] * s;
                double nc = c * rc - s * rs;
                s = s * rc + c * rs;
                c = nc;
            }
        } else {
            for (int f = 0; f < n; f++) {
                mix[f] += a * s;
                double nc = c * rc - s * rs;
                s = s * rc + c * rs;
                c = nc;
            }
        }
    }

    /** Syllables of 0.2 s, two in three voiced, each a raised sine: speech's on/off rhythm. */
    private void fillEnvelope(long firstFrame, int n) {
        for (int f = 0; f < n; f++) {
            double t = (firstFrame + f) / (double) rate;
            long syllable = (long) Math.floor(t / SYLLABLE_SECONDS);
            boolean voiced = Math.floorMod(mixBits(syllable ^ settings.seed()), 3) != 0;
            double within = Math.sin(Math.PI * (t / SYLLABLE_SECONDS - syllable));
            envelope[f] = voiced ? within * within : 0;
        }
    }

    private static long mixBits(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    double noiseSigma() {
        return noiseSigma;
    }
}
