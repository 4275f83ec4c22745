package io.earshot.examples.doa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

/**
 * easy-dsp's DOA example: the spatial spectrum on a polar plot (east = azimuth 0, north = 90, as
 * the simulated array's truth is given), and the estimate in the status under {@code doa}, next
 * to the simulated source's {@code stream.source.truth}.
 */
@Component(configurationPid = "io.earshot.examples.doa",
        service = {AudioListener.class, StatusContributor.class}, property = AudioListener.NAME + "=doa")
@Designate(ocd = DoaConfig.class)
public final class DoaPlugin implements AudioListener, StatusContributor {

    private final Handler plot;
    private final DoaConfig settings;
    private final Doa.Method method;
    private Doa doa;
    private volatile int azimuth = -1;
    private volatile long estimates;
    private volatile String problem;

    @Activate
    public DoaPlugin(@Reference Dashboard dashboard, DoaConfig settings) {
        this.settings = settings;
        this.method = "MUSIC".equalsIgnoreCase(settings.method()) ? Doa.Method.MUSIC : Doa.Method.SRP_PHAT;
        // values go clockwise from north; azimuths counter-clockwise from east: north is 90
        plot = dashboard.handler("Direction of arrival", "base:polar:area", Map.of(
                "title", method == Doa.Method.MUSIC ? "MUSIC pseudo-spectrum" : "SRP-PHAT power",
                "series", List.of(method.name()), "legend", Map.of("from", 90, "to", -270, "step", 30)));
    }

    @Override
    public void onConfig(StreamConfig config) {
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

    @Override
    public void onBuffer(AudioBuffer buffer) {
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

    @Override
    public String statusKey() {
        return "doa";
    }

    @Override
    public Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("method", method.name());
        status.put("azimuth_deg", azimuth < 0 ? null : azimuth);
        status.put("estimates", estimates);
        status.put("problem", problem);
        status.put("convention", "degrees counter-clockwise from mic 0 (+x), array centre to sound source");
        return status;
    }

    @Deactivate
    void deactivate() {
        plot.close();
    }
}
