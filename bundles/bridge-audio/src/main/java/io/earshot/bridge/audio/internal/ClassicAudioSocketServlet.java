package io.earshot.bridge.audio.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AccessControl;
import jakarta.servlet.Servlet;

/**
 * The same stream for easy-dsp clients on the classic audio port (path /): registered for the
 * classic-ports whiteboard, not for the HTTP whiteboard. Its port is this bridge's
 * {@code earshot.classic.port} setting. The classic-ports server puts the access gate's
 * Host and Origin checks in front of it.
 */
@Component(service = Servlet.class, configurationPid = AudioBridge.PID, property = "earshot.classic.port:Integer=7321")
public final class ClassicAudioSocketServlet extends AudioSocketServlet {

    private static final long serialVersionUID = 1L;

    private final transient AccessControl access;

    @Activate
    public ClassicAudioSocketServlet(@Reference AudioBridge bridge, @Reference AccessControl access) {
        super(bridge);
        this.access = access;
    }

    /** The classic server's gate checks Host and Origin; reads without the token are open on loopback only. */
    @Override
    String tokenRefusal(boolean withToken) {
        return withToken || access.openReads() ? null
                : "the audio stream needs the access token (?token= or Authorization: Bearer) because this runtime"
                        + " is not bound to loopback";
    }
}
