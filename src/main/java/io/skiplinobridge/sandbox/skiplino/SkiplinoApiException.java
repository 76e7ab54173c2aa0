package io.skiplinobridge.sandbox.skiplino;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A Skiplino-style error answer. The factories fix the status and envelope for each kind of
 * failure, so every endpoint reports the same kind of failure the same way.
 */
final class SkiplinoApiException extends RuntimeException {

    static final String DOES_NOT_EXIST = "This value does not exist.";
    static final String ALREADY_TAKEN = "This value is already taken.";

    private final HttpStatus status;
    private final transient SkiplinoEnvelopes.Error body;

    private SkiplinoApiException(HttpStatus status, String message, Object error) {
        super(message, null, false, false);
        this.status = status;
        this.body = new SkiplinoEnvelopes.Error(message, error);
    }

    /** 422 with {@code error} keyed by field, the documented {@code ValidationErrorEnvelope} usage. */
    static SkiplinoApiException invalid(Map<String, String> fieldErrors) {
        return new SkiplinoApiException(HttpStatus.UNPROCESSABLE_ENTITY, "The given data was invalid.",
                new LinkedHashMap<>(fieldErrors));
    }

    static SkiplinoApiException invalid(String field, String message) {
        return invalid(Map.of(field, message));
    }

    /** 400 with a localised reason in {@code error}: a business rule failed (e.g. a closed branch). */
    static SkiplinoApiException businessRule(String localisedReason) {
        return new SkiplinoApiException(HttpStatus.BAD_REQUEST, "The request could not be completed.", localisedReason);
    }

    static SkiplinoApiException unauthorized(String reason) {
        return new SkiplinoApiException(HttpStatus.UNAUTHORIZED, "Unauthorized.", reason);
    }

    static SkiplinoApiException conflict(String reason) {
        return new SkiplinoApiException(HttpStatus.CONFLICT, "Conflict.", reason);
    }

    static SkiplinoApiException notFound(String messageText, String error) {
        return new SkiplinoApiException(HttpStatus.NOT_FOUND, messageText, error);
    }

    /** An error answer of any status, for rejections set through the control API. */
    static SkiplinoApiException of(HttpStatus status, String field, String message) {
        if (status == HttpStatus.UNPROCESSABLE_ENTITY) {
            return invalid(field == null ? "externalId" : field, message);
        }
        return new SkiplinoApiException(status, status.getReasonPhrase() + ".", message);
    }

    static SkiplinoEnvelopes.Error serverError() {
        return new SkiplinoEnvelopes.Error("Server Error.", null);
    }

    HttpStatus status() {
        return status;
    }

    SkiplinoEnvelopes.Error body() {
        return body;
    }
}
