package io.earshot.dashboard.internal;

import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import io.earshot.api.Dashboard;
import io.earshot.api.Handler;

/**
 * The {@link Dashboard} one bundle sees (bundle scope): the handlers it creates are its own and
 * go when it stops, when the framework releases this instance.
 */
@Component(scope = ServiceScope.BUNDLE)
public final class BundleDashboard implements Dashboard {

    private final Handlers handlers;
    private final String owner;
    private final long ownerBundleId;

    @Activate
    public BundleDashboard(@Reference Handlers handlers, ComponentContext context) {
        this.handlers = handlers;
        Bundle bundle = context.getUsingBundle();
        this.owner = bundle == null ? "unknown" : bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
        this.ownerBundleId = bundle == null ? -1 : bundle.getBundleId();
    }

    @Override
    public Handler handler(String name, String type, Map<String, ?> params) {
        return handlers.create(this, ownerBundleId, owner, name, type, params);
    }

    @Deactivate
    void deactivate() {
        handlers.removeOwnedBy(this);
    }
}
