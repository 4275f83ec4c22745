package io.earshot.recorder.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.FedRecording;

/**
 * A recording a bundle feeds (a talk from a browser): one format, its samples in the order fed.
 * {@link #write} only copies and queues, so the feeding thread never waits for the disk; the
 * recorder's feed thread writes, its sync thread brings header and data to the disk each
 * second, as for the stream's recordings. Methods touching the files hold this object's lock.
 */
final class FedDiskRecording implements FedRecording, OpenRecording {

    /** Audio fed but not yet written, at most; beyond it {@link #write} fails (the disk is too slow). */
    static final int MAX_BACKLOG_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(FedDiskRecording.class);

    /** A part's facts for the sidecar. */
    private static final class Part {
        final String file;
        long frames;

        Part(String file) {
            this.file = file;
        }
    }

    private final String name;
    private final String origin;
    private final Path folder;
    private final FileStore store;
    private final int rate;
    private final int channels;
    private final Map<String, Object> details;
    private final long maxFileBytes;
    private final Executor writer;
    private final Consumer<OpenRecording> ended;
    private final Instant opened = Instant.now();
    private final long maxBacklogSamples;
    private final Queue<short[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final List<Part> parts = new ArrayList<>();
    private WavFile part;
    private Object fileKey;
    private long frames;
    private boolean sidecarDirty;
    /** Set once by close or stop: "" for a normal end, else the reason; the writer ends it after the queue. */
    private volatile String ending;
    private volatile DiskRecording.State state = DiskRecording.State.RECORDING;
    private volatile String error;

    FedDiskRecording(String name, String origin, Path folder, FileStore store, int rate, int channels,
            Map<String, Object> details, long maxFileBytes, Executor writer, Consumer<OpenRecording> ended) {
        this.name = name;
        this.origin = origin;
        this.folder = folder;
        this.store = store;
        this.rate = rate;
        this.channels = channels;
        this.details = details;
        this.maxFileBytes = maxFileBytes;
        this.writer = writer;
        this.ended = ended;
        this.maxBacklogSamples = (long) MAX_BACKLOG_SECONDS * rate * channels;
    }

    /** Creates the first part and the sidecar, so the name is taken on disk at once. */
    synchronized void begin() throws IOException {
        openPart();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean failed() {
        return state == DiskRecording.State.FAILED;
    }

    @Override
    public String error() {
        return error;
    }

    @Override
    public void write(short[] samples, int offset, int length) throws IOException {
        if (length % channels != 0) {
            throw new IllegalArgumentException(length + " samples are not whole frames of " + channels + " channels");
        }
        if (state != DiskRecording.State.RECORDING || ending != null) {
            throw new IOException("the recording " + name + " has ended" + (error == null ? "" : ": " + error));
        }
        if (backlog.addAndGet(length) > maxBacklogSamples) {
            backlog.addAndGet(-length);
            throw new IOException("the disk is more than " + MAX_BACKLOG_SECONDS + " s behind the recording " + name
                    + "; it keeps what was written");
        }
        queue.add(Arrays.copyOfRange(samples, offset, offset + length));
        schedule();
    }

    @Override
    public void close() {
        end("");
    }

    @Override
    public void stop(String reason) {
        end(reason == null ? "stopped" : reason);
    }

    @Override
    public boolean stopRecording(String why) {
        return end(why == null ? "stopped by a user (POST /api/recordings/" + name + "/stop)" : why);
    }

    private boolean end(String how) {
        synchronized (this) {
            if (ending != null || state != DiskRecording.State.RECORDING) return false;
            ending = how;
        }
        schedule();
        return true;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                writer.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // the recorder is stopping: it finishes every feed itself
            }
        }
    }

    /** On the recorder's feed thread: writes what was fed, then ends the recording if it was asked to. */
    void drain() {
        scheduled.set(false);
        for (short[] chunk; (chunk = queue.poll()) != null; ) {
            backlog.addAndGet(-chunk.length);
            synchronized (this) {
                if (state != DiskRecording.State.RECORDING) continue;
                try {
                    append(chunk);
                } catch (IOException e) {
                    fail(DiskRecording.problem("writing " + part.path().getFileName(), e));
                }
            }
        }
        String how = ending;
        if (how != null) {
            synchronized (this) {
                if (state == DiskRecording.State.RECORDING && queue.isEmpty()) finish(how);
            }
        }
    }

