package io.skiplinobridge.skiplino;

/**
 * A Skiplino call that did not succeed. {@link #isTransient()} is the one question every caller
 * asks: transient failures are worth retrying later, permanent ones are not (DESIGN rule 4).
 *
 * <p>Messages name the operation by its path template ({@code GET /tickets/{id}}), the HTTP status and
 * Skiplino's own message; they never carry the API key.
 */
public abstract sealed class SkiplinoException extends RuntimeException
        permits SkiplinoTransientException, SkiplinoPermanentException {

    private final String operation;
    private final int status;
    private final String skiplinoMessage;

    SkiplinoException(String operation, int status, String skiplinoMessage, String detail, Throwable cause) {
        super("Skiplino " + operation + " " + detail, cause);
        this.operation = operation;
        this.status = status;
        this.skiplinoMessage = skiplinoMessage;
    }

    /** Whether retrying later may succeed. */
    public abstract boolean isTransient();

    /** The operation as method and path template, e.g. {@code PUT /customers/update}. */
    public String operation() {
        return operation;
    }

    /** The HTTP status Skiplino answered with, or 0 when no answer arrived (network error, timeout, not sent). */
    public int status() {
        return status;
    }

    /** The {@code message} of Skiplino's error envelope, or null when there was none. */
    public String skiplinoMessage() {
        return skiplinoMessage;
    }
}
