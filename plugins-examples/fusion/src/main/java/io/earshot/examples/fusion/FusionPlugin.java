package io.earshot.examples.fusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;

import io.earshot.api.ArrayPose;
import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;
import io.earshot.api.StatusContributor;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;
import io.earshot.api.Streams;
import io.earshot.examples.doa.Doa;
import io.earshot.examples.doa.Geometry;

/**
 * Where the sound is in the room, from several arrays: each stream whose array has a pose (the
 * {@code pose} of its configuration, or its simulated room's) gives its direction of arrival
 * (SRP-PHAT, refined between grid degrees), turned into a room bearing; the freshest bearings
 * are crossed by least squares ({@link Fusion}: near-parallel bearings give no estimate, outliers
 * are dropped) after every new one. The arrays, their bearings, the estimate and its trail are
 * drawn on a {@code base:map}; the estimate is in the status under {@code fusion}.
 */
@Component(configurationPid = "io.earshot.examples.fusion",
        service = {AudioListener.class, StatusContributor.class},
        property = {AudioListener.NAME + "=fusion", Streams.PROPERTY + "=" + Streams.ALL})
@Designate(ocd = FusionConfig.class)
public final class FusionPlugin implements AudioListener, StatusContributor {

    /** The map is redrawn at most this often; the status always has the latest estimate. */
    static final long MAP_INTERVAL_NANOS = 100_000_000L;

    private final FusionConfig settings;
    private final Fusion fusion;
    private final Handler map;
    private final Map<String, Doa> estimators = new ConcurrentHashMap<>();
    private final Map<String, Seen> latest = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    /** Every stream's control, for its pose; tracked rather than injected, so the plugin runs as a script too. */
    private final ServiceTracker<StreamControl, StreamControl> streams;

    private Fusion.Estimate estimate = new Fusion.Estimate(null, "no bearing yet", List.of(), Map.of());
    private long estimates;
    private long mapSentNanos;

    /** A stream's latest bearing, when it was heard, and the pose it was turned with. */
    private record Seen(double azimuthDegrees, double bearingDegrees, ArrayPose pose, long atNanos) { }

    @Activate
    public FusionPlugin(@Reference Dashboard dashboard, BundleContext context, FusionConfig settings) {
        this.settings = settings;
        this.streams = new ServiceTracker<>(context, StreamControl.class, null);
        streams.open();
        this.fusion = new Fusion(Math.max(1, Math.min(45, settings.minAngleDegrees())), settings.outlierMetres());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("title", "Where the sound is");
        params.put("trail", Math.max(0, Math.min(10_000, settings.trail())));
        double[] room = room(settings.room());
        if (room != null) {
            params.put("room", Map.of("width", room[0], "height", room[1]));
        }
        map = dashboard.handler("Room map", "base:map", params);
    }

