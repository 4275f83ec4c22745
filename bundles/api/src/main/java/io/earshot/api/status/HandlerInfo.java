package io.earshot.api.status;

/**
 * One handler (chart, plot, player) a plugin created on the dashboard.
 *
 * @param id            its id on {@code /ws/ui}
 * @param name          the name the plugin gave it
 * @param type          its type, e.g. {@code base:graph:line}
 * @param ownerBundleId the bundle that created it; it goes when that bundle stops
 * @param owner         that bundle, said for a person ({@code symbolic-name [id]})
 * @param sent          data and audio messages accepted
 * @param refused       data messages its type refused
 */
public record HandlerInfo(String id, String name, String type, long ownerBundleId, String owner, long sent, long refused) {
}
