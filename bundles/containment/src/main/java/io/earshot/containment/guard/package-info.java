/**
 * What calls that would end the runtime become in plugin and script classes. Woven code alone
 * calls it (the weaving hook adds the import); it is not an API for plugins.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.earshot.containment.guard;
