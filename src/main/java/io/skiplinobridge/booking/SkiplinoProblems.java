package io.skiplinobridge.booking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.skiplinobridge.booking.BookingProblem.FieldError;
import io.skiplinobridge.skiplino.SkiplinoAuthenticationException;
import io.skiplinobridge.skiplino.SkiplinoException;
import io.skiplinobridge.skiplino.SkiplinoPermanentException;
import io.skiplinobridge.skiplino.SkiplinoTransientException;
import io.skiplinobridge.skiplino.SkiplinoValidationException;

import org.springframework.http.HttpStatus;

/**
 * Turns a failed Skiplino call into the booking API's answer, keeping Skiplino's reason:
 * <ul>
 *   <li>422 whose "does not exist" is on the addressed resource (ticket, service, branch): 404;</li>
 *   <li>other 422: 422, with Skiplino's fields renamed to the caller's (a path parameter or a JSON pointer);</li>
 *   <li>404: 404; 409: 409; 400 (a business rule, e.g. branch closed, slot fully booked): 409;</li>
 *   <li>Skiplino refusing the bridge's own key (401/403) or any other 4xx/3xx: 502, the caller can do nothing;</li>
 *   <li>an unreadable answer: 502; unavailable, timed out, rate-limited or held back by the circuit
 *       breaker: 503 with {@code Retry-After}.</li>
 * </ul>
 */
final class SkiplinoProblems {

    private SkiplinoProblems() {
    }

    /**
     * What a call was about, to word and place Skiplino's refusals.
     *
     * @param action        e.g. {@code "book a ticket"}, used in the detail
     * @param fields        Skiplino field name to the caller's name for it
     * @param resourceField the Skiplino field naming the addressed resource: its "does not exist" is a 404
     * @param resource      how that resource is described in the 404, e.g. {@code "Ticket k7m2p9x4q1"}
     */
    record Call(String action, Map<String, FieldError> fields, String resourceField, String resource) {

        static Call of(String action) {
            return new Call(action, Map.of(), null, null);
        }

        Call field(String skiplinoField, FieldError callerField) {
            Map<String, FieldError> more = new LinkedHashMap<>(fields);
            more.put(skiplinoField, callerField);
            return new Call(action, more, resourceField, resource);
        }

        Call resource(String skiplinoField, String description) {
            return new Call(action, fields, skiplinoField, description);
        }
    }

    static BookingProblem of(SkiplinoException failure, Call call, Duration defaultRetryAfter) {
        if (failure instanceof SkiplinoTransientException transientFailure) {
            return transientProblem(transientFailure, call, defaultRetryAfter);
        }
        SkiplinoPermanentException refused = (SkiplinoPermanentException) failure;
        Map<String, Object> skiplino = skiplino(refused);
        if (refused instanceof SkiplinoAuthenticationException || refused.status() == 403) {
            return BookingProblem.of(HttpStatus.BAD_GATEWAY, "Skiplino refused the bridge's API key (HTTP "
                    + refused.status() + "), so the bridge could not " + call.action()
                    + ". An operator must check SKIPLINO_API_KEY; nothing was changed.")
                    .title("Skiplino refused the bridge").property("skiplino", skiplino);
        }
        String reason = reason(refused);
        if (refused instanceof SkiplinoValidationException invalid) {
            if (call.resourceField() != null && invalid.isDoesNotExist(call.resourceField())) {
                return BookingProblem.of(HttpStatus.NOT_FOUND, call.resource() + " does not exist in Skiplino.")
                        .property("skiplino", skiplino);
            }
            return BookingProblem.of(HttpStatus.UNPROCESSABLE_ENTITY,
                    "Skiplino refused to " + call.action() + ": " + reason)
                    .errors(fieldErrors(invalid, call)).property("skiplino", skiplino);
        }
        int status = refused.status();
        if (status == 404) {
            String what = call.resource() == null ? "Skiplino answered 404 when asked to " + call.action()
                    : call.resource() + " was not found in Skiplino";
            return BookingProblem.of(HttpStatus.NOT_FOUND, what + ": " + reason).property("skiplino", skiplino);
        }
        if (status == 409 || status == 400) {
            return BookingProblem.of(HttpStatus.CONFLICT, "Skiplino refused to " + call.action() + ": " + reason)
                    .title("Refused by Skiplino").property("skiplino", skiplino);
        }
        return BookingProblem.of(HttpStatus.BAD_GATEWAY, "Skiplino answered HTTP " + status + " when asked to "
                + call.action() + " (" + reason + "); the bridge cannot tell what that means.")
                .title("Unexpected answer from Skiplino").property("skiplino", skiplino);
    }

