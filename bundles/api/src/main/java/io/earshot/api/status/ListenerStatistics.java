package io.earshot.api.status;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Offered by the hub: the listeners it feeds, each with its counters. */
@ProviderType
public interface ListenerStatistics {

    /** A snapshot, in the order the listeners came. */
    List<ListenerStats> listeners();
}
