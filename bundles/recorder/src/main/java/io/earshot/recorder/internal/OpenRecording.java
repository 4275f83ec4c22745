package io.earshot.recorder.internal;

import java.util.Map;

/** A recording in progress, of the stream ({@link DiskRecording}) or fed by a bundle ({@link FedDiskRecording}). */
interface OpenRecording {

    String name();

    /** Once a second: header sizes and data to the disk; the checks that cannot wait for a write to fail. */
    void sync(long minFreeBytes);

    /** Ends it ({@code why}: null when a user asked, else what ended it); false if it had already ended. */
    boolean stopRecording(String why);

    /** Whether it ended because something failed; {@link #error()} says what. */
    boolean failed();

    String error();

    /** What the list, the status and a POST answer show of it. */
    Map<String, Object> describe();
}
