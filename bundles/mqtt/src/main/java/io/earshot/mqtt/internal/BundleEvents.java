package io.earshot.mqtt.internal;

import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import io.earshot.api.results.EventPublisher;

/** The {@link EventPublisher} one plugin sees (bundle scope): its events go under its own name. */
@Component(scope = ServiceScope.BUNDLE)
public final class BundleEvents implements EventPublisher {

    private final MqttBridge bridge;
    private final String plugin;

    @Activate
    public BundleEvents(@Reference MqttBridge bridge, ComponentContext context) {
        this.bridge = bridge;
        Bundle bundle = context.getUsingBundle();
        this.plugin = bundle == null ? "unknown" : bundle.getSymbolicName();
    }

    @Override
    public boolean publish(String topic, Object data) {
        return bridge.event(plugin, topic, data);
    }
}
