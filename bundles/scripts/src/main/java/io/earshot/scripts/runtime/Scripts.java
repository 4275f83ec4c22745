package io.earshot.scripts.runtime;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs plugins written as one Java source file: the source is compiled in memory against the
 * plugin API, wrapped into a bundle, installed and started; running the same name again
 * replaces it; stopping uninstalls it with everything it created.
 */
@ProviderType
public interface Scripts {

    /** A compiler message: where (1-based line and column; 0 when the message is about no place) and what. */
    record Diagnostic(String kind, long line, long column, String message) {
    }

    /**
     * What {@link #run} did: started (with the bundle id), or not, with the compiler's diagnostics
     * or a reason; and how long compiling, installing and starting took.
     */
    record Result(boolean started, long bundleId, String error, List<Diagnostic> diagnostics, long millis) {
    }

    /** A running script. */
    record Running(String name, long bundleId) {
    }

    /** Null when scripts can run here; otherwise why not (switched off, no compiler), said for a person. */
    String unavailable();

    Result run(String name, String source);

    /** @return whether a script of that name was running */
    boolean stop(String name);

    /** The running scripts, by name. */
    List<Running> running();
}
