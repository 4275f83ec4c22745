package io.earshot.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's access token (Jupyter-style): every state-changing entry point asks this
 * service before acting. Clients present the token as {@code ?token=} or as
 * {@code Authorization: Bearer <token>}.
 */
@ProviderType
public interface AccessControl {

    /** Whether {@code token} (possibly null) is the runtime's token. Constant-time. */
    boolean permits(String token);

    /**
     * Whether read-only endpoints (status, audio stream) are open without the token: true when
     * the runtime is bound to loopback only.
     */
    boolean openReads();

    /** The token a request presents: the bearer header wins over the query parameter; null when neither. */
    static String presentedToken(String authorizationHeader, String tokenParameter) {
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorizationHeader.substring(7).trim();
        }
        return tokenParameter;
    }
}
