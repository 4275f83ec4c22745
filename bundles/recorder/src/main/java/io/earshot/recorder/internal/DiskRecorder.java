package io.earshot.recorder.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.FedRecording;
import io.earshot.api.Recordings;
import io.earshot.api.StatusContributor;
import io.earshot.api.StreamConfig;
import io.earshot.http.json.Refusal;

/**
 * Recordings on disk, in {@code data/recordings/}: a listener of the stream like any plugin (the
 * hub gives it its own thread and bounded queue, so the capture thread never waits for the
 * disk), which writes every recording in progress as buffers arrive. Recordings other bundles
 * feed ({@link Recordings}: talks) are written by a feed thread of their own. A second thread
 * brings headers and data to the disk once a second; at start, files a crash left behind are
 * repaired.
 */
@Component(service = {DiskRecorder.class, AudioListener.class, StatusContributor.class, Recordings.class},
        property = {AudioListener.NAME + "=recordings", AudioListener.QUEUE + "=64"})
public final class DiskRecorder implements AudioListener, StatusContributor, Recordings {

    static final int MAX_ACTIVE = 8;
    /** Fed recordings (talks, ...) open at once. */
    static final int MAX_FED = 64;
    static final Pattern ORIGIN = Pattern.compile("[a-z0-9-]{1,32}");
    /** Rates and channel counts a fed recording may have. */
    static final int MAX_FED_RATE = 384_000;
    static final int MAX_FED_CHANNELS = 64;
    /** A recording with a duration: at most a week (open-ended ones run until stopped or the disk's limit). */
    static final double MAX_SECONDS = 7 * 24 * 3600;
    /** Recordings stop (and do not start) when the disk has less free space than this. */
    static final long MIN_FREE_BYTES = 64L * 1024 * 1024;
    /** Recordings listed by GET /api/recordings, in name order. */
    static final int MAX_LISTED = 1000;
    /** Ended recordings, repairs and errors kept for the status, each. */
    static final int MAX_KEPT = 16;

    private static final Logger LOG = LoggerFactory.getLogger(DiskRecorder.class);

    private final Path folder;
    private final long maxFileBytes;
    private final List<DiskRecording> active = new CopyOnWriteArrayList<>();
    private final List<FedDiskRecording> fed = new CopyOnWriteArrayList<>();
    private final Deque<OpenRecording> ended = new ArrayDeque<>();
    private final Deque<Map<String, Object>> repaired = new ArrayDeque<>();
    private final Deque<Map<String, Object>> errors = new ArrayDeque<>();
    private volatile StreamConfig config;
    private ScheduledExecutorService sync;
    private volatile Thread syncThread;
    /** Writes what the fed recordings are given: the feeding threads (WebSocket sessions) never wait for the disk. */
    private final ExecutorService feeds;
    private volatile Thread feedThread;

