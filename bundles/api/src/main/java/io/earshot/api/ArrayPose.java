package io.earshot.api;

/**
 * Where an array stands in a room, seen from above: its centre at {@code (x, y)} metres in the
 * room's frame, and its own +x axis (the direction of mic 0) turned {@code headingDegrees}
 * counter-clockwise from the room's +x axis. Azimuths of the array (degrees counter-clockwise
 * from its mic 0) become room bearings by adding the heading.
 *
 * @since 1.7
 */
public record ArrayPose(double x, double y, double headingDegrees) {

    public ArrayPose {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(headingDegrees)) {
            throw new IllegalArgumentException("a pose needs finite numbers, got " + x + ", " + y + ", " + headingDegrees);
        }
    }

    /**
     * Parses {@code "x,y,heading"} (metres, metres, degrees), as a stream's {@code pose} setting
     * is written.
     *
     * @throws IllegalArgumentException with what is wrong and what is expected
     */
    public static ArrayPose parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\s*,\\s*");
        if (parts.length != 3) {
            throw new IllegalArgumentException("pose '" + text + "' is not x,y,heading (metres, metres, degrees), e.g. 1.5,0,90");
        }
        try {
            return new ArrayPose(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pose '" + text + "' is not x,y,heading (metres, metres, degrees), e.g. 1.5,0,90");
        }
    }

    /** The room bearing, degrees counter-clockwise from the room's +x axis in 0..360, of an azimuth of this array. */
    public double bearingDegrees(double arrayAzimuthDegrees) {
        double bearing = (arrayAzimuthDegrees + headingDegrees) % 360;
        return bearing < 0 ? bearing + 360 : bearing;
    }

    /** The azimuth of this array, degrees in 0..360, at which it hears a point {@code (px, py)} of the room. */
    public double azimuthDegreesOf(double px, double py) {
        double bearing = Math.toDegrees(Math.atan2(py - y, px - x)) - headingDegrees;
        bearing %= 360;
        return bearing < 0 ? bearing + 360 : bearing;
    }

    @Override
    public String toString() {
        return x + "," + y + "," + headingDegrees;
    }
}
