package io.earshot.recorder.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;

/**
 * One recording streamed to disk: parts {@code NAME.wav}, {@code NAME-002.wav} ... and the
 * sidecar {@code NAME.json}. Written by the recorder's listener thread, brought to disk by its
 * sync thread, stopped by whoever asks: every method that touches the files holds this
 * object's lock.
 */
final class DiskRecording implements OpenRecording {

    enum State {
        RECORDING, DONE, STOPPED, FAILED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Gaps listed in the sidecar; later ones are counted only. */
    static final int MAX_GAPS_LISTED = 1000;
    /** Silence written for one gap at most; a longer gap is listed with the frames it was given. */
    static final int MAX_SILENCE_SECONDS = 60;

    /** The origin of recordings of the hub's stream; fed ones name their own (talk, ...). */
    static final String STREAM_ORIGIN = "stream";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Logger LOG = LoggerFactory.getLogger(DiskRecording.class);

    /** A part's facts for the sidecar. */
    private static final class Part {
        final String file;
        final StreamConfig config;
        final long firstSequence;
        final long firstFrameNanos;
        long lastSequence;
        long frames;

        Part(String file, StreamConfig config, long firstSequence, long firstFrameNanos) {
            this.file = file;
            this.config = config;
            this.firstSequence = firstSequence;
            this.firstFrameNanos = firstFrameNanos;
            this.lastSequence = firstSequence;
        }
    }

    private final String name;
    private final Path folder;
    private final FileStore store;
    private final Double seconds;
    private final long maxFileBytes;
    private final Consumer<DiskRecording> ended;
    private final Instant requested = Instant.now();
    /** Buffers captured before the request (still queued for the recorder) are not part of it. */
    private final long requestedNanos = requested.getEpochSecond() * 1_000_000_000L + requested.getNano();
    private final StreamConfig requestedConfig;

    private final List<Part> parts = new ArrayList<>();
    private final List<Map<String, Object>> gaps = new ArrayList<>();
    private long gapsNotListed;
    private long lostBuffers;
    private WavFile part;
    private Object fileKey;
    private long nextSequence = -1;
    private double secondsBeforePart;
    private boolean sidecarDirty;
    private volatile State state = State.RECORDING;
    private volatile String error;

    /**
     * @param seconds  the duration wanted, or null for a recording that runs until stopped
     * @param ended    told once, on the thread that ended it, when the recording is over
     */
    DiskRecording(String name, Path folder, FileStore store, Double seconds, StreamConfig config, long maxFileBytes,
            Consumer<DiskRecording> ended) {
        this.name = name;
        this.folder = folder;
        this.store = store;
        this.seconds = seconds;
        this.requestedConfig = config;
        this.maxFileBytes = maxFileBytes;
        this.ended = ended;
    }

    @Override
    public String name() {
        return name;
    }

    State state() {
        return state;
    }

    @Override
    public boolean failed() {
        return state == State.FAILED;
    }

    @Override
    public String error() {
        return error;
    }

    /** Writes the sidecar the first time, so the name is taken on disk from the start. */
    synchronized void begin() throws IOException {
        writeSidecar();
    }

    /** A part has one config: a change closes it, and the next buffer opens the next part. */
    synchronized void onConfig(StreamConfig config) {
        if (state == State.RECORDING && part != null && !part.config().equals(config)) {
            try {
                closePart();
            } catch (IOException e) {
                fail(problem("closing " + parts.get(parts.size() - 1).file, e));
            }
        }
    }

    synchronized void onBuffer(AudioBuffer buffer) {
        if (state != State.RECORDING || buffer.captureNanos() < requestedNanos) {
            return;
        }
        try {
            if (part == null) {
                long firstFrame = buffer.captureNanos() - (buffer.frames() - 1) * 1_000_000_000L / buffer.config().rate();
                openPart(buffer.config(), buffer.sequence(), firstFrame);
            } else if (buffer.sequence() > nextSequence) {
                fillGap(buffer);
            } else if (buffer.sequence() < nextSequence) {
                return; // not newer than what is written (cannot happen with one hub; never written twice)
            }
            put(buffer, Math.min(buffer.frames(), framesLeft()));
            Part current = parts.get(parts.size() - 1);
            current.lastSequence = buffer.sequence();
            nextSequence = buffer.sequence() + 1;
            if (framesLeft() <= 0) {
                end(State.DONE, null);
            }
        } catch (IOException e) {
            fail(problem("writing " + (part == null ? RecordingNames.partFile(name, parts.size() + 1) : part.path().getFileName()), e));
        }
    }

