package io.earshot.access.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The web pages that may use this runtime: Earshot's own page (http or https, one of our
 * {@link Hosts}, the HTTP port) and the configured origins ({@code allowedOrigins}), e.g. the
 * address an easy-dsp webapp is served from, or {@code null} for a page opened from a file.
 * Every other page is refused, token or not: a site the user visits must not hear the room.
 */
final class Origins {

    private final Set<String> configured;
    private final Hosts hosts;
    private final Set<Integer> ports;

    /**
     * @param ports the ports Earshot's own page is served on
     */
    Origins(String[] configured, Hosts hosts, Set<Integer> ports) {
        Set<String> origins = new TreeSet<>();
        for (String origin : configured) {
            String normalized = normalize(origin);
            if (normalized != null) origins.add(normalized);
        }
        this.configured = Collections.unmodifiableSet(origins);
        this.hosts = hosts;
        this.ports = Set.copyOf(ports);
    }

    Set<String> configured() {
        return configured;
    }

    /** Whether a request with this {@code Origin} header may go on. */
    boolean allows(String origin) {
        String normalized = normalize(origin);
        if (normalized == null) {
            return false;
        }
        if (configured.contains(normalized)) {
            return true;
        }
        URI uri = parse(normalized);
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            return false;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        return ports.contains(port) && hosts.allows(Hosts.normalize(uri.getHost()));
    }

    /**
     * An origin as browsers send it, lower case, without a default port or a path; {@code null}
     * stays {@code null} (the literal, sent by pages opened from files and sandboxed frames).
     */
    static String normalize(String origin) {
        if (origin == null || origin.isBlank()) return null;
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.equals("null")) return o;
        URI uri = parse(o);
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) return null;
        int port = uri.getPort();
        boolean defaultPort = port < 0 || (uri.getScheme().equals("http") && port == 80)
                || (uri.getScheme().equals("https") && port == 443);
        String host = uri.getHost();
        return uri.getScheme() + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static URI parse(String origin) {
        try {
            return new URI(origin);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
