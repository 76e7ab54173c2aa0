package io.skiplinobridge.skiplino;

/**
 * Skiplino refused the request (a 4xx other than 429, or an unexpected 3xx): sending the same request
 * again will fail the same way. The change is parked with this reason (DESIGN rule 4).
 */
public non-sealed class SkiplinoPermanentException extends SkiplinoException {

    private final String error;

    SkiplinoPermanentException(String operation, int status, String skiplinoMessage, String error, String detail) {
        super(operation, status, skiplinoMessage, detail, null);
        this.error = error;
    }

    @Override
    public final boolean isTransient() {
        return false;
    }

    /**
     * The {@code error} of Skiplino's envelope when it was a string (e.g. 404 {@code "Ticket not found."},
     * a localised business-rule reason on 400), otherwise null.
     */
    public String error() {
        return error;
    }

    /** 404: e.g. a customer that vanished between lookup and update, or an unknown ticket. */
    public boolean isNotFound() {
        return status() == 404;
    }

    /** 409: e.g. cancelling a ticket that is no longer waiting or upcoming (already cancelled included). */
    public boolean isConflict() {
        return status() == 409;
    }
}
