package io.earshot.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the runtime's console (whiteboard): every line written to standard output or error,
 * the log included, attributed to its source. Called on the writing thread, after the console's
 * rate limit: return at once (queue the line if there is work to do).
 */
@ConsumerType
public interface ConsoleListener {

    /**
     * One console line.
     *
     * @param source who wrote it: a listener's name (its thread's), a logger's simple name, or {@code runtime}
     * @param stream {@code stdout} or {@code stderr}
     * @param level {@code info}, {@code warn} or {@code error}
     * @param text the line, without its line break, at most 2000 characters
     * @param timeMillis when it was written, in epoch milliseconds
     */
    record Line(String source, String stream, String level, String text, long timeMillis) {
    }

    void line(Line line);

    /** {@code lines} lines of {@code source} were left out of the console: it wrote faster than the limit. */
    void skipped(String source, long lines);
}
