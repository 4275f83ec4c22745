package io.earshot.http.json;

/**
 * A request that cannot be done, with the HTTP status it deserves and a message that says what
 * was wrong and what is allowed; {@link JsonAnswers#refuse} answers it.
 */
public final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;
    private final int status;

    public Refusal(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
