/** Copied into each bundle that serves JSON over HTTP (bnd -conditionalpackage); never exported. */
package io.earshot.http.json;
