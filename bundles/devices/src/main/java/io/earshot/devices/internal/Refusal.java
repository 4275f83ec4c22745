package io.earshot.devices.internal;

/** A request refused with a reason a person can act on, and the HTTP status it maps to. */
final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;
    final int status;

    Refusal(int status, String message) {
        super(message);
        this.status = status;
    }
}
