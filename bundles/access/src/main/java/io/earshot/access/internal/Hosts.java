package io.earshot.access.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The host names and addresses this runtime answers to: loopback, the address it is bound to (for
 * a wildcard bind, every interface's address), the machine's name, and the configured ones. A
 * request naming another host reached us through a name that is not ours: DNS rebinding, where a
 * foreign site's name is pointed at this machine so a browser treats us as that site.
 */
final class Hosts {

    /** How long the interfaces' addresses are kept before a miss looks again (DHCP, a new interface). */
    private static final long REFRESH_NANOS = 5_000_000_000L;

    private final Set<String> configured;
    private final boolean anyHost;
    private final Supplier<Set<String>> own;
    private volatile Set<String> known;
    private volatile long knownAt;

    /**
     * @param bind the address the HTTP server listens on (null or blank: every interface)
     * @param configured names allowed as well ({@code allowedHosts}); {@code *} allows any host
     */
    Hosts(String bind, String[] configured) {
        this(configured, () -> ownNames(bind));
    }

    Hosts(String[] configured, Supplier<Set<String>> own) {
        Set<String> names = new TreeSet<>();
        boolean any = false;
        for (String name : configured) {
            String normalized = normalize(name);
            if (normalized == null) continue;
            if (normalized.equals("*")) any = true;
            else names.add(normalized);
        }
        this.configured = Collections.unmodifiableSet(names);
        this.anyHost = any;
        this.own = own;
        this.known = own.get();
        this.knownAt = System.nanoTime();
    }

    boolean allowsAny() {
        return anyHost;
    }

    /** Whether {@code host} (a Host header's name, normalized) is one of ours. */
    boolean allows(String host) {
        if (anyHost || configured.contains(host) || known.contains(host)) {
            return true;
        }
        if (System.nanoTime() - knownAt > REFRESH_NANOS) {
            known = own.get();
            knownAt = System.nanoTime();
            return known.contains(host);
        }
        return false;
    }

    /** What the status shows: the names this runtime answers to now. */
    Set<String> names() {
        Set<String> all = new TreeSet<>(known);
        all.addAll(configured);
        if (anyHost) all.add("*");
        return all;
    }

    /**
     * The host of a {@code Host} header or an origin's host, lower case, without port, brackets
     * or a final dot; null when there is none.
     */
    static String normalize(String host) {
        if (host == null) return null;
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.isEmpty()) return null;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h.substring(1) : h.substring(1, end);
        } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.substring(0, h.indexOf(':')); // name:port (more colons: a bare IPv6 address)
        }
        int scope = h.indexOf('%');
        if (scope >= 0) h = h.substring(0, scope);
        while (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h.isEmpty() ? null : h;
    }

    static boolean isWildcard(String bind) {
        return bind == null || bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
    }

    /** Loopback, the bound address (every interface's for a wildcard bind), and the machine's names. */
    private static Set<String> ownNames(String bind) {
        Set<String> names = new TreeSet<>(Set.of("localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1"));
        if (isWildcard(bind)) {
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        add(names, address.getHostAddress());
                    }
                }
            } catch (SocketException e) {
                // no interfaces to list: loopback and the names remain
            }
        } else {
            add(names, bind);
            try {
                add(names, InetAddress.getByName(bind).getHostAddress());
            } catch (UnknownHostException e) {
                // the server could not bind there either; its own error says so
            }
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            String machine = normalize(local.getHostName());
            if (machine != null) {
                names.add(machine);
                if (machine.indexOf('.') < 0) names.add(machine + ".local"); // mDNS
            }
            add(names, local.getCanonicalHostName()); // the full name, where the resolver knows one
        } catch (UnknownHostException e) {
            // a machine without a resolvable name: it is reached by address
        }
        return Collections.unmodifiableSet(names);
    }

    private static void add(Set<String> names, String host) {
        String name = normalize(host);
        if (name != null) names.add(name);
    }
}
