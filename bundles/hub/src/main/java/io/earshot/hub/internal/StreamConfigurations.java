package io.earshot.hub.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configurations that define streams, in either spelling of a file in conf/:
 * {@code io.earshot.stream-kitchen.cfg} (FileInstall's spelling of a factory configuration; also
 * what the Web Console makes, {@link StreamFactoryConfiguration}) and
 * {@code io.earshot.stream~kitchen.cfg} (the OSGi spelling of a named factory configuration, which
 * this FileInstall reads as a plain configuration of that pid). This listener takes the second:
 * each configuration whose pid is {@code io.earshot.stream~ID} without a factory pid.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class StreamConfigurations implements ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamConfigurations.class);
    private static final String PREFIX = StreamDefinition.FACTORY_PID + "~";

    private final HubImpl hub;
    private final ConfigurationAdmin configAdmin;
    /** By pid; guarded by this. */
    private final Map<String, StreamDefinition> definitions = new HashMap<>();

    @Activate
    public StreamConfigurations(@Reference HubImpl hub, @Reference ConfigurationAdmin configAdmin) {
        this.hub = hub;
        this.configAdmin = configAdmin;
        try {
            Configuration[] existing = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PREFIX + "*)");
            for (Configuration configuration : existing == null ? new Configuration[0] : existing) {
                take(configuration);
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Could not list the stream configurations", e);
        }
    }

    @Deactivate
    synchronized void deactivate() throws InterruptedException {
        for (StreamDefinition definition : definitions.values()) {
            definition.remove();
        }
        definitions.clear();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!event.getPid().startsWith(PREFIX) || !ours(event.getFactoryPid())) {
            return; // factory configurations of io.earshot.stream are StreamFactoryConfiguration's
        }
        try {
            if (event.getType() == ConfigurationEvent.CM_DELETED) {
                StreamDefinition gone;
                synchronized (this) {
                    gone = definitions.remove(event.getPid());
                }
                if (gone != null) gone.remove();
                return;
            }
            Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + event.getPid() + ")");
            if (found != null) {
                take(found[0]);
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Could not read the stream configuration {}", event.getPid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A plain configuration, or the factory configuration FileInstall makes of a name with a dash
     * ({@code io.earshot.stream~kitchen-a.cfg}: factory {@code io.earshot.stream~kitchen}, name
     * {@code a}, pid {@code io.earshot.stream~kitchen~a}), which is the stream {@code kitchen-a}.
     */
    private static boolean ours(String factoryPid) {
        return factoryPid == null || factoryPid.startsWith(PREFIX);
    }

    private synchronized void take(Configuration configuration) {
        if (!ours(configuration.getFactoryPid())) {
            return;
        }
        Dictionary<String, Object> dictionary = configuration.getProperties();
        if (dictionary == null) {
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        for (String key : Collections.list(dictionary.keys())) {
            properties.put(key, dictionary.get(key));
        }
        StreamDefinition known = definitions.get(configuration.getPid());
        if (known != null) {
            known.apply(properties);
        } else {
            definitions.put(configuration.getPid(), new StreamDefinition(hub, configuration.getPid(), properties));
        }
    }
}
