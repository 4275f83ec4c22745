package io.earshot.api;

import java.util.regex.Pattern;

/**
 * Names the stream a service belongs to. A runtime runs any number of streams (one source, one
 * capture thread, its own sequence numbers and listeners each); {@link #MAIN} is the one every
 * runtime has. A service says which stream it belongs to with the service property
 * {@link #PROPERTY}: an {@link AudioListener} receives that stream (absent: {@link #MAIN};
 * {@link #ALL}: every stream, each on a thread of its own; several ids: each of them), and
 * {@link StreamControl} is registered once per stream with it.
 *
 * @since 1.7
 */
public final class Streams {

    /** Service property: the id of the stream a service belongs to, or {@link #ALL}. */
    public static final String PROPERTY = "earshot.stream";

    /** The stream every runtime has, and the one a service without {@link #PROPERTY} belongs to. */
    public static final String MAIN = "main";

    /** A listener with this value receives every stream. */
    public static final String ALL = "*";

    /** Stream ids: lower-case letters, digits, {@code -} and {@code _}, starting with a letter or digit, 1..32 long. */
    public static final String ID_RULE = "[a-z0-9][a-z0-9_-]{0,31}";

    private static final Pattern ID = Pattern.compile(ID_RULE);

    private Streams() {
    }

    /** Whether {@code id} is a valid stream id ({@link #ID_RULE}). */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * The LDAP filter that selects the services of stream {@code id} (those of {@link #MAIN}
     * include the services without {@link #PROPERTY}), for a reference's {@code target}.
     */
    public static String filter(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a stream id: '" + id + "' (" + ID_RULE + ")");
        }
        return MAIN.equals(id) ? "(|(!(" + PROPERTY + "=*))(" + PROPERTY + "=" + MAIN + "))" : "(" + PROPERTY + "=" + id + ")";
    }
}
