package io.earshot.access.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The token a request presents, read in this one place: {@code Authorization: Bearer T}, the
 * Web Console's {@code Authorization: Basic} with user {@value #CONSOLE_USER} and the token as
 * password, or {@code ?token=T} in the query string. The body is never read: parsing a form
 * body for a parameter would consume an upload (curl sends binary bodies as forms by default).
 */
final class Credentials {

    static final String CONSOLE_USER = "earshot";
    private static final String QUERY_KEY = "token";

    private Credentials() {
    }

    /** The presented token, or null when the request carries none. */
    static String presented(String authorization, String query) {
        if (authorization != null) {
            String value = authorization.trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return value.substring(7).trim();
            }
            if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
                String password = basicPassword(value.substring(6).trim());
                if (password != null) return password;
            }
        }
        return fromQuery(query);
    }

    /** The password of a Basic credential for the console's user; null for anything else. */
    static String basicPassword(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 && decoded.substring(0, colon).equals(CONSOLE_USER) ? decoded.substring(colon + 1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String fromQuery(String query) {
        if (query == null) return null;
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (key.equals(QUERY_KEY)) {
                try {
                    return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null; // a malformed %-escape: no usable token
                }
            }
        }
        return null;
    }
}