    /**
     * Brings a part's data and header to the disk and checks what a recording needs to go on: the
     * file still the one it writes (not deleted or replaced) and the disk not nearly full. Why it
     * cannot go on, or null.
     */
    static String syncPart(WavFile part, Object fileKey, FileStore store, Path folder, long minFreeBytes) throws IOException {
        if (part != null) {
            part.sync();
            Object key;
            try {
                key = Files.readAttributes(part.path(), BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                key = null;
            }
            if (key == null || !key.equals(fileKey)) {
                return part.path().getFileName() + " was deleted or replaced while recording; what was written to it is lost";
            }
        }
        long free = store.getUsableSpace();
        if (free < minFreeBytes) {
            return "the disk of " + folder + " has " + free / (1024 * 1024) + " MB free; recordings stop below "
                    + minFreeBytes / (1024 * 1024) + " MB, so the disk never fills";
        }
        return null;
    }

    /**
     * Once a second: the header's sizes and the data to the disk, and the checks that cannot wait
     * for a write to fail (the file deleted under it, the disk nearly full).
     */
    @Override
    public synchronized void sync(long minFreeBytes) {
        if (state != State.RECORDING) {
            return;
        }
        try {
            String problem = syncPart(part, fileKey, store, folder, minFreeBytes);
            if (problem != null) {
                fail(problem);
                return;
            }
            if (sidecarDirty) {
                writeSidecar();
            }
        } catch (IOException e) {
            fail(problem("bringing " + name + " to the disk", e));
        }
    }

    /** Ends a recording in progress ({@code why}: null when asked to, else what ended it); false if it had already ended. */
    @Override
    public boolean stopRecording(String why) {
        return stop(why);
    }

    synchronized boolean stop(String why) {
        if (state != State.RECORDING) {
            return false;
        }
        end(State.STOPPED, why);
        return true;
    }

    private long framesLeft() {
        if (seconds == null) {
            return Long.MAX_VALUE;
        }
        int rate = part == null ? requestedConfig.rate() : part.config().rate();
        double left = seconds - secondsBeforePart - (part == null ? 0 : (double) part.frames() / rate);
        return (long) Math.ceil(left * rate - 1e-6);
    }

    private void fillGap(AudioBuffer buffer) throws IOException {
        long lost = buffer.sequence() - nextSequence;
        long wanted = lost * buffer.frames();
        long silence = Math.min(Math.min(wanted, (long) MAX_SILENCE_SECONDS * buffer.config().rate()), framesLeft());
        double at = recordedSeconds();
        String file = part.path().getFileName().toString();
        put(null, silence);
        lostBuffers += lost;
        if (gaps.size() < MAX_GAPS_LISTED) {
            Map<String, Object> gap = new LinkedHashMap<>();
            gap.put("file", file);
            gap.put("after_sequence", nextSequence - 1);
            gap.put("buffers", lost);
            gap.put("frames", wanted);
            gap.put("silence_frames", silence);
            gap.put("at_seconds", at);
            gaps.add(gap);
        } else {
            gapsNotListed++;
        }
        sidecarDirty = true;
    }

    /** {@code frames} frames of {@code buffer} from its start, or of silence when it is null, across parts. */
    private void put(AudioBuffer buffer, long frames) throws IOException {
        long done = 0;
        while (done < frames) {
            long room = part.roomFrames();
            if (room == 0) {
                Part full = parts.get(parts.size() - 1);
                if (buffer != null) full.lastSequence = buffer.sequence();
                long next = full.firstFrameNanos + full.frames * 1_000_000_000L / part.config().rate();
                StreamConfig config = part.config();
                closePart();
                openPart(config, buffer == null ? nextSequence : buffer.sequence(), next);
                continue;
            }
            int n = (int) Math.min(frames - done, room);
            if (buffer == null) {
                part.appendSilence(n);
            } else {
                part.append(buffer, (int) done, n);
            }
            parts.get(parts.size() - 1).frames += n;
            done += n;
        }
    }

    private void openPart(StreamConfig config, long firstSequence, long firstFrameNanos) throws IOException {
        int number = parts.size() + 1;
        if (number > RecordingNames.MAX_PARTS) {
            throw new IOException("the recording has " + RecordingNames.MAX_PARTS + " parts, the most one may have");
        }
        String file = RecordingNames.partFile(name, number);
        part = new WavFile(folder.resolve(file), config, maxFileBytes);
        fileKey = Files.readAttributes(part.path(), BasicFileAttributes.class).fileKey();
        parts.add(new Part(file, config, firstSequence, firstFrameNanos));
        // listed before its audio grows, so a crash leaves no part the sidecar does not name
        writeSidecar();
    }

    private void closePart() throws IOException {
        WavFile closing = part;
        part = null;
        secondsBeforePart += (double) closing.frames() / closing.config().rate();
        closing.close();
        sidecarDirty = true;
    }

    private double recordedSeconds() {
        return secondsBeforePart + (part == null ? 0 : (double) part.frames() / part.config().rate());
    }

    private void end(State how, String why) {
        try {
            if (part != null) closePart();
            state = how;
            error = why;
            writeSidecar();
        } catch (IOException e) {
            fail(problem("closing " + name, e));
            return;
        }
        LOG.info("Recording {} {}: {} s in {} part(s){}", name, how.label(), String.format("%.2f", recordedSeconds()),
                parts.size(), lostBuffers > 0 ? ", " + lostBuffers + " buffers lost (silence, listed in " + name + ".json)" : "");
        ended.accept(this);
    }

    private void fail(String reason) {
        state = State.FAILED;
        error = reason;
        if (part != null) {
            try {
                closePart();
            } catch (IOException | RuntimeException e) {
                part = null; // its file is what it is; the next start repairs it if its header is behind
            }
        }
        try {
            writeSidecar();
        } catch (IOException e) {
            LOG.debug("The sidecar of {} could not be written either", name, e);
        }
        LOG.warn("Recording {} stopped: {}. The stream and its other listeners go on.", name, reason);
        ended.accept(this);
    }

    static String problem(String doing, IOException e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.FileSystemException
                && what.contains("Read-only")) {
            return doing + ": not writable (" + what + ")";
        }
        return doing + ": " + what + (what.contains("No space left") ? " (the disk is full)" : "");
    }

