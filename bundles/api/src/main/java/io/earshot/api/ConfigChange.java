package io.earshot.api;

/**
 * The answer to {@link StreamControl#change}: the config the stream runs with afterwards, and
 * the reason when the wanted one was refused.
 */
public record ConfigChange(boolean applied, StreamConfig config, String error) {

    public static ConfigChange applied(StreamConfig config) {
        return new ConfigChange(true, config, null);
    }

    public static ConfigChange refused(StreamConfig kept, String reason) {
        return new ConfigChange(false, kept, reason);
    }
}