    @Activate
    public DiskRecorder(BundleContext context) {
        this(folder(context), WavFile.MAX_FILE_BYTES);
        sync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "earshot-recorder-sync");
            t.setDaemon(true);
            syncThread = t;
            return t;
        });
        sync.scheduleAtFixedRate(this::syncAll, 1, 1, TimeUnit.SECONDS);
    }

    /** Repairs what a crash left in {@code folder}; parts end before {@code maxFileBytes}. */
    DiskRecorder(Path folder, long maxFileBytes) {
        this.folder = folder;
        this.maxFileBytes = maxFileBytes;
        this.feeds = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "earshot-recorder-feeds");
            t.setDaemon(true);
            feedThread = t;
            return t;
        });
        repairAll();
    }

    /** The runtime's data folder (framework property {@code earshot.data}, set by bin/earshot), then recordings/. */
    static Path folder(BundleContext context) {
        String data = context.getProperty("earshot.data");
        return (data == null ? Path.of("data") : Path.of(data)).resolve("recordings");
    }

    @Deactivate
    void deactivate() {
        if (sync != null) sync.shutdownNow();
        feeds.shutdown();
        String why = "the recorder stopped (the runtime or its bundle stopping)";
        for (DiskRecording r : active) r.stop(why);
        try {
            feeds.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (FedDiskRecording r : fed) r.finishNow(why);
    }

    Path folder() {
        return folder;
    }

    void syncAll() {
        for (DiskRecording r : active) {
            r.sync(MIN_FREE_BYTES);
        }
        for (FedDiskRecording r : fed) {
            r.sync(MIN_FREE_BYTES);
        }
    }

    @Override
    public void onConfig(StreamConfig newConfig) {
        config = newConfig;
        for (DiskRecording r : active) r.onConfig(newConfig);
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        for (DiskRecording r : active) r.onBuffer(buffer);
    }

    /**
     * Starts recording the stream into {@code name} (null: a name from the date and time), for
     * {@code seconds} or, when null, until stopped.
     */
    synchronized DiskRecording start(String name, Double seconds) throws Refusal {
        if (name == null) name = freeName();
        String problem = RecordingNames.problem(name);
        if (problem != null) throw new Refusal(400, problem);
        if (seconds != null && !(seconds > 0 && seconds <= MAX_SECONDS)) {
            throw new Refusal(400, "seconds must be more than 0 and at most " + (long) MAX_SECONDS
                    + " (a week), or left out for a recording that runs until stopped; got " + seconds);
        }
        if (inUse(name)) {
            throw new Refusal(409, "the name " + name + " is taken (a recording in progress or files in the recordings folder);"
                    + " choose another, or DELETE /api/recordings/" + name + " first");
        }
        if (active.size() >= MAX_ACTIVE) {
            throw new Refusal(503, MAX_ACTIVE + " recordings are in progress, the most at once; stop one first");
        }
        StreamConfig current = config;
        if (current == null) {
            throw new Refusal(503, "no stream is running yet; try again when it is");
        }
        DiskRecording recording;
        try {
            Files.createDirectories(folder);
            FileStore store = Files.getFileStore(folder);
            if (store.getUsableSpace() < MIN_FREE_BYTES) {
                throw new Refusal(507, "the disk of " + folder + " has " + store.getUsableSpace() / (1024 * 1024)
                        + " MB free; recordings need at least " + MIN_FREE_BYTES / (1024 * 1024) + " MB");
            }
            recording = new DiskRecording(name, folder, store, seconds, current, maxFileBytes, this::ended);
            recording.begin();
        } catch (IOException e) {
            String reason = "cannot record into " + folder + ": " + e + " (check that the folder is writable and the disk not full)";
            error(reason);
            throw new Refusal(507, reason);
        }
        active.add(recording);
        LOG.info("Recording {} into {}{}", name, folder.resolve(RecordingNames.partFile(name, 1)),
                seconds == null ? " until stopped" : " for " + seconds + " s");
        return recording;
    }

    @Override
    public FedRecording open(String name, String origin, int rate, int channels, Map<String, Object> details) throws IOException {
        String problem = RecordingNames.problem(name);
        if (problem != null) throw new IllegalArgumentException(problem);
        if (origin == null || !ORIGIN.matcher(origin).matches()) {
            throw new IllegalArgumentException("an origin is 1 to 32 of a-z, 0-9 and '-', got " + origin);
        }
        if (rate < 1 || rate > MAX_FED_RATE || channels < 1 || channels > MAX_FED_CHANNELS) {
            throw new IllegalArgumentException("a recording has a rate of 1.." + MAX_FED_RATE + " and 1.." + MAX_FED_CHANNELS
                    + " channels, got " + rate + " Hz and " + channels);
        }
        FedDiskRecording recording;
        synchronized (this) {
            if (inUse(name)) throw new IOException("the name " + name + " is taken");
            if (fed.size() >= MAX_FED) throw new IOException(MAX_FED + " fed recordings are open, the most at once");
            try {
                Files.createDirectories(folder);
                FileStore store = Files.getFileStore(folder);
                if (store.getUsableSpace() < MIN_FREE_BYTES) {
                    throw new IOException("the disk of " + folder + " has " + store.getUsableSpace() / (1024 * 1024)
                            + " MB free; recordings need at least " + MIN_FREE_BYTES / (1024 * 1024) + " MB");
                }
                recording = new FedDiskRecording(name, origin, folder, store, rate, channels,
                        details == null ? Map.of() : Map.copyOf(details), maxFileBytes, feeds, this::ended);
                recording.begin();
            } catch (IOException e) {
                String reason = "cannot record " + name + " into " + folder + ": " + e.getMessage();
                error(reason);
                throw new IOException(reason, e);
            }
            fed.add(recording);
        }
        LOG.info("Recording {} ({}) into {}", name, origin, folder.resolve(RecordingNames.partFile(name, 1)));
        return recording;
    }

    private String freeName() {
        String base = "earshot-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String name = base;
        for (int i = 2; inUse(name); i++) name = base + "-" + i;
        return name;
    }

    private boolean inUse(String name) {
        return find(name).isPresent() || Files.exists(folder.resolve(RecordingNames.sidecarFile(name)))
                || Files.exists(folder.resolve(RecordingNames.partFile(name, 1)));
    }

    private Optional<OpenRecording> find(String name) {
        Optional<OpenRecording> stream = active.stream().filter(r -> r.name().equals(name)).map(OpenRecording.class::cast).findFirst();
        return stream.isPresent() ? stream : fed.stream().filter(r -> r.name().equals(name)).map(OpenRecording.class::cast).findFirst();
    }

    private void ended(OpenRecording recording) {
        active.remove(recording);
        fed.remove(recording);
        synchronized (ended) {
            keep(ended, recording);
        }
        if (recording.failed()) {
            error(recording.name() + ": " + recording.error());
        }
    }

    private static <T> void keep(Deque<T> kept, T item) {
        kept.addFirst(item);
        while (kept.size() > MAX_KEPT) kept.removeLast();
    }

    private void error(String message) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("time", Instant.now().toString());
        entry.put("error", message);
        synchronized (errors) {
            keep(errors, entry);
        }
    }

    Map<String, Object> stop(String name) throws Refusal {
        checkName(name);
        Optional<OpenRecording> recording = find(name);
        if (recording.isEmpty()) {
            Map<String, Object> onDisk = describe(name);
            throw new Refusal(409, name + " is not in progress (" + onDisk.get("state") + ")");
        }
        recording.get().stopRecording(null);
        return recording.get().describe();
    }

    /** Deletes a recording's files; one in progress must be stopped first. */
    List<String> delete(String name) throws Refusal {
        checkName(name);
        if (find(name).isPresent()) {
            throw new Refusal(409, name + " is in progress; stop it first (POST /api/recordings/" + name + "/stop)");
        }
        Listing listing = listing();
        if (!listing.names.containsKey(name)) throw unknown(name);
        List<String> deleted = new ArrayList<>();
        try {
            for (String file : listing.files(name)) {
                Files.deleteIfExists(folder.resolve(file));
                deleted.add(file);
            }
        } catch (IOException e) {
            throw new Refusal(500, "deleted " + deleted + " of " + name + ", then: " + e);
        }
        synchronized (ended) {
            ended.removeIf(r -> r.name().equals(name));
        }
        LOG.info("Deleted recording {}: {}", name, deleted);
        return deleted;
    }

    private static void checkName(String name) throws Refusal {
        String problem = RecordingNames.problem(name);
        if (problem != null) throw new Refusal(400, problem);
    }

    private Refusal unknown(String name) {
        return new Refusal(404, "no recording named " + name + "; GET /api/recordings lists them");
    }

    /** A recording's file to read: {@code NAME.wav}, {@code NAME-002.wav}, {@code NAME.json}. */
    Path file(String file) throws Refusal {
        RecordingNames.FileName parsed = RecordingNames.parse(file);
        if (parsed == null) {
            throw new Refusal(400, "'" + file + "' is not a recording's file: NAME.wav, NAME-002.wav ... or NAME.json, NAME being "
                    + RecordingNames.ALLOWED);
        }
        Path path = folder.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new Refusal(404, "no file " + file + " among the recordings; GET /api/recordings lists them");
        }
        return path;
    }

    /** One recording as the list shows it. */
    Map<String, Object> describe(String name) throws Refusal {
        checkName(name);
        Optional<OpenRecording> recording = find(name);
        if (recording.isPresent()) return recording.get().describe();
        Listing listing = listing();
        if (!listing.names.containsKey(name)) throw unknown(name);
        return fromDisk(name, listing.names.get(name));
    }

    /** What is in the folder, by recording name: the part numbers found (the sidecar is 0). */
    private static final class Listing {
        final TreeMap<String, TreeSet<Integer>> names = new TreeMap<>();

        List<String> files(String name) {
            List<String> out = new ArrayList<>();
            for (int part : names.get(name)) {
                out.add(part == 0 ? RecordingNames.sidecarFile(name) : RecordingNames.partFile(name, part));
            }
            return out;
        }
    }

    private Listing listing() {
        Listing listing = new Listing();
        if (!Files.isDirectory(folder)) return listing;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                RecordingNames.FileName parsed = RecordingNames.parse(file.getFileName().toString());
                if (parsed != null) listing.names.computeIfAbsent(parsed.recording(), n -> new TreeSet<>()).add(parsed.part());
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", folder, e.toString());
        }
        return listing;
    }

    /** The recordings in the folder and in progress, by name, at most {@link #MAX_LISTED}. */
    Map<String, Object> list() {
        Listing listing = listing();
        for (DiskRecording r : active) listing.names.computeIfAbsent(r.name(), n -> new TreeSet<>());
        for (FedDiskRecording r : fed) listing.names.computeIfAbsent(r.name(), n -> new TreeSet<>());
        List<Map<String, Object>> recordings = new ArrayList<>();
        for (var entry : listing.names.entrySet()) {
            if (recordings.size() == MAX_LISTED) break;
            Optional<OpenRecording> live = find(entry.getKey());
            recordings.add(live.isPresent() ? live.get().describe() : fromDisk(entry.getKey(), entry.getValue()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folder", folder.toString());
        out.put("recordings", recordings);
        out.put("not_listed", listing.names.size() - recordings.size());
        out.put("limits", limits());
        return out;
    }

    private Map<String, Object> fromDisk(String name, TreeSet<Integer> parts) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (int part : parts) {
            if (part == 0) continue;
            String file = RecordingNames.partFile(name, part);
            try {
                WavFile.Header header = WavFile.read(folder.resolve(file));
                files.add(DiskRecording.file(file, header.fileBytes(), header.rate(), header.channels(), header.seconds()));
            } catch (IOException e) {
                Map<String, Object> unreadable = DiskRecording.file(file, 0, 0, 0, 0);
                unreadable.put("error", e.getMessage());
                files.add(unreadable);
            }
        }
        JsonNode sidecar = readSidecar(name);
        String state = sidecar == null ? (files.isEmpty() ? "empty" : "no sidecar") : sidecar.path("state").asText("unknown");
        String error = sidecar == null || sidecar.path("error").isNull() ? null : sidecar.path("error").asText();
        Double seconds = sidecar == null || !sidecar.path("requested_seconds").isNumber() ? null
                : sidecar.path("requested_seconds").asDouble();
        long gaps = sidecar == null ? 0 : sidecar.path("gaps").size() + sidecar.path("gaps_not_listed").asLong();
        long lost = sidecar == null ? 0 : sidecar.path("lost_buffers").asLong();
        String origin = sidecar == null ? DiskRecording.STREAM_ORIGIN : sidecar.path("origin").asText(DiskRecording.STREAM_ORIGIN);
        Map<String, Object> out = DiskRecording.recording(name, origin, state, error, seconds, files, gaps, lost);
        if (sidecar != null && sidecar.path("details").isObject()) out.put("details", sidecar.get("details"));
        return out;
    }

    private JsonNode readSidecar(String name) {
        Path path = folder.resolve(RecordingNames.sidecarFile(name));
        if (!Files.isRegularFile(path)) return null;
        try {
            return DiskRecording.JSON.readTree(path.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * At start, before any recording: each part whose header is behind its length (the runtime
     * died while writing it) gets its sizes from the length, a half-written last frame cut; each
     * sidecar still saying "recording" is marked interrupted, with its parts' sizes as repaired.
     */
    private void repairAll() {
        if (!Files.isDirectory(folder)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                RecordingNames.FileName parsed = RecordingNames.parse(fileName);
                if (fileName.startsWith(".") && fileName.endsWith(".json.tmp")) {
                    Files.deleteIfExists(file); // a sidecar write the runtime did not finish; the old sidecar stands
                } else if (parsed != null && parsed.part() > 0) {
                    repairPart(file);
                }
            }
            for (Path sidecar : files(folder, "*.json")) {
                RecordingNames.FileName parsed = RecordingNames.parse(sidecar.getFileName().toString());
                if (parsed != null) markInterrupted(parsed.recording(), sidecar);
            }
        } catch (IOException e) {
            LOG.warn("Cannot look for recordings to repair in {}: {}", folder, e.toString());
            error("cannot look for recordings to repair: " + e);
        }
    }

    private static List<Path> files(Path folder, String glob) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
            files.forEach(out::add);
        }
        return out;
    }

    private void repairPart(Path file) {
        try {
            WavFile.Repair repair = WavFile.repair(file);
            if (repair == null) return;
            WavFile.Header header = WavFile.read(file);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", file.getFileName().toString());
            entry.put("header_said_bytes", repair.declaredDataBytes());
            entry.put("audio_bytes", repair.dataBytes());
            entry.put("seconds", header.seconds());
            entry.put("bytes_cut", repair.bytesCut());
            entry.put("time", Instant.now().toString());
            synchronized (repaired) {
                keep(repaired, entry);
            }
            LOG.warn("Repaired {} (left open by a crash or kill): its header said {} bytes of audio, it holds {} ({} s){}",
                    file, repair.declaredDataBytes(), repair.dataBytes(), String.format("%.2f", header.seconds()),
                    repair.bytesCut() > 0 ? "; " + repair.bytesCut() + " bytes of a half-written frame cut" : "");
        } catch (IOException e) {
            LOG.warn("Cannot repair {}: {}; left as it is", file, e.getMessage());
            error("cannot repair " + file.getFileName() + ": " + e.getMessage());
        }
    }

    private void markInterrupted(String name, Path sidecar) throws IOException {
        JsonNode read = readSidecar(name);
        if (!(read instanceof ObjectNode node) || !"recording".equals(node.path("state").asText())) return;
        node.put("state", "interrupted");
        node.put("error", "the runtime stopped while recording (a crash or kill); the files were repaired at the next start");
        for (JsonNode part : node.path("parts")) {
            Path file = folder.resolve(part.path("file").asText());
            if (part instanceof ObjectNode p && Files.isRegularFile(file)) {
                WavFile.Header header = WavFile.read(file);
                long frames = header.declaredDataBytes() / header.frameBytes();
                p.put("frames", frames);
                p.put("seconds", header.seconds());
            }
        }
        Path temporary = folder.resolve("." + sidecar.getFileName() + ".tmp");
        DiskRecording.JSON.writeValue(temporary.toFile(), node);
        Files.move(temporary, sidecar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.warn("Recording {} was interrupted (the runtime stopped while recording); marked so in {}", name, sidecar.getFileName());
    }

    static Map<String, Object> limits() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("recordings_at_once", MAX_ACTIVE);
        limits.put("fed_recordings_at_once", MAX_FED);
        limits.put("fed_backlog_seconds", FedDiskRecording.MAX_BACKLOG_SECONDS);
        limits.put("seconds", (long) MAX_SECONDS);
        limits.put("part_bytes", WavFile.MAX_FILE_BYTES);
        limits.put("parts", RecordingNames.MAX_PARTS);
        limits.put("min_free_bytes", MIN_FREE_BYTES);
        limits.put("name_length", RecordingNames.MAX_LENGTH);
        limits.put("gaps_listed", DiskRecording.MAX_GAPS_LISTED);
        limits.put("silence_seconds_per_gap", DiskRecording.MAX_SILENCE_SECONDS);
        limits.put("listed", MAX_LISTED);
        return limits;
    }

    @Override
    public String statusKey() {
        return "recordings";
    }

    @Override
    public Object status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folder", folder.toString());
        out.put("folder_problem", folderProblem());
        List<Map<String, Object>> recording = new ArrayList<>();
        for (DiskRecording r : active) recording.add(r.describe());
        for (FedDiskRecording r : fed) recording.add(r.describe());
        out.put("recording", recording);
        List<OpenRecording> endedNow;
        synchronized (ended) {
            endedNow = new ArrayList<>(ended); // described outside: a recording ending holds its lock, then this one
        }
        List<Map<String, Object>> done = new ArrayList<>();
        for (OpenRecording r : endedNow) done.add(r.describe());
        out.put("ended", done);
        synchronized (repaired) {
            out.put("repaired", new ArrayList<>(repaired));
        }
        synchronized (errors) {
            out.put("errors", new ArrayList<>(errors));
        }
        // the writing is on the listener's thread (stream.listeners, "recordings"), forcing to disk on this one
        Thread t = syncThread;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long syncNanos = t == null || !cpu.isThreadCpuTimeSupported() ? -1 : cpu.getThreadCpuTime(t.getId());
        out.put("sync_cpu_ms", syncNanos < 0 ? null : syncNanos / 1_000_000);
        Thread f = feedThread;
        long feedNanos = f == null || !cpu.isThreadCpuTimeSupported() ? -1 : cpu.getThreadCpuTime(f.getId());
        out.put("feeds_cpu_ms", feedNanos < 0 ? null : feedNanos / 1_000_000); // writing the fed recordings (talks)
        out.put("limits", limits());
        return out;
    }

    /** Why recordings cannot start now, or null. */
    private String folderProblem() {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return null;
        if (!Files.isDirectory(existing)) return existing + " is not a folder; recordings cannot be written";
        if (!Files.isWritable(existing)) return existing + " is not writable; recordings cannot start";
        return null;
    }
}
