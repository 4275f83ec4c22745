package io.earshot.source.synthetic.internal;

import java.util.SplittableRandom;

/**
 * What the simulated array hears: one far-field sound source circling the array, made of a
 * steady tone and speech-like bursts (partials spread over 300-3400 Hz under a syllable-rate
 * on/off envelope), plus independent Gaussian noise at each microphone.
 * <p>
 * Every partial is a sinusoid, so each microphone's signal is computed exactly at its own
 * delayed time (a fractional delay with no interpolation error): per segment of frames each
 * partial is computed once at the array's centre, and each microphone's delay is a phase shift
 * of it, which costs two multiplications per partial and sample.
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
    private final double[] burst;      // the speech partials at one microphone, before the envelope
    private final double[] tone;
    private final double[] envelope;
    private final double[][] sines;    // per partial, over one segment, at the array's centre
    private final double[][] cosines;

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
        boolean audibleTone = settings.toneHz() > 0 && settings.toneHz() < nyquist;
        omega[0] = 2 * Math.PI * settings.toneHz();
        amplitude[0] = audibleTone ? TONE_AMPLITUDE : 0;
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
        burst = new double[SEGMENT_FRAMES];
        tone = new double[SEGMENT_FRAMES];
        envelope = new double[SEGMENT_FRAMES];
        sines = new double[count][SEGMENT_FRAMES];
        cosines = new double[count][SEGMENT_FRAMES];
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
            fillPartials(segmentFrame / (double) rate, n);
            for (int m = 0; m < channels; m++) {
                double lead = geometry.leadSeconds(m, azimuth, SPEED_OF_SOUND);
                java.util.Arrays.fill(burst, 0, n, 0);
                java.util.Arrays.fill(tone, 0, n, 0);
                for (int k = 0; k < omega.length; k++) {
                    if (amplitude[k] == 0) continue;
                    // this microphone hears partial k shifted in phase by omega * lead:
                    // a sin(x + d) = (a cos d) sin x + (a sin d) cos x
                    double shift = omega[k] * lead;
                    addShifted(isBurst[k] ? burst : tone, k, amplitude[k] * Math.cos(shift),
                            amplitude[k] * Math.sin(shift), n);
                }
                int noiseAt = random.nextInt(NOISE_TABLE);
                double scale = gain * 32767;
                for (int f = 0, i = start * channels + m; f < n; f++, i += channels) {
                    double v = (tone[f] + envelope[f] * burst[f] + noiseSigma * noise[(noiseAt + f) & (NOISE_TABLE - 1)]) * scale;
                    out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
                }
            }
        }
    }

    /**
     * Each partial's sine and cosine over the segment as heard at the array's centre, once for all
     * microphones (a phasor rotation per sample); each microphone then only shifts the phase.
     */
    private void fillPartials(double t0, int n) {
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

    private void addShifted(double[] into, int k, double sineWeight, double cosineWeight, int n) {
        double[] sk = sines[k], ck = cosines[k];
        for (int f = 0; f < n; f++) {
            into[f] += sineWeight * sk[f] + cosineWeight * ck[f];
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
