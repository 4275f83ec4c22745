/**
 * What the runtime tells about its own upkeep: how it contains plugin and script bundles that
 * misbehave. For the runtime's bundles and tools, not for plugins.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.earshot.api.runtime;
