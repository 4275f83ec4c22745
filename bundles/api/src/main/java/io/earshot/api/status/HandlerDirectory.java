package io.earshot.api.status;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Offered by the dashboard: the handlers plugins have created. */
@ProviderType
public interface HandlerDirectory {

    /** A snapshot. */
    List<HandlerInfo> handlers();
}
