package io.earshot.bridge.config.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.earshot.api.AccessControl;
import io.earshot.api.StreamControl;
import jakarta.servlet.Servlet;

/**
 * Config messages from easy-dsp clients on the classic config port (path /). Those clients send
 * no token, so this port takes changes without one; it is served only when the classic ports are
 * switched on, and only where the runtime binds (loopback by default).
 */
@Component(service = Servlet.class, configurationPid = ClassicConfigSocketServlet.PID,
        property = "earshot.classic.port:Integer=7322")
@Designate(ocd = ClassicConfigPortConfig.class)
public final class ClassicConfigSocketServlet extends ConfigSocketServlet {

    static final String PID = "io.earshot.bridge.config";
    private static final long serialVersionUID = 1L;

    /** The main stream's (easy-dsp clients know of no other): a reference without a target gets it. */
    @Activate
    public ClassicConfigSocketServlet(@Reference StreamControl stream, @Reference AccessControl access) {
        super(access, false);
        addStream(stream);
    }
}
