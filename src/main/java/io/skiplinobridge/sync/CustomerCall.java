package io.skiplinobridge.sync;

import java.time.Duration;

/**
 * What one Skiplino customer call came to, in the terms the sync engine decides on. The adapter to
 * the Skiplino client translates its error model into these.
 */
sealed interface CustomerCall {

    /** The call succeeded; {@code skiplinoId} is the customer's {@code _id} (null after a delete). */
    record Done(String skiplinoId) implements CustomerCall {
    }

    /** Create refused: the externalId is already taken (422). */
    record AlreadyExists(String message) implements CustomerCall {
    }

    /** Update or delete refused: no such customer (422 "does not exist" or 404). */
    record NotFound(String message) implements CustomerCall {
    }

    /** Worth retrying later: network error, timeout, 5xx, 429 (with the server's wait, if any). */
    record Transient(Integer status, String reason, Duration retryAfter) implements CustomerCall {
    }

    /** The circuit breaker is open: nothing was sent; retrying now would be pointless. */
    record NotPermitted(String reason) implements CustomerCall {
    }

    /** Skiplino refused the API key (401): a configuration problem, not this customer's. */
    record AuthFailed(String reason) implements CustomerCall {
    }

    /** Skiplino rejected this customer's data (4xx other than the above): retrying won't help. */
    record Rejected(int status, String reason) implements CustomerCall {
    }
}
