package io.earshot.examples.doa;

/**
 * Microphone positions in metres (x, y), array centre at the origin, as the simulated array and
 * the CompactSix board have them: mic 0 on +x, counter-clockwise. Azimuths are degrees
 * counter-clockwise from +x, from the array centre towards the sound.
 */
public record Geometry(double[][] positions) {

    /** {@code count} mics on a circle of {@code radius}; 48 mics: three rings of 16 (r, 2r, 3r), each turned half a step. */
    public static Geometry standard(int count, double radius) {
        double[][] p = new double[count][];
        if (count == 48) {
            for (int ring = 0; ring < 3; ring++) {
                for (int i = 0; i < 16; i++) {
                    double angle = 2 * Math.PI * (i + ring * 0.5) / 16;
                    p[ring * 16 + i] = new double[] {radius * (ring + 1) * Math.cos(angle), radius * (ring + 1) * Math.sin(angle)};
                }
            }
        } else {
            for (int i = 0; i < count; i++) {
                double angle = 2 * Math.PI * i / count;
                p[i] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
            }
        }
        return new Geometry(p);
    }

    /** "x,y;x,y;..." in metres, one pair per channel. */
    public static Geometry parse(String text) {
        String[] pairs = text.trim().split(";");
        double[][] p = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            String[] xy = pairs[i].trim().split(",");
            if (xy.length != 2) {
                throw new IllegalArgumentException("positions: mic " + i + " is '" + pairs[i] + "'; expected x,y in metres");
            }
            p[i] = new double[] {Double.parseDouble(xy[0].trim()), Double.parseDouble(xy[1].trim())};
        }
        return new Geometry(p);
    }

    public int size() {
        return positions.length;
    }

    /** Seconds by which mic {@code m} hears a plane wave from {@code azimuth} (radians) before the centre does. */
    public double lead(int m, double azimuth, double speedOfSound) {
        return (positions[m][0] * Math.cos(azimuth) + positions[m][1] * Math.sin(azimuth)) / speedOfSound;
    }
}
