package io.earshot.source.synthetic.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Microphone positions in metres, array centre at the origin, in the x-y plane. Six channels:
 * the CompactSix board (6 mics on a circle of radius 0.0625 m, mic 0 on +x, counter-clockwise).
 * Forty-eight: three concentric rings of 16 mics (radii r, 2r and 3r, each ring turned by half a
 * step from the previous), a planar stand-in for the 48-mic Pyramic. Any other count: that many
 * mics equally spaced on the circle of radius r.
 */
record ArrayGeometry(double[][] positions) {

    static final int RING_MICS = 16;

    static ArrayGeometry of(int channels, double radius) {
        double[][] p = new double[channels][];
        if (channels == 48) {
            for (int ring = 0; ring < 3; ring++) {
                double r = radius * (ring + 1);
                for (int i = 0; i < RING_MICS; i++) {
                    double angle = 2 * Math.PI * (i + ring * 0.5) / RING_MICS;
                    p[ring * RING_MICS + i] = new double[] {r * Math.cos(angle), r * Math.sin(angle), 0};
                }
            }
        } else {
            for (int i = 0; i < channels; i++) {
                double angle = 2 * Math.PI * i / channels;
                p[i] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle), 0};
            }
        }
        return new ArrayGeometry(p);
    }

    int size() {
        return positions.length;
    }

    /**
     * How much earlier mic {@code m} hears a far-field plane wave from azimuth {@code radians}
     * than the array centre does, in seconds: the projection of its position on the direction
     * to the source, over the speed of sound.
     */
    double leadSeconds(int m, double radians, double speedOfSound) {
        return (positions[m][0] * Math.cos(radians) + positions[m][1] * Math.sin(radians)) / speedOfSound;
    }

    List<List<Double>> asList() {
        List<List<Double>> list = new ArrayList<>();
        for (double[] p : positions) {
            list.add(List.of(round(p[0]), round(p[1]), round(p[2])));
        }
        return list;
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
