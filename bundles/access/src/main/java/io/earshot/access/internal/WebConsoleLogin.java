package io.earshot.access.internal;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AccessControl;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The Web Console's login: user {@value Credentials#CONSOLE_USER} with the access token as
 * password (HTTP Basic), or the token as a bearer header or {@code ?token=}, as the gate read it.
 * It replaces the console's admin/admin; the runtime sets
 * {@code felix.webconsole.security.providers=earshot} so the console waits for it.
 */
@Component(service = SecurityProvider.class, property = SecurityProvider.PROPERTY_ID + "=earshot",
        // the verdict is the gate's: without it standing there is no login
        reference = @Reference(name = "gate", service = AccessControl.class))
public final class WebConsoleLogin implements SecurityProvider {

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        if (Boolean.TRUE.equals(request.getAttribute(AccessControl.TOKEN_ATTRIBUTE))) {
            return Credentials.CONSOLE_USER;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"Earshot (user earshot, the access token as password)\"");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return Credentials.CONSOLE_USER.equals(user);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // stateless: every request carries its credentials
    }
}
