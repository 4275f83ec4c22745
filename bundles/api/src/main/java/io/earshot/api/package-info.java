/**
 * Earshot's contracts: what a source, a listener (analysis plugin) and the stream control
 * promise each other, and the dashboard plugins draw on. Records and interfaces only; no
 * dependencies beyond the JDK.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.7.0")
package io.earshot.api;
