package io.skiplinobridge.booking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An RFC 9457 answer of the booking API. Bad input names what is wrong in {@code errors}: each entry a
 * {@code parameter} (path, query or header) or a JSON {@code pointer} into the body, and a {@code detail}.
 * Skiplino's refusals carry Skiplino's own words under {@code skiplino}.
 */
final class BookingProblem extends ErrorResponseException {

    private final HttpHeaders headers = new HttpHeaders();

    private BookingProblem(HttpStatus status, ProblemDetail body) {
        super(status, body, null);
    }

    static BookingProblem of(HttpStatus status, String detail) {
        return new BookingProblem(status, ProblemDetail.forStatusAndDetail(status, detail));
    }

    /** 400 or 422 naming every bad field; nothing was sent to Skiplino. */
    static BookingProblem invalid(HttpStatus status, List<FieldError> errors) {
        StringBuilder detail = new StringBuilder();
        for (FieldError error : errors) {
            detail.append(detail.length() == 0 ? "" : "; ").append(error.name().isEmpty() ? "the body" : error.name()).append(' ').append(error.detail());
        }
        detail.append(". Nothing was sent to Skiplino.");
        return of(status, detail.toString()).errors(errors);
    }

    static BookingProblem badParameter(String parameter, String detail) {
        return invalid(HttpStatus.BAD_REQUEST, List.of(FieldError.parameter(parameter, detail)));
    }

    BookingProblem errors(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            List<Map<String, String>> list = new ArrayList<>();
            errors.forEach(error -> list.add(error.toMap()));
            getBody().setProperty("errors", list);
        }
        return this;
    }

    /** Adds a sentence to the detail. */
    BookingProblem addDetail(String sentence) {
        getBody().setDetail(getBody().getDetail() + " " + sentence);
        return this;
    }

    BookingProblem title(String title) {
        getBody().setTitle(title);
        return this;
    }

    BookingProblem property(String name, Object value) {
        getBody().setProperty(name, value);
        return this;
    }

    BookingProblem retryAfter(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        getBody().setProperty("retryAfterSeconds", seconds);
        return this;
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    /**
     * One bad input: a {@code parameter} (path, query or header name) or a JSON {@code pointer} into the
     * request body, and what is wrong with it.
     */
    record FieldError(String kind, String name, String detail) {

        static FieldError parameter(String name, String detail) {
            return new FieldError("parameter", name, detail);
        }

        static FieldError pointer(String pointer, String detail) {
            return new FieldError("pointer", pointer, detail);
        }

        Map<String, String> toMap() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put(kind, name);
            map.put("detail", detail);
            return map;
        }
    }
}
