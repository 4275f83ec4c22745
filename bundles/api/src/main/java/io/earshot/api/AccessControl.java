package io.earshot.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's access gate (Jupyter-style token, plus {@code Origin} and {@code Host} checks).
 * Every HTTP request Earshot serves passes the gate first; the gate alone reads credentials from
 * requests. An endpoint that serves both callers with and without the token (a socket that
 * answers everyone but takes changes only with the token) reads the gate's verdict from the
 * request attribute {@link #TOKEN_ATTRIBUTE}; endpoints outside HTTP (TCP, gRPC) take a token in
 * their own protocol and ask {@link #permits}.
 */
@ProviderType
public interface AccessControl {

    /**
     * Request attribute the gate sets on every request it lets through: {@link Boolean#TRUE} when
     * the request presented the runtime's token, else {@link Boolean#FALSE}. A request without it
     * did not pass the gate and must be refused.
     * @since 1.4
     */
    String TOKEN_ATTRIBUTE = "io.earshot.access.token";

    /** Whether {@code token} (possibly null) is the runtime's token. Constant-time. */
    boolean permits(String token);

    /**
     * Whether read-only endpoints (status, audio stream) are open without the token: true when
     * the runtime is bound to loopback only.
     */
    boolean openReads();

    /**
     * Why a connection must be refused, or null when it may go on: {@code host} is the host name
     * or address the client asked for (an HTTP {@code Host} header without its port, or the
     * address it connected to), {@code origin} the web page it comes from (an HTTP {@code Origin}
     * header, or null when the client is not a browser page). Refused are hosts this runtime is
     * not bound to nor configured with (DNS rebinding), and origins other than Earshot's own page
     * and the configured ones.
     * @since 1.4
     */
    String refusal(String host, String origin);

    /**
     * The token a request presents: the bearer header wins over the query parameter; null when neither.
     * @deprecated the gate reads credentials; endpoints read {@link #TOKEN_ATTRIBUTE}. Kept so
     *             bundles built against 1.3 keep resolving.
     */
    @Deprecated(since = "1.4", forRemoval = true)
    static String presentedToken(String authorizationHeader, String tokenParameter) {
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorizationHeader.substring(7).trim();
        }
        return tokenParameter;
    }
}
