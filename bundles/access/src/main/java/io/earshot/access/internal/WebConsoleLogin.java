package io.earshot.access.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AccessControl;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The Web Console's login: user {@value #USER} with the access token as password (HTTP Basic),
 * or the token as a bearer header or {@code ?token=}. It replaces the console's admin/admin; the
 * runtime sets {@code felix.webconsole.security.providers=earshot} so the console waits for it.
 */
@Component(service = SecurityProvider.class, property = SecurityProvider.PROPERTY_ID + "=earshot")
public final class WebConsoleLogin implements SecurityProvider {

    static final String USER = "earshot";

    private final AccessControl access;

    @Activate
    public WebConsoleLogin(@Reference AccessControl access) {
        this.access = access;
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        String authorization = request.getHeader("Authorization");
        String presented = AccessControl.presentedToken(authorization, request.getParameter("token"));
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            presented = basicPassword(authorization.substring(6).trim());
        }
        if (access.permits(presented)) {
            return USER;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"Earshot (user earshot, the access token as password)\"");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        return null;
    }

    /** The password of a Basic credential for user earshot; null for anything else. */
    static String basicPassword(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 && decoded.substring(0, colon).equals(USER) ? decoded.substring(colon + 1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public boolean authorize(Object user, String role) {
        return USER.equals(user);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // stateless: every request carries its credentials
    }
}
