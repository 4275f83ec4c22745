package io.earshot.ingest.browser.internal;

/** Why a talk is refused or closed: the WebSocket close code and the reason, in words for a person. */
final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;
    static final int UNSUPPORTED_DATA = 1003;
    static final int BAD_PAYLOAD = 1007;
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;
    static final int SERVER_ERROR = 1011;
    static final int TRY_LATER = 1013;

    final int code;

    Refusal(int code, String reason) {
        super(reason);
        this.code = code;
    }
}
