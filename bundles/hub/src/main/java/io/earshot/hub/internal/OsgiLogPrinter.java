package io.earshot.hub.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints what bundles report to the OSGi log at WARN and ERROR, which nothing printed before:
 * SCR reports there a component that failed to activate (a plugin whose constructor threw, a
 * reference it could not get). The lines go through slf4j, under the reporting bundle's name,
 * so the terminal and the webapp's Console tab show them.
 */
@Component(service = {}) // immediate: it registers itself with the log reader
public final class OsgiLogPrinter implements LogListener {

    private final LogReaderService reader;

    @Activate
    public OsgiLogPrinter(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        LogLevel level = entry.getLogLevel();
        if (level != LogLevel.ERROR && level != LogLevel.WARN) {
            return;
        }
        String name = entry.getBundle() == null || entry.getBundle().getSymbolicName() == null
                ? "osgi" : entry.getBundle().getSymbolicName();
        Logger log = LoggerFactory.getLogger(name);
        if (level == LogLevel.ERROR) {
            log.error(entry.getMessage(), entry.getException());
        } else {
            log.warn(entry.getMessage(), entry.getException());
        }
    }
}
