package io.earshot.source.alsa.internal;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the ALSA source on where libasound loads, and routes libasound's error messages into
 * the log. Where it does not load (macOS, Windows, a Linux without alsa-lib) the bundle says so
 * in one line and stays idle; the runtime goes on with its other sources.
 */
@Component(immediate = true, service = {})
public final class AlsaAvailability {

    private static final Logger LOG = LoggerFactory.getLogger(AlsaAvailability.class);

    private AlsaLog log;

    @Activate
    void activate(ComponentContext context) {
        Libasound alsa;
        try {
            alsa = Libasound.load();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            LOG.info("ALSA source off: libasound is not available here ({}); the other sources work as usual",
                    e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("").replaceAll(":$", ""));
            return;
        }
        log = AlsaLog.install(alsa);
        context.enableComponent(AlsaSource.class.getName());
        context.enableComponent(AlsaCommands.class.getName());
    }

    @Deactivate
    void deactivate(ComponentContext context) {
        context.disableComponent(AlsaSource.class.getName());
        context.disableComponent(AlsaCommands.class.getName());
        if (log != null) {
            log.uninstall();
        }
    }
}
