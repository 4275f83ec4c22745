package io.earshot.source.synthetic.internal;

import java.util.SplittableRandom;

/**
 * Gaussian noise of unit variance, drawn once: each microphone reads it from a random offset per
 * segment, so the microphones' noises are independent at the cost of an array lookup a sample.
 */
final class NoiseTable {

    private static final int SIZE = 1 << 16;

    private final double[] values = new double[SIZE];
    private final SplittableRandom random;

    NoiseTable(SplittableRandom random) {
        this.random = random;
        for (int i = 0; i < SIZE; i++) {
            values[i] = Voice.gaussian(random);
        }
    }

    /** A random place to read a segment's noise from. */
    int start() {
        return random.nextInt(SIZE);
    }

    double at(int start, int f) {
        return values[(start + f) & (SIZE - 1)];
    }
}