    /** "6,5" as {6, 5}; null when empty or not two positive numbers. */
    static double[] room(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\s*,\\s*");
        if (parts.length != 2) return null;
        try {
            double w = Double.parseDouble(parts[0]), h = Double.parseDouble(parts[1]);
            return w > 0 && h > 0 && w <= 1000 && h <= 1000 ? new double[] {w, h} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void onConfig(String stream, StreamConfig config) {
        try {
            int size = Math.max(128, Math.min(4096, Integer.highestOneBit(settings.fftSize())));
            Doa doa = new Doa(Geometry.standard(config.channels(), settings.radius()), config.rate(),
                    Math.min(size, Integer.highestOneBit(config.bufferFrames())), settings.lowHz(), settings.highHz(), settings.speedOfSound());
            if (doa.bins() == 0) {
                throw new IllegalArgumentException("no frequency bin between lowHz and highHz at " + config.rate() + " Hz");
            }
            estimators.put(stream, doa);
            problems.remove(stream);
        } catch (IllegalArgumentException e) {
            estimators.remove(stream);
            problems.put(stream, e.getMessage());
        }
        latest.remove(stream);
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        String stream = buffer.stream();
        Doa doa = estimators.get(stream);
        ArrayPose pose = pose(stream);
        if (doa == null) {
            return;
        }
        if (pose == null) {
            problems.put(stream, "no pose: set pose=x,y,heading in the stream's configuration");
            latest.remove(stream);
            return;
        }
        problems.remove(stream);
        float[][] channels = new float[buffer.channels()][];
        for (int c = 0; c < channels.length; c++) channels[c] = buffer.channel(c);
        double azimuth = refinedPeak(doa.spectrum(channels, Doa.Method.SRP_PHAT));
        latest.put(stream, new Seen(azimuth, pose.bearingDegrees(azimuth), pose, System.nanoTime()));
        fuse();
    }

    /** The peak of a spectrum over whole degrees, moved to the vertex of the parabola through it and its neighbours. */
    static double refinedPeak(double[] spectrum) {
        int n = spectrum.length, peak = Doa.peak(spectrum);
        double left = spectrum[Math.floorMod(peak - 1, n)], mid = spectrum[peak], right = spectrum[(peak + 1) % n];
        double curvature = left - 2 * mid + right;
        double shift = curvature < 0 ? 0.5 * (left - right) / curvature : 0;
        return Math.floorMod((int) Math.floor((peak + shift) * 1000), n * 1000) / 1000.0;
    }

    private ArrayPose pose(String stream) {
        for (StreamControl control : streams.getTracked().values()) {
            if (control.stream().equals(stream)) return control.pose();
        }
        return null;
    }

    /** Crosses the fresh bearings; called by each stream's thread after its own new bearing. */
    private synchronized void fuse() {
        long now = System.nanoTime(), maxAge = settings.maxAgeMs() * 1_000_000L;
        List<Fusion.Bearing> fresh = new ArrayList<>();
        latest.forEach((stream, seen) -> {
            if (now - seen.atNanos() <= maxAge) {
                fresh.add(new Fusion.Bearing(stream, seen.pose().x(), seen.pose().y(), seen.bearingDegrees()));
            }
        });
        fresh.sort((a, b) -> a.stream().compareTo(b.stream()));
        estimate = fusion.estimate(fresh);
        estimates++;
        if (now - mapSentNanos >= MAP_INTERVAL_NANOS) {
            mapSentNanos = now;
            map.send(mapData(fresh));
        }
    }

    private Map<String, Object> mapData(List<Fusion.Bearing> fresh) {
        List<Map<String, Object>> arrays = new ArrayList<>();
        for (Fusion.Bearing b : fresh) {
            Map<String, Object> array = new LinkedHashMap<>();
            array.put("name", b.stream());
            array.put("x", b.x());
            array.put("y", b.y());
            array.put("heading", latest.get(b.stream()) != null ? latest.get(b.stream()).pose().headingDegrees() : 0.0);
            array.put("bearing", estimate.rejected().containsKey(b.stream()) ? null : b.bearingDegrees());
            arrays.add(array);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("arrays", arrays);
        double[] p = estimate.position();
        data.put("estimate", p == null ? null : Map.of("x", p[0], "y", p[1]));
        return data;
    }

    @Override
    public String statusKey() {
        return "fusion";
    }

    @Override
    public synchronized Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        double[] p = estimate.position();
        status.put("estimate", p == null ? null : Map.of("x", round(p[0]), "y", round(p[1])));
        status.put("problem", estimate.problem());
        status.put("used", estimate.used());
        status.put("rejected", estimate.rejected());
        long now = System.nanoTime();
        Map<String, Object> bearings = new LinkedHashMap<>();
        latest.forEach((stream, seen) -> bearings.put(stream, Map.of("azimuth_deg", round(seen.azimuthDegrees()),
                "bearing_deg", round(seen.bearingDegrees()), "age_ms", (now - seen.atNanos()) / 1_000_000)));
        status.put("bearings", bearings);
        status.put("streams_left_out", Map.copyOf(problems));
        status.put("estimates", estimates);
        status.put("method", "least-squares crossing of SRP-PHAT bearings; under " + fusion.minAngleDegrees()
                + " degrees apart: none; outliers beyond " + settings.outlierMetres() + " m dropped");
        status.put("convention", "room metres, x east, y north; bearings degrees counter-clockwise from +x");
        return status;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Deactivate
    void deactivate() {
        streams.close();
        map.close();
    }
}
