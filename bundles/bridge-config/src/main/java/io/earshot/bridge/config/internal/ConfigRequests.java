package io.earshot.bridge.config.internal;

import java.util.concurrent.CompletionStage;

import io.earshot.api.AccessControl;
import io.earshot.api.StreamControl;
import io.earshot.config.messages.ConfigMessages;

/**
 * Turns one config message into an answer: easy-dsp's JSON, checked by the rules every config
 * entry shares ({@link ConfigMessages}), and the access token. A refusal is answered at once; an
 * accepted change when the stream has reopened with it (the hub merges changes that come faster
 * than it reopens, so the answer carries the config applied to all of them).
 */
final class ConfigRequests {

    static final int MAX_MESSAGE_CHARS = ConfigMessages.MAX_MESSAGE_CHARS;

    private final StreamControl stream;
    private final AccessControl access;
    private final boolean tokenRequired;

    /**
     * @param tokenRequired false only for the classic port, whose easy-dsp clients send no token
     */
    ConfigRequests(StreamControl stream, AccessControl access, boolean tokenRequired) {
        this.stream = stream;
        this.access = access;
        this.tokenRequired = tokenRequired;
    }

    StreamControl stream() {
        return stream;
    }

    /**
     * The JSON answer to {@code message}, from a connection that did or did not present the
     * token; a message may carry it itself as {@code "token"} (easy-dsp clients cannot add it to
     * their connection).
     */
    CompletionStage<String> answer(String message, boolean connectedWithToken) {
        ConfigMessages.Checked checked = ConfigMessages.check(message, stream.current());
        boolean withToken = checked.token() != null ? access.permits(checked.token()) : connectedWithToken;
        // a message that is no JSON object is refused as such first, a change without the token before its values
        if (tokenRequired && !withToken && checked.object()) {
            return ConfigMessages.refused(stream, "changing the configuration needs the access token: connect with ?token=<token>"
                    + " or add \"token\" to the message (the token is printed when Earshot starts and kept in data/token)");
        }
        return ConfigMessages.answer(stream, checked);
    }
}
