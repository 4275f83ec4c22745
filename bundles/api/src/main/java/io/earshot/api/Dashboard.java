package io.earshot.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Charts and other views in the browser, fed by plugins: easy-dsp's {@code add_handler}.
 * <p>
 * The service is bundle-scoped: every handler belongs to the bundle that created it and is
 * removed from every browser when that bundle stops (or calls {@link Handler#close()}).
 * Browsers that connect later are shown each handler with the last data sent to it.
 */
@ProviderType
public interface Dashboard {

    /**
     * Creates a handler of {@code type} (e.g. {@code base:graph:line}) named {@code name}, with the
     * type's creation parameters (plain values: strings, numbers, booleans, lists and maps).
     *
     * @throws IllegalArgumentException with what was wrong and what is allowed: an unknown type
     *                                  (the installed ones are listed), parameters the type refuses,
     *                                  or a limit reached
     */
    Handler handler(String name, String type, Map<String, ?> params);
}
