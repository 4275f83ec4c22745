package io.earshot.bench;

/**
 * A preallocated log-linear histogram of non-negative long values (the load tool records
 * microseconds). Values below 256 are kept exactly; above, each power of two is split into 128
 * buckets, so a reported percentile is within 0.4% of the true value. Recording is one array
 * increment: no allocation, safe to call per message.
 * <p>
 * Not thread-safe: each client records into its own histogram (on the one thread that delivers
 * its frames) and the histograms are merged after the run.
 */
public final class Histogram {

    private static final int EXACT = 256;          // values 0..255 have their own bucket
    private static final int SUB_BITS = 7;          // 128 buckets per power of two above that
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40;     // values are capped below 2^41 (25 days in us)
    static final long MAX_VALUE = (1L << (MAX_EXPONENT + 1)) - 1;
    private static final int BUCKETS = EXACT + (MAX_EXPONENT - 7) * SUB;

    private final int[] counts = new int[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private double sum;

    /** Records one value; negative values count as 0, values above {@link #MAX_VALUE} as that. */
    public void record(long value) {
        long v = value < 0 ? 0 : Math.min(value, MAX_VALUE);
        counts[index(v)]++;
        count++;
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
    }

    static int index(long v) {
        if (v < EXACT) return (int) v;
        int exponent = 63 - Long.numberOfLeadingZeros(v);          // >= 8
        int sub = (int) (v >>> (exponent - SUB_BITS)) - SUB;       // 0..127
        return EXACT + (exponent - 8) * SUB + sub;
    }

    static long lowerBound(int index) {
        if (index < EXACT) return index;
        int exponent = 8 + (index - EXACT) / SUB;
        int sub = SUB + (index - EXACT) % SUB;
        return (long) sub << (exponent - SUB_BITS);
    }

    static long width(int index) {
        if (index < EXACT) return 1;
        int exponent = 8 + (index - EXACT) / SUB;
        return 1L << (exponent - SUB_BITS);
    }

    public void add(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) counts[i] += other.counts[i];
        count += other.count;
        if (other.count > 0) {
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
        sum += other.sum;
    }

    public long count() { return count; }

    /** The largest recorded value (exact), or -1 if nothing was recorded. */
    public long max() { return count == 0 ? -1 : max; }

    public long min() { return count == 0 ? -1 : min; }

    public double mean() { return count == 0 ? Double.NaN : sum / count; }

    /**
     * The value at percentile {@code p} (0..100) by nearest rank: the smallest recorded value such
     * that at least p% of the values are at or below it, reported as the middle of its bucket
     * (exact below 256) and clamped to the recorded min and max. -1 if nothing was recorded.
     */
    public long percentile(double p) {
        if (count == 0) return -1;
        long rank = (long) Math.ceil(p / 100.0 * count);
        if (rank < 1) rank = 1;
        if (rank > count) rank = count;
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long mid = lowerBound(i) + (width(i) - 1) / 2;
                return Math.max(min, Math.min(max, mid));
            }
        }
        return max;
    }
}
