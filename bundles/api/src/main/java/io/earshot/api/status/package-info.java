/**
 * What the runtime's parts tell each other about their state, as typed records (DTO style):
 * the listeners the hub feeds, the handlers the dashboard holds. For the runtime's bundles and
 * tools; {@code /api/status} renders its JSON from them at the edge.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.earshot.api.status;