    private void writeSidecar() throws IOException {
        writeSidecar(folder, name, sidecar());
        sidecarDirty = false;
    }

    /** Writes {@code NAME.json} whole: a crash leaves the old sidecar or the new one, never half of one. */
    static void writeSidecar(Path folder, String name, Map<String, Object> content) throws IOException {
        Path target = folder.resolve(RecordingNames.sidecarFile(name));
        Path temporary = folder.resolve("." + RecordingNames.sidecarFile(name) + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            JSON.writeValue(out, content);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Map<String, Object> sidecar() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("origin", STREAM_ORIGIN);
        out.put("state", state.label());
        out.put("error", error);
        out.put("requested", requested.toString());
        out.put("requested_seconds", seconds);
        out.put("config", config(requestedConfig));
        out.put("format", "RIFF/WAVE PCM 16-bit little-endian, interleaved");
        Part first = parts.isEmpty() ? null : parts.get(0);
        out.put("first_frame_capture", first == null ? null : instant(first.firstFrameNanos).toString());
        out.put("first_frame_capture_nanos", first == null ? null : first.firstFrameNanos);
        out.put("first_sequence", first == null ? null : first.firstSequence);
        out.put("last_sequence", first == null ? null : parts.get(parts.size() - 1).lastSequence);
        List<Map<String, Object>> files = new ArrayList<>();
        for (Part p : parts) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", p.file);
            f.put("config", config(p.config));
            f.put("first_sequence", p.firstSequence);
            f.put("last_sequence", p.lastSequence);
            f.put("frames", p.frames);
            f.put("seconds", (double) p.frames / p.config.rate());
            f.put("first_frame_capture_nanos", p.firstFrameNanos);
            files.add(f);
        }
        out.put("parts", files);
        out.put("lost_buffers", lostBuffers);
        out.put("gap_fill", "silence: each lost buffer's frames as zeros, at most " + MAX_SILENCE_SECONDS + " s per gap");
        out.put("gaps", new ArrayList<>(gaps));
        out.put("gaps_not_listed", gapsNotListed);
        return out;
    }

    static Map<String, Object> config(StreamConfig c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rate", c.rate());
        out.put("channels", c.channels());
        out.put("buffer_frames", c.bufferFrames());
        out.put("volume", c.volume());
        return out;
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }

    @Override
    public synchronized Map<String, Object> describe() {
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            boolean open = part != null && i == parts.size() - 1;
            long bytes = open ? WavFile.HEADER_BYTES + part.dataBytes() : WavFile.HEADER_BYTES + p.frames * p.config.channels() * 2L;
            files.add(file(p.file, bytes, p.config.rate(), p.config.channels(), (double) p.frames / p.config.rate()));
        }
        return recording(name, STREAM_ORIGIN, state.label(), error, seconds, files, gaps.size() + gapsNotListed, lostBuffers);
    }

    static Map<String, Object> file(String file, long bytes, int rate, int channels, double seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file);
        out.put("url", RecordingsServlet.PATH + "/" + file);
        out.put("bytes", bytes);
        out.put("seconds", seconds);
        out.put("rate", rate);
        out.put("channels", channels);
        return out;
    }

    /** One recording's entry; the same shape for one in progress and one read from the disk. */
    static Map<String, Object> recording(String name, String origin, String state, String error, Double requestedSeconds,
            List<Map<String, Object>> files, long gaps, long lostBuffers) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("origin", origin);
        out.put("state", state);
        out.put("error", error);
        out.put("requested_seconds", requestedSeconds);
        out.put("files", files);
        out.put("bytes", files.stream().mapToLong(f -> (Long) f.get("bytes")).sum());
        out.put("seconds", files.stream().mapToDouble(f -> (Double) f.get("seconds")).sum());
        Map<String, Object> format = new LinkedHashMap<>();
        if (!files.isEmpty()) {
            format.put("container", "WAV");
            format.put("encoding", "PCM_S16LE");
            format.put("rate", files.get(0).get("rate"));
            format.put("channels", files.get(0).get("channels"));
        }
        out.put("format", files.isEmpty() ? null : format);
        out.put("gaps", gaps);
        out.put("lost_buffers", lostBuffers);
        out.put("sidecar", RecordingsServlet.PATH + "/" + RecordingNames.sidecarFile(name));
        return out;
    }

    @Override
    public String toString() {
        return "DiskRecording[" + name + ", " + state.label() + (error == null ? "" : ": " + error) + "]";
    }
}
