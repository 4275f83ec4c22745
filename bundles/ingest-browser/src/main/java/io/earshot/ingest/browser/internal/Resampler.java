package io.earshot.ingest.browser.internal;

/**
 * A talk's samples at the browser source's rate when the talk has another (16 kHz into a 48 kHz
 * source, or back): polyphase windowed-sinc (Blackman) over the ratio's upsampled rate, cut off a
 * little below the lower rate's Nyquist frequency so nothing folds back; its state runs across
 * messages, so a talk sent in pieces comes out as if sent whole.
 */
final class Resampler {

    /** Filter length per unit of the larger ratio term: 96 taps for 1:3 (a transition band of about 2.8 kHz). */
    private static final int TAPS_PER_STEP = 32;
    /** Cut-off as a share of the lower rate's Nyquist frequency. */
    private static final double CUTOFF = 0.9;

    final int toRate;
    private final int up;
    private final int down;
    private final int taps;
    /** The filter, phase by phase: {@code phases[p][k]} is tap {@code p + k * up}, scaled by {@code up}. */
    private final float[][] phases;
    private float[] history;
    private long consumed;
    /** Position of the next output on the upsampled time line. */
    private long next;

    Resampler(int fromRate, int toRate) {
        this.toRate = toRate;
        int g = gcd(fromRate, toRate);
        up = toRate / g;
        down = fromRate / g;
        int length = TAPS_PER_STEP * Math.max(up, down);
        taps = (length + up - 1) / up;
        double fc = CUTOFF * 0.5 / Math.max(up, down); // cycles per upsampled sample
        phases = new float[up][taps];
        double middle = (taps * up - 1) / 2.0;
        for (int j = 0; j < taps * up; j++) {
            double t = j - middle;
            double sinc = t == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
            double window = 0.42 - 0.5 * Math.cos(2 * Math.PI * (j + 0.5) / (taps * up))
                    + 0.08 * Math.cos(4 * Math.PI * (j + 0.5) / (taps * up));
            phases[j % up][j / up] = (float) (sinc * window * up);
        }
        history = new float[taps - 1];
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The output for the next {@code length} samples of {@code in}. */
    short[] process(short[] in, int length) {
        float[] work = new float[taps - 1 + length];
        System.arraycopy(history, 0, work, 0, taps - 1);
        for (int i = 0; i < length; i++) work[taps - 1 + i] = in[i];
        long base = consumed - (taps - 1); // the input index of work[0]
        consumed += length;
        int count = (int) Math.max(0, (consumed * up - next + down - 1) / down);
        short[] out = new short[count];
        int n = 0;
        for (; next / up < consumed && n < count; next += down) {
            int at = (int) (next / up - base);
            float[] h = phases[(int) (next % up)];
            double sum = 0;
            for (int k = 0; k < taps; k++) sum += work[at - k] * h[k];
            out[n++] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sum)));
        }
        System.arraycopy(work, work.length - (taps - 1), history, 0, taps - 1);
        return n == count ? out : java.util.Arrays.copyOf(out, n);
    }
}
