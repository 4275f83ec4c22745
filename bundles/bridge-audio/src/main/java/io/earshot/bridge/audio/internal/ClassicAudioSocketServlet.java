package io.earshot.bridge.audio.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AccessControl;
import jakarta.servlet.Servlet;

/**
 * The same stream for easy-dsp clients on the classic audio port (path /): registered for the
 * classic-ports whiteboard, not for the HTTP whiteboard. Its port is this bridge's
 * {@code earshot.classic.port} setting.
 */
@Component(service = Servlet.class, configurationPid = AudioFanout.PID, property = "earshot.classic.port:Integer=7321")
public final class ClassicAudioSocketServlet extends AudioSocketServlet {

    private static final long serialVersionUID = 1L;

    @Activate
    public ClassicAudioSocketServlet(@Reference AudioFanout fanout, @Reference AccessControl access) {
        super(fanout, access);
    }
}
