package io.earshot.hub.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A stream defined by a factory configuration of {@code io.earshot.stream} (a file
 * {@code conf/io.earshot.stream-ID.cfg}, or one made in the Web Console, which shows the
 * stream's keys from {@link StreamDefinitionConfig}).
 */
@Component(configurationPid = StreamDefinition.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = StreamDefinitionConfig.class, factory = true)
public final class StreamFactoryConfiguration {

    private final StreamDefinition definition;

    @Activate
    public StreamFactoryConfiguration(@Reference HubImpl hub, Map<String, Object> properties) {
        definition = new StreamDefinition(hub, String.valueOf(properties.get("service.pid")), properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        definition.apply(properties);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        definition.remove();
    }
}
