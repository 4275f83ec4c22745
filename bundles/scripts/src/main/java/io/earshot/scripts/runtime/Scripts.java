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

    /** What {@link #run} did: started (with the bundle id), or not, with the compiler's diagnostics or a reason. */
    record Result(boolean started, long bundleId, String error, List<Diagnostic> diagnostics) {
    }

    Result run(String name, String source);

    /** @return whether a script of that name was running */
    boolean stop(String name);

    /** Names of the running scripts. */
    List<String> names();
}
