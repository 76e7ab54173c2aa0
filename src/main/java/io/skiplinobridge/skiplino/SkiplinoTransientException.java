package io.skiplinobridge.skiplino;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure worth retrying later: Skiplino was unreachable, slow, overloaded or answered something
 * unreadable, or the bridge itself held the call back (open circuit, no permit in time).
 */
public final class SkiplinoTransientException extends SkiplinoException {

    /** Why the call failed. */
    public enum Reason {
        /** 5xx from Skiplino. */
        SERVER_ERROR,
        /** 429 from Skiplino, or the bridge is pausing after one. */
        RATE_LIMITED,
        /** No answer within the connect or read timeout (or a 408). */
        TIMEOUT,
        /** Connection refused, reset or closed, DNS or TLS failure. */
        IO_ERROR,
        /** A 2xx whose body is not the JSON the endpoint documents (truncated, HTML, wrong shape). */
        INVALID_RESPONSE,
        /** The circuit breaker is open: nothing was sent. */
        CIRCUIT_OPEN,
        /** No concurrency slot or rate permit within the configured wait: nothing was sent. */
        BUSY
    }

    private final Reason reason;
    private final Duration retryAfter;

    SkiplinoTransientException(String operation, int status, Reason reason, Duration retryAfter,
            String skiplinoMessage, String detail, Throwable cause) {
        super(operation, status, skiplinoMessage, detail, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    static SkiplinoTransientException notSent(String operation, Reason reason, Duration retryAfter, String detail) {
        return new SkiplinoTransientException(operation, 0, reason, retryAfter, null, detail, null);
    }

    @Override
    public boolean isTransient() {
        return true;
    }

    public Reason reason() {
        return reason;
    }

    /** How long Skiplino (or the bridge's own pause after a 429) asks callers to wait, when known. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Whether the bridge held the request back (open circuit, no permit in time, pausing after a 429),
     * so Skiplino saw nothing.
     */
    public boolean notSent() {
        return reason == Reason.CIRCUIT_OPEN || reason == Reason.BUSY || (reason == Reason.RATE_LIMITED && status() == 0);
    }
}
