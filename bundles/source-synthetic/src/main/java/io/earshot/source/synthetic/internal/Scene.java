package io.earshot.source.synthetic.internal;

import java.util.SplittableRandom;

/**
 * What the simulated array hears: one far-field talker ({@link Voice}) circling the array, plus
 * independent Gaussian noise at each microphone. Each microphone's delay is a phase shift of the
 * voice's partials, exact at any fraction of a sample.
 */
final class Scene implements Rendering {

    static final double SPEED_OF_SOUND = 343.0;
    /** The source moves this little within a segment that its delays are taken as constant. */
    static final int SEGMENT_FRAMES = 512;

    private final int rate;
    private final ArrayGeometry geometry;
    private final SyntheticSettings settings;
    private final Voice voice;
    private final NoiseTable noise;
    private final double noiseSigma;
    private final double[] burst = new double[SEGMENT_FRAMES];
    private final double[] tone = new double[SEGMENT_FRAMES];
    private final double[] envelope = new double[SEGMENT_FRAMES];

    Scene(int rate, int channels, SyntheticSettings settings) {
        this.rate = rate;
        this.settings = settings;
        this.geometry = ArrayGeometry.of(channels, settings.radius());
        SplittableRandom random = new SplittableRandom(settings.seed());
        this.voice = new Voice(rate, settings.toneHz(), settings.speech(), settings.seed(), random, SEGMENT_FRAMES);
        double signalRms = voice.rms();
        noiseSigma = signalRms > 0 ? signalRms / Math.pow(10, settings.snrDb() / 20) : 0.01;
        noise = new NoiseTable(random);
    }

    @Override
    public ArrayGeometry geometry() {
        return geometry;
    }

    /** True azimuth in degrees (0..360) at frame {@code frame} since the start. */
    double azimuthDegrees(long frame) {
        double degrees = settings.startAzimuth() + settings.angularSpeed() * frame / (double) rate;
        return ((degrees % 360) + 360) % 360;
    }

    @Override
    public void render(long firstFrame, int frames, double gain, short[] out) {
        int channels = geometry.size();
        for (int start = 0; start < frames; start += SEGMENT_FRAMES) {
            int n = Math.min(SEGMENT_FRAMES, frames - start);
            long segmentFrame = firstFrame + start;
            double azimuth = Math.toRadians(azimuthDegrees(segmentFrame + n / 2));
            double t0 = segmentFrame / (double) rate;
            voice.fillEnvelope(t0, n, envelope);
            voice.fillPartials(t0, n);
            for (int m = 0; m < channels; m++) {
                java.util.Arrays.fill(burst, 0, n, 0);
                java.util.Arrays.fill(tone, 0, n, 0);
                voice.addHeard(geometry.leadSeconds(m, azimuth, SPEED_OF_SOUND), 1, tone, burst, n);
                int noiseAt = noise.start();
                double scale = gain * 32767;
                for (int f = 0, i = start * channels + m; f < n; f++, i += channels) {
                    double v = (tone[f] + envelope[f] * burst[f] + noiseSigma * noise.at(noiseAt, f)) * scale;
                    out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
                }
            }
        }
    }

    @Override
    public java.util.Map<String, Object> truth(long frame) {
        java.util.Map<String, Object> truth = new java.util.LinkedHashMap<>();
        truth.put("azimuth_deg", Math.round(azimuthDegrees(frame) * 100) / 100.0);
        truth.put("convention", "degrees counter-clockwise from mic 0 (+x), array centre to sound source,"
                + " at the last frame of the latest buffer");
        return truth;
    }

    double noiseSigma() {
        return noiseSigma;
    }
}
