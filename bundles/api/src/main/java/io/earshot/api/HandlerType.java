package io.earshot.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A family of handler types (whiteboard): the type names it offers, how it checks creation
 * parameters and data, and the browser module that draws it. Installing a bundle that registers
 * one makes its types usable at once, in open browsers too.
 * <p>
 * Checks receive plain Java values as JSON would give them: {@code Map<String, Object>},
 * {@code List<Object>}, {@code Number}, {@code String}, {@code Boolean} or {@code null}.
 */
@ConsumerType
public interface HandlerType {

    /** The type names, e.g. {@code base:graph:line}. */
    List<String> types();

    /**
     * Path of the ES module that renders these types, served by the same bundle (e.g.
     * {@code /handlers/graph/renderer.js}). It exports {@code create(element, handler)} returning
     * an object with {@code data(payload)} and optionally {@code audio(samples, rate, channels)}
     * and {@code dispose()}.
     */
    String rendererPath();

    /** Why {@code params} cannot create a {@code type} handler, in words for a person; empty when they can. */
    Optional<String> checkParams(String type, Map<String, Object> params);

    /** Why {@code data} cannot be sent to a {@code type} handler created with {@code params}; empty when it can. */
    Optional<String> checkData(String type, Map<String, Object> params, Object data);

    /** Whether {@code type} plays audio sent with {@link Handler#sendAudio}. */
    default boolean playsAudio(String type) {
        return false;
    }
}
