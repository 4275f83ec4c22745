package io.earshot.source.alsa.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioSource;
import io.earshot.api.Capture;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/**
 * A real microphone array through ALSA. Enabled by {@link AlsaAvailability} only where libasound
 * loads. What it offers is probed from the device each time it opens (and once at start), so
 * the config bridge accepts only what the device can do.
 * <p>
 * A new configuration of this component replaces it (no {@code @Modified}): the hub sees the
 * source go and come back and reopens the stream on the new device.
 */
@Component(enabled = false, configurationPid = AlsaSource.PID,
        property = AudioSource.ID_PROPERTY + "=" + AlsaSource.ID)
@Designate(ocd = AlsaConfig.class)
public final class AlsaSource implements AudioSource {

    static final String PID = "io.earshot.source.alsa";
    static final String ID = "alsa";
    /** Offered until the device could be probed: the usual set, so a config names what the device will be asked for. */
    static final SourceCapabilities UNPROBED = new SourceCapabilities(Pcm.USUAL_RATES,
            IntStream.rangeClosed(1, Pcm.MAX_CHANNELS).boxed().toList(), 64, 65536);
    private static final Logger LOG = LoggerFactory.getLogger(AlsaSource.class);

    private final Libasound alsa;
    private final AlsaSettings settings;
    private final String configProblem;
    private final AlsaConfigTree configTree;
    private volatile SourceCapabilities capabilities = UNPROBED;
    private volatile String probeState = "not probed yet";
    private volatile AlsaCapture open;
    private volatile CaptureVolume volume;

    @Activate
    public AlsaSource(AlsaConfig config) {
        this(Libasound.load(), config);
    }

    AlsaSource(Libasound alsa, AlsaConfig config) {
        this.alsa = alsa;
        AlsaSettings checked = null;
        String problem = null;
        AlsaConfigTree tree = null;
        try {
            checked = AlsaSettings.of(config);
            if (checked.configFile() != null) {
                tree = AlsaConfigTree.load(alsa, checked.configFile());
            }
        } catch (IllegalArgumentException | SourceException e) {
            problem = e.getMessage();
            LOG.warn("The ALSA source cannot run: {}", problem);
        }
        this.settings = checked;
        this.configProblem = problem;
        this.configTree = tree;
        if (problem == null) {
            try (Pcm pcm = Pcm.open(alsa, settings.device(), configTree)) {
                remember(pcm.probe());
            } catch (SourceException e) {
                probeState = "not probed: " + e.getMessage();
                LOG.info("ALSA device not probed at start (it is tried again when the stream opens): {}", e.getMessage());
            }
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return settings == null ? "ALSA (misconfigured)" : "ALSA device " + settings.device();
    }

    @Override
    public SourceCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public Capture open(StreamConfig config) throws SourceException {
        if (configProblem != null) {
            throw new SourceException(configProblem);
        }
        Pcm pcm = Pcm.open(alsa, settings.device(), configTree);
        CaptureVolume opened = null;
        try {
            remember(pcm.probe());
            var problem = capabilities.problemWith(config);
            if (problem.isPresent()) {
                throw new SourceException("device " + settings.device() + ": " + problem.get());
            }
            int period = settings.periodFrames() > 0 ? settings.periodFrames() : config.bufferFrames();
            Pcm.Negotiated negotiated = pcm.configure(config, period, settings.ringPeriods());
            opened = CaptureVolume.open(alsa, settings.mixer(), settings.mixerControls());
            opened.set(config.volume());
            long periodMillis = negotiated.periodFrames() * 1000L / config.rate();
            long silenceLimit = Math.max(settings.silenceTimeoutMillis(), 3 * periodMillis);
            AlsaCapture capture = new AlsaCapture(alsa, pcm, config, negotiated, opened, silenceLimit);
            pcm.start();
            volume = opened;
            open = capture;
            LOG.info("ALSA capture on {}: {} Hz, {} channels, period {} frames, ring {} frames, volume by {}",
                    settings.device(), config.rate(), config.channels(), negotiated.periodFrames(),
                    negotiated.bufferFrames(), opened.describe());
            return capture;
        } catch (SourceException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            pcm.close();
            throw e;
        }
    }

    private void remember(Pcm.Probe probe) {
        capabilities = new SourceCapabilities(probe.rates(), probe.channels(), 64, 65536);
        probeState = "probed";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        if (configProblem != null) {
            status.put("config_error", configProblem);
            return status;
        }
        status.put("device", settings.device());
        status.put("config_file", settings.configFile() == null ? null : settings.configFile().toString());
        status.put("capabilities", probeState);
        CaptureVolume current = volume;
        status.put("volume", current == null ? "set when the device opens" : current.describe());
        AlsaCapture capture = open;
        if (capture != null && !capture.isClosed()) {
            status.put("capture", capture.status());
        }
        return status;
    }

    /**
     * The hub closes the capture on its own thread when this service goes; until it has, the
     * device and the configuration tree stay. A capture still open after a second is told to fail
     * at its next read slice, and the tree is then left to the process rather than freed under it.
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        AlsaCapture capture = open;
        if (capture != null) {
            for (int i = 0; i < 20 && !capture.isClosed(); i++) {
                Thread.sleep(50);
            }
            if (!capture.isClosed()) {
                capture.markGone("device " + settings.device() + ": the ALSA source was stopped");
                for (int i = 0; i < 20 && !capture.isClosed(); i++) {
                    Thread.sleep(50);
                }
            }
            if (!capture.isClosed()) {
                LOG.warn("The capture on {} did not close; its ALSA configuration is not freed", settings.device());
                return;
            }
        }
        if (configTree != null) {
            configTree.close();
        }
    }
}
