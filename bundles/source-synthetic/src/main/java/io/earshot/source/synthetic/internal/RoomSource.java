package io.earshot.source.synthetic.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import io.earshot.api.ArrayPose;
import io.earshot.api.AudioSource;
import io.earshot.api.Capture;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceException;
import io.earshot.api.SourceSettings;
import io.earshot.api.StreamConfig;

/**
 * A simulated room: talkers walking in it and several arrays standing in it, from a scene file
 * in {@code conf/}. Each array is a stream ({@code source=room}): the stream's {@code array}
 * setting names it, else the array whose id is the stream's, else the first. Every array hears
 * the same talkers at the same moment, with the delays and levels of its own place, and gives its
 * pose to its stream; the status has each talker's true position.
 */
@Component(configurationPid = RoomSource.PID, property = AudioSource.ID_PROPERTY + "=" + RoomSource.ID)
@Designate(ocd = RoomConfig.class)
public final class RoomSource implements AudioSource {

    static final String PID = "io.earshot.source.room";
    static final String ID = "room";
    static final String ARRAY_SETTING = "array";

    /** The room's time starts when the source does; every array's capture is placed on it. */
    private final long startNanos = System.nanoTime();
    private final Path confDir;
    private volatile Path sceneFile;
    private Room cached;
    private FileTime cachedAt;

    @Activate
    public RoomSource(BundleContext context, RoomConfig config) {
        String dirs = context.getProperty("felix.fileinstall.dir");
        this.confDir = Path.of(dirs == null || dirs.isBlank() ? "conf" : dirs.split(",")[0].trim());
        modified(config);
    }

    /** A changed scene is read at the next open of each of its streams. */
    @Modified
    void modified(RoomConfig config) {
        Path path = Path.of(config.scene().trim());
        this.sceneFile = path.isAbsolute() ? path : confDir.resolve(path);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "simulated room";
    }

    @Override
    public SourceCapabilities capabilities() {
        return SyntheticSource.CAPABILITIES;
    }

    @Override
    public Capture open(StreamConfig config) throws SourceException {
        return open(config, SourceSettings.MAIN);
    }

    @Override
    public Capture open(StreamConfig config, SourceSettings stream) throws SourceException {
        try {
            Room room = room();
            Room.Placement array = room.arrayFor(stream.stream(), stream.has(ARRAY_SETTING) ? stream.get(ARRAY_SETTING, "") : null);
            return new SyntheticCapture(config, new RoomScene(room, array, config.rate(), config.channels(), secondsSinceStart()),
                    PeriodClock.SYSTEM);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new SourceException("room (stream " + stream.stream() + "): " + e.getMessage());
        }
    }

    @Override
    public ArrayPose pose(SourceSettings stream) {
        try {
            return room().arrayFor(stream.stream(), stream.has(ARRAY_SETTING) ? stream.get(ARRAY_SETTING, "") : null).pose();
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("volume", "software gain");
        status.put("scene", sceneFile.toString());
        try {
            Room room = room();
            status.put("room", Map.of("width_m", room.width(), "height_m", room.height()));
            status.put("snr_db", room.snrDb());
            status.put("snr_at_m", Room.SNR_REFERENCE_M);
            double now = secondsSinceStart();
            List<Map<String, Object>> talkers = new ArrayList<>();
            for (Room.Talker talker : room.talkers()) {
                double[] p = talker.at(now);
                talkers.add(Map.of("name", talker.name(), "x", Math.round(p[0] * 1000) / 1000.0, "y", Math.round(p[1] * 1000) / 1000.0));
            }
            status.put("talkers", talkers);
            status.put("room_seconds", Math.round(now * 1000) / 1000.0);
            List<Map<String, Object>> arrays = new ArrayList<>();
            for (Room.Placement a : room.arrays()) {
                arrays.add(Map.of("id", a.id(), "x", a.pose().x(), "y", a.pose().y(), "heading", a.pose().headingDegrees()));
            }
            status.put("arrays", arrays);
        } catch (IllegalArgumentException | java.io.IOException e) {
            status.put("scene_error", e.getMessage());
        }
        return status;
    }

    private double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The scene, read again when its file changed. */
    private synchronized Room room() throws java.io.IOException {
        Path file = sceneFile;
        FileTime modified = Files.isRegularFile(file) ? Files.getLastModifiedTime(file) : null;
        if (cached == null || modified == null || !modified.equals(cachedAt)) {
            cached = Room.read(file);
            cachedAt = modified;
        }
        return cached;
    }
}
