package io.earshot.api.status;

/**
 * One listener the hub feeds, as its slot counts it.
 *
 * @param name         the listener's name (its {@code earshot.listener.name}), also its thread's
 *                     name after {@link #THREAD_PREFIX}
 * @param bundleId     the bundle that registered the listener
 * @param delivered    buffers handed to {@code onBuffer}
 * @param dropped      buffers lost because its queue was full (it was slower than the stream)
 * @param failed       callbacks that threw
 * @param queued       buffers waiting now
 * @param queueCapacity the most that may wait
 * @param lastSequence the sequence number of the last buffer delivered, or -1
 * @param threadState  the state of its thread ({@link Thread.State} by name)
 * @param cpuMillis    CPU time its thread has used, or null where the JVM does not measure it
 */
public record ListenerStats(String name, long bundleId, long delivered, long dropped, long failed, int queued,
        int queueCapacity, long lastSequence, String threadState, Long cpuMillis) {

    /** Each listener runs on a thread of its own, named this and the listener's name. */
    public static final String THREAD_PREFIX = "earshot-listener-";
}
