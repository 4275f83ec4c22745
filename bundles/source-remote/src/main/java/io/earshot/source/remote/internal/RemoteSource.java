package io.earshot.source.remote.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import io.earshot.api.AudioSource;
import io.earshot.api.Capture;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceException;
import io.earshot.api.SourceSettings;
import io.earshot.api.StreamConfig;

/**
 * Workstation mode: a board (another Earshot, or an original easy-dsp board) captures, this
 * runtime analyses. The board's audio WebSocket is read as a source ({@link Remote}). The main
 * stream reads the board this component's configuration names; another stream reads the board its
 * own settings name ({@code url}, {@code token}, {@code configUrl} in
 * {@code conf/io.earshot.stream~ID.cfg}), so one runtime can follow several boards.
 */
@Component(configurationPid = RemoteSource.PID, property = AudioSource.ID_PROPERTY + "=" + RemoteSource.ID)
@Designate(ocd = RemoteConfig.class)
public final class RemoteSource implements AudioSource {

    static final String PID = "io.earshot.source.remote";
    static final String ID = "remote";
    static final SourceCapabilities UNKNOWN = Remote.UNKNOWN;
    /** Boards followed at once by streams of their own (a stream is one board). */
    static final int MAX_BOARDS = 16;

    private final Remote configured;
    private final int queue;
    /** The board of each stream that names one, by stream id. */
    private final Map<String, Remote> byStream = new ConcurrentHashMap<>();

    @Activate
    public RemoteSource(RemoteConfig config) {
        queue = config.queue();
        configured = new Remote(config.url(), config.configUrl(), config.token(), queue, PID);
    }

    /** The board a stream reads: the one its settings name, else the configured one. */
    private Remote remote(SourceSettings settings) {
        if (!settings.has("url")) {
            byStream.remove(settings.stream());
            return configured;
        }
        String url = settings.get("url", ""), configUrl = settings.get("configUrl", ""), token = settings.get("token", "");
        return byStream.compute(settings.stream(), (stream, known) -> {
            if (known != null && known.reads(url, configUrl, token)) {
                return known;
            }
            if (known != null) {
                known.closeAll();
            }
            return new Remote(url, configUrl, token, queue, "the stream " + stream);
        });
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "remote stream " + configured.url();
    }

    @Override
    public SourceCapabilities capabilities() {
        return configured.capabilities();
    }

    @Override
    public SourceCapabilities capabilities(SourceSettings settings) {
        return remote(settings).capabilities();
    }

    @Override
    public Capture open(StreamConfig wanted) throws SourceException {
        return configured.open(wanted);
    }

    @Override
    public Capture open(StreamConfig wanted, SourceSettings settings) throws SourceException {
        if (settings.has("url") && !byStream.containsKey(settings.stream()) && byStream.size() >= MAX_BOARDS) {
            throw new SourceException("remote: " + MAX_BOARDS + " boards are followed already, the most this runtime follows");
        }
        return remote(settings).open(wanted);
    }

    /** The configured board's; a stream reading another shows its own in the capture's details. */
    @Override
    public Map<String, Object> status() {
        return configured.status();
    }

    /** Closes every connection, also one still being made (it closes itself when it completes). */
    @Deactivate
    void deactivate() {
        configured.closeAll();
        byStream.values().forEach(Remote::closeAll);
    }
}
