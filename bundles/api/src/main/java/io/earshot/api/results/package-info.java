/**
 * What plugins compute, on its way out of the runtime (to an MQTT broker, say): every handler's
 * data as the dashboard's browsers get it, and events plugins publish themselves. Versioned on
 * its own, apart from the plugin SPI in {@code io.earshot.api}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.earshot.api.results;
