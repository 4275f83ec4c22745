package io.earshot.examples.fusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where bearings from several arrays cross: the point nearest to all their lines in the least-squares
 * sense (the sum of squared perpendicular distances), solved in closed form from the 2 x 2 normal
 * equations.
 * <ul>
 * <li>Parallel bearings cross nowhere to trust: when the lines' directions are too close (the
 * normal matrix's smallest eigenvalue per line below {@code 1 - cos(minAngle)}, which for two lines
 * is their angle being under {@code minAngle}), there is no estimate and the answer says why.</li>
 * <li>A bearing is a ray, not a line: a crossing behind an array, or farther than {@code outlierMetres}
 * from its ray, marks that bearing an outlier; with three or more, the worst is dropped and the rest
 * solved again, while two remain.</li>
 * </ul>
 */
final class Fusion {

    /** One array's bearing: its place and the room direction, degrees counter-clockwise from +x, it hears the sound in. */
    record Bearing(String stream, double x, double y, double bearingDegrees) {
        double ux() { return Math.cos(Math.toRadians(bearingDegrees)); }
        double uy() { return Math.sin(Math.toRadians(bearingDegrees)); }
    }

    /** The estimate (null when there is none, with the reason), which bearings it used and why others were left out. */
    record Estimate(double[] position, String problem, List<String> used, Map<String, String> rejected) { }

    private final double minAngleDegrees;
    private final double outlierMetres;

    Fusion(double minAngleDegrees, double outlierMetres) {
        this.minAngleDegrees = minAngleDegrees;
        this.outlierMetres = outlierMetres;
    }

    double minAngleDegrees() {
        return minAngleDegrees;
    }

    Estimate estimate(List<Bearing> bearings) {
        List<Bearing> kept = new ArrayList<>(bearings);
        Map<String, String> rejected = new LinkedHashMap<>();
        while (true) {
            if (kept.size() < 2) {
                return new Estimate(null, "fewer than two bearings to cross (" + kept.size() + ")", names(kept), rejected);
            }
            double[] point = crossing(kept);
            if (point == null) {
                return new Estimate(null, "the bearings are within " + minAngleDegrees + " degrees of parallel: no crossing to trust",
                        names(kept), rejected);
            }
            int worst = -1;
            double worstMiss = outlierMetres;
            for (int i = 0; i < kept.size(); i++) {
                double miss = miss(kept.get(i), point);
                if (miss > worstMiss) {
                    worst = i;
                    worstMiss = miss;
                }
            }
            if (worst < 0) {
                return new Estimate(point, null, names(kept), rejected);
            }
            if (kept.size() == 2) {
                return new Estimate(null, "the two bearings do not cross in front of both arrays (" + kept.get(worst).stream()
                        + " misses by " + round(worstMiss) + " m)", names(kept), rejected);
            }
            rejected.put(kept.get(worst).stream(), "an outlier: " + round(worstMiss) + " m from the crossing of the others");
            kept.remove(worst);
        }
    }

    /** The least-squares crossing of the bearings' lines, or null when they are too near parallel. */
    private double[] crossing(List<Bearing> bearings) {
        // normal of each line n = (-uy, ux); minimise sum (n . (p - a))^2: (sum n n^T) p = sum n n^T a
        double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
        for (Bearing b : bearings) {
            double nx = -b.uy(), ny = b.ux();
            double along = nx * b.x() + ny * b.y();
            a11 += nx * nx;
            a12 += nx * ny;
            a22 += ny * ny;
            b1 += nx * along;
            b2 += ny * along;
        }
        double trace = a11 + a22, det = a11 * a22 - a12 * a12;
        double smallest = trace / 2 - Math.sqrt(Math.max(0, trace * trace / 4 - det));
        if (smallest < 1 - Math.cos(Math.toRadians(minAngleDegrees))) {
            return null;
        }
        return new double[] {(a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det};
    }

    /** How far the point is from the bearing's ray: its perpendicular distance in front, its distance from the array behind. */
    private static double miss(Bearing b, double[] p) {
        double dx = p[0] - b.x(), dy = p[1] - b.y();
        double ahead = dx * b.ux() + dy * b.uy();
        return ahead >= 0 ? Math.abs(-b.uy() * dx + b.ux() * dy) : Math.hypot(dx, dy);
    }

    private static List<String> names(List<Bearing> bearings) {
        return bearings.stream().map(Bearing::stream).toList();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