    private void append(short[] chunk) throws IOException {
        int done = 0;
        while (done < chunk.length) {
            long room = part.roomFrames() * channels;
            if (room == 0) {
                closePart();
                openPart();
                continue;
            }
            int n = (int) Math.min(chunk.length - done, room);
            part.append(chunk, done, n);
            parts.get(parts.size() - 1).frames += n / channels;
            frames += n / channels;
            done += n;
        }
    }

    private void openPart() throws IOException {
        int number = parts.size() + 1;
        if (number > RecordingNames.MAX_PARTS) {
            throw new IOException("the recording has " + RecordingNames.MAX_PARTS + " parts, the most one may have");
        }
        String file = RecordingNames.partFile(name, number);
        // a WAV file needs the rate and channels only; a fed recording has no buffers or volume
        part = new WavFile(folder.resolve(file), new io.earshot.api.StreamConfig(rate, channels, 1, 100), maxFileBytes);
        fileKey = Files.readAttributes(part.path(), BasicFileAttributes.class).fileKey();
        parts.add(new Part(file));
        writeSidecar(); // listed before its audio grows, so a crash leaves no part the sidecar does not name
    }

    private void closePart() throws IOException {
        WavFile closing = part;
        part = null;
        closing.close();
        sidecarDirty = true;
    }

    private void finish(String how) {
        try {
            if (part != null) closePart();
            state = how.isEmpty() ? DiskRecording.State.DONE : DiskRecording.State.STOPPED;
            error = how.isEmpty() ? null : how;
            writeSidecar();
        } catch (IOException e) {
            fail(DiskRecording.problem("closing " + name, e));
            return;
        }
        LOG.info("Recording {} ({}) {}: {} s{}", name, origin, state.label(), String.format("%.2f", seconds()),
                error == null ? "" : " (" + error + ")");
        ended.accept(this);
    }

    private void fail(String reason) {
        state = DiskRecording.State.FAILED;
        error = reason;
        queue.clear();
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
        LOG.warn("Recording {} ({}) stopped: {}. The stream and the other recordings go on.", name, origin, reason);
        ended.accept(this);
    }

    @Override
    public synchronized void sync(long minFreeBytes) {
        if (state != DiskRecording.State.RECORDING) return;
        try {
            String problem = DiskRecording.syncPart(part, fileKey, store, folder, minFreeBytes);
            if (problem != null) {
                fail(problem);
                return;
            }
            if (sidecarDirty) writeSidecar();
        } catch (IOException e) {
            fail(DiskRecording.problem("bringing " + name + " to the disk", e));
        }
    }

    /** The recorder stopping: what was fed is written here and now, then it ends with {@code why}. */
    synchronized void finishNow(String why) {
        ending = ending == null ? why : ending;
        drain();
    }

    private double seconds() {
        return (double) frames / rate;
    }

    private void writeSidecar() throws IOException {
        DiskRecording.writeSidecar(folder, name, sidecar());
        sidecarDirty = false;
    }

    private Map<String, Object> sidecar() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("origin", origin);
        out.put("state", state.label());
        out.put("error", error);
        out.put("requested", opened.toString());
        out.put("requested_seconds", null);
        out.put("format", "RIFF/WAVE PCM 16-bit little-endian" + (channels > 1 ? ", interleaved" : ""));
        out.put("rate", rate);
        out.put("channels", channels);
        out.put("details", details);
        List<Map<String, Object>> files = new ArrayList<>();
        for (Part p : parts) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", p.file);
            f.put("frames", p.frames);
            f.put("seconds", (double) p.frames / rate);
            files.add(f);
        }
        out.put("parts", files);
        out.put("frames", frames);
        out.put("seconds", seconds());
        return out;
    }

    @Override
    public synchronized Map<String, Object> describe() {
        List<Map<String, Object>> files = new ArrayList<>();
        for (Part p : parts) {
            long bytes = WavFile.HEADER_BYTES + p.frames * channels * 2L;
            files.add(DiskRecording.file(p.file, bytes, rate, channels, (double) p.frames / rate));
        }
        Map<String, Object> out = DiskRecording.recording(name, origin, state.label(), error, null, files, 0, 0);
        out.put("details", details);
        return out;
    }

    @Override
    public String toString() {
        return "FedDiskRecording[" + name + " (" + origin + "), " + state.label() + (error == null ? "" : ": " + error) + "]";
    }
}
