package io.earshot.examples.doa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;
import io.earshot.api.StatusContributor;
import io.earshot.api.StreamConfig;
import io.earshot.api.Streams;

/**
 * easy-dsp's DOA example: the spatial spectrum on a polar plot (east = azimuth 0, north = 90, as
 * the simulated array's truth is given), and the estimate in the status under {@code doa}, next
 * to the simulated source's {@code stream.source.truth}. It hears main; {@code earshot.stream=*}
 * (or a list) in its configuration makes it estimate every stream (or those), each with a plot of
 * its own and its estimate under {@code doa.streams}.
 */
@Component(configurationPid = "io.earshot.examples.doa",
        service = {AudioListener.class, StatusContributor.class}, property = AudioListener.NAME + "=doa")
@Designate(ocd = DoaConfig.class)
public final class DoaPlugin implements AudioListener, StatusContributor {

    private final Dashboard dashboard;
    private final DoaConfig settings;
    private final Doa.Method method;
    /** One estimator per stream heard; each is used only by its stream's listener thread. */
    private final Map<String, Estimator> streams = new ConcurrentHashMap<>();

    /** The estimate of one stream and its plot. */
    private final class Estimator {
        final Handler plot;
        Doa doa;
        volatile int azimuth = -1;
        volatile long estimates;
        volatile String problem;

        Estimator(String stream) {
            // values go clockwise from north; azimuths counter-clockwise from east: north is 90
            plot = dashboard.handler(Streams.MAIN.equals(stream) ? "Direction of arrival" : "Direction of arrival (" + stream + ")",
                    "base:polar:area", Map.of(
                    "title", method == Doa.Method.MUSIC ? "MUSIC pseudo-spectrum" : "SRP-PHAT power",
                    "series", List.of(method.name()), "legend", Map.of("from", 90, "to", -270, "step", 30)));
        }

        void configure(StreamConfig config) {
            try {
                Geometry geometry = settings.positions().isBlank()
                        ? Geometry.standard(config.channels(), settings.radius()) : Geometry.parse(settings.positions());
                if (geometry.size() != config.channels()) {
                    throw new IllegalArgumentException(geometry.size() + " mic positions for " + config.channels() + " channels");
                }
                int size = Math.max(128, Math.min(4096, Integer.highestOneBit(settings.fftSize())));
                doa = new Doa(geometry, config.rate(), Math.min(size, Integer.highestOneBit(config.bufferFrames())),
                        settings.lowHz(), settings.highHz(), settings.speedOfSound());
                problem = doa.bins() == 0 ? "no frequency bin between lowHz and highHz at this rate" : null;
            } catch (IllegalArgumentException e) {
                doa = null;
                problem = e.getMessage();
            }
        }

        void estimate(AudioBuffer buffer) {
            if (doa == null || problem != null) {
                return;
            }
            float[][] channels = new float[buffer.channels()][];
            for (int c = 0; c < channels.length; c++) channels[c] = buffer.channel(c);
            double[] spectrum = doa.spectrum(channels, method);
            azimuth = Doa.peak(spectrum);
            estimates++;
            double max = 0;
            for (double v : spectrum) max = Math.max(max, v);
            double[] clockwiseFromNorth = new double[Doa.GRID];
            for (int i = 0; i < Doa.GRID; i++) {
                clockwiseFromNorth[i] = max > 0 ? spectrum[Math.floorMod(90 - i, Doa.GRID)] / max : 0;
            }
            plot.send(List.of(Map.of("replace", clockwiseFromNorth)));
        }

        Map<String, Object> status() {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("method", method.name());
            status.put("azimuth_deg", azimuth < 0 ? null : azimuth);
            status.put("estimates", estimates);
            status.put("problem", problem);
            status.put("convention", "degrees counter-clockwise from mic 0 (+x), array centre to sound source");
            return status;
        }
    }

    @Activate
    public DoaPlugin(@Reference Dashboard dashboard, DoaConfig settings) {
        this.dashboard = dashboard;
        this.settings = settings;
        this.method = "MUSIC".equalsIgnoreCase(settings.method()) ? Doa.Method.MUSIC : Doa.Method.SRP_PHAT;
    }

    @Override
    public void onConfig(String stream, StreamConfig config) {
        streams.computeIfAbsent(stream, Estimator::new).configure(config);
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        Estimator estimator = streams.get(buffer.stream());
        if (estimator != null) {
            estimator.estimate(buffer);
        }
    }

    @Override
    public String statusKey() {
        return "doa";
    }

    /** Main's estimate as before; every other stream's under {@code streams}. */
    @Override
    public Object status() {
        Estimator main = streams.get(Streams.MAIN);
        Map<String, Object> status = main != null ? main.status() : new LinkedHashMap<>(Map.of("method", method.name()));
        Map<String, Object> others = new LinkedHashMap<>();
        streams.forEach((id, estimator) -> {
            if (!Streams.MAIN.equals(id)) others.put(id, estimator.status());
        });
        if (!others.isEmpty()) {
            status.put("streams", others);
        }
        return status;
    }

    @Deactivate
    void deactivate() {
        streams.values().forEach(e -> e.plot.close());
    }
}
