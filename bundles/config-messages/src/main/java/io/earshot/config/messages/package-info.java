/** Copied into each bundle that takes config messages (bnd -conditionalpackage); never exported. */
package io.earshot.config.messages;
