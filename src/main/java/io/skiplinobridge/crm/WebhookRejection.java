package io.skiplinobridge.crm;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * Why {@code POST /api/crm/events} refused a request. Answered as RFC 9457 problem+json; nothing of
 * the request is stored. Carries no stack trace: a rejection is an answer, not a fault.
 */
final class WebhookRejection extends RuntimeException {

    private final Reason reason;
    private final List<FieldProblem> errors;

    WebhookRejection(Reason reason, String detail) {
        this(reason, detail, List.of());
    }

    WebhookRejection(Reason reason, String detail, List<FieldProblem> errors) {
        super(detail, null, false, false);
        this.reason = reason;
        this.errors = List.copyOf(errors);
    }

    Reason reason() {
        return reason;
    }

    List<FieldProblem> errors() {
        return errors;
    }

    /** One invalid value: an RFC 6901 JSON pointer into the request body and what is wrong with it. */
    record FieldProblem(String pointer, String detail) {
    }

    /** Each reason is a value of the {@code reason} member of the problem and of the rejection metric's tag. */
    enum Reason {
        PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large"),
        UNREADABLE_BODY(HttpStatus.BAD_REQUEST, "unreadable-body"),
        NO_SECRET_CONFIGURED(HttpStatus.UNAUTHORIZED, "no-secret-configured"),
        MISSING_SIGNATURE(HttpStatus.UNAUTHORIZED, "missing-signature"),
        INVALID_TIMESTAMP(HttpStatus.UNAUTHORIZED, "invalid-timestamp"),
        STALE_TIMESTAMP(HttpStatus.UNAUTHORIZED, "stale-timestamp"),
        INVALID_SIGNATURE(HttpStatus.UNAUTHORIZED, "invalid-signature"),
        UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type"),
        INVALID_UTF8(HttpStatus.BAD_REQUEST, "invalid-utf8"),
        MALFORMED_JSON(HttpStatus.BAD_REQUEST, "malformed-json"),
        LIMIT_EXCEEDED(HttpStatus.BAD_REQUEST, "limit-exceeded"),
        INVALID_EVENTS(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-events"),
        STORE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable");

        private final HttpStatus status;
        private final String tag;

        Reason(HttpStatus status, String tag) {
            this.status = status;
            this.tag = tag;
        }

        HttpStatus status() {
            return status;
        }

        String tag() {
            return tag;
        }
    }
}
