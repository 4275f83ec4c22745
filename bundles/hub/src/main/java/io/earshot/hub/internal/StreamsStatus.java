package io.earshot.hub.internal;


import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.StatusContributor;

/**
 * {@code /api/status} {@code streams}: every stream by id (main first), each as {@code stream}
 * says the main one; and each stream configuration the hub refused, under its pid, with the reason.
 */
@Component(service = StatusContributor.class)
public final class StreamsStatus implements StatusContributor {

    private final HubImpl hub;

    @Activate
    public StreamsStatus(@Reference HubImpl hub) {
        this.hub = hub;
    }

    @Override
    public String statusKey() {
        return "streams";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = hub.streamsStatus();
        // a refused configuration under its pid, which no stream id can be (ids have no '.' or '~')
        for (StreamDefinition definition : hub.definitions()) {
            if (definition.problem() != null) {
                status.put(definition.pid(), Map.of("id", definition.id(), "refused", definition.problem()));
            }
        }
        return status;
    }
}