    private static BookingProblem transientProblem(SkiplinoTransientException failure, Call call,
            Duration defaultRetryAfter) {
        Map<String, Object> skiplino = new LinkedHashMap<>();
        if (failure.status() > 0) {
            skiplino.put("status", failure.status());
        }
        skiplino.put("failure", failure.reason().name());
        if (failure.reason() == SkiplinoTransientException.Reason.INVALID_RESPONSE) {
            return BookingProblem.of(HttpStatus.BAD_GATEWAY, "Skiplino answered the request to " + call.action()
                    + " with something that is not the JSON it documents.")
                    .title("Unreadable answer from Skiplino").property("skiplino", skiplino);
        }
        String why = switch (failure.reason()) {
            case RATE_LIMITED -> "Skiplino is rate-limiting the bridge";
            case CIRCUIT_OPEN -> "Skiplino has been failing, so the bridge is holding calls back for a while";
            case BUSY -> "the bridge's Skiplino request budget is exhausted";
            case TIMEOUT -> "Skiplino did not answer in time";
            case IO_ERROR -> "Skiplino could not be reached";
            default -> "Skiplino is unavailable";
        };
        return BookingProblem.of(HttpStatus.SERVICE_UNAVAILABLE, "Could not " + call.action() + ": " + why + ".")
                .title("Skiplino unavailable").property("skiplino", skiplino)
                .retryAfter(failure.retryAfter().orElse(defaultRetryAfter));
    }

    /** Skiplino's own words: the string {@code error}, else the per-field messages, else its {@code message}. */
    static String reason(SkiplinoPermanentException refused) {
        if (refused.error() != null && !refused.error().isBlank()) {
            return refused.error();
        }
        if (refused instanceof SkiplinoValidationException invalid && !invalid.fieldErrors().isEmpty()) {
            List<String> parts = new ArrayList<>();
            invalid.fieldErrors().forEach((field, message) -> parts.add(field + ": " + message));
            return String.join("; ", parts);
        }
        if (refused.skiplinoMessage() != null && !refused.skiplinoMessage().isBlank()) {
            return refused.skiplinoMessage();
        }
        return "no reason given (HTTP " + refused.status() + ")";
    }

    private static Map<String, Object> skiplino(SkiplinoPermanentException refused) {
        Map<String, Object> skiplino = new LinkedHashMap<>();
        skiplino.put("status", refused.status());
        if (refused.skiplinoMessage() != null) {
            skiplino.put("message", refused.skiplinoMessage());
        }
        if (refused.error() != null) {
            skiplino.put("reason", refused.error());
        }
        if (refused instanceof SkiplinoValidationException invalid && !invalid.fieldErrors().isEmpty()) {
            skiplino.put("fields", invalid.fieldErrors());
        }
        return skiplino;
    }

    private static List<FieldError> fieldErrors(SkiplinoValidationException invalid, Call call) {
        List<FieldError> errors = new ArrayList<>();
        invalid.fieldErrors().forEach((field, message) -> {
            FieldError callerField = call.fields().get(field);
            errors.add(callerField == null ? new FieldError("skiplinoField", field, message)
                    : new FieldError(callerField.kind(), callerField.name(), message));
        });
        return errors;
    }
}
