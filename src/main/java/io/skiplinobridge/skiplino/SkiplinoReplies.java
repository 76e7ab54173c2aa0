package io.skiplinobridge.skiplino;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.skiplino.SkiplinoTransientException.Reason;

/**
 * The one place that turns Skiplino's answers into values or into the error model: 2xx with the
 * expected JSON is a value; 401 authentication, 422 validation, other 4xx and 3xx permanent; 408, 429,
 * 5xx and unreadable 2xx transient.
 */
final class SkiplinoReplies {

    private static final int MAX_DETAIL = 200;

    private final ObjectMapper mapper;
    private final Clock clock;

    SkiplinoReplies(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    byte[] write(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    JavaType response(Class<?> data) {
        return mapper.getTypeFactory().constructParametricType(SkiplinoResponse.class, data);
    }

    JavaType listResponse(Class<?> element) {
        JavaType list = mapper.getTypeFactory().constructCollectionType(List.class, element);
        return mapper.getTypeFactory().constructParametricType(SkiplinoResponse.class, list);
    }

    JavaType page(Class<?> element) {
        return mapper.getTypeFactory().constructParametricType(SkiplinoPage.class, element);
    }

    /**
     * The parsed body of a 2xx answer, or the exception for anything else.
     *
     * @param dataRequired whether a null {@code data} makes the answer unusable (everything but delete)
     */
    <T> T read(SkiplinoOperation operation, HttpReply reply, JavaType type, boolean dataRequired) {
        if (reply.status() < 200 || reply.status() > 299) {
            throw failure(operation, reply);
        }
        T value;
        try {
            value = mapper.readValue(reply.body(), type);
        } catch (JacksonException e) {
            throw invalid(operation, reply, e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(operation, reply, e.getMessage());
        }
        if (value == null) {
            throw invalid(operation, reply, "no JSON object");
        }
        if (dataRequired && value instanceof SkiplinoResponse<?> response && response.data() == null) {
            throw invalid(operation, reply, "no data");
        }
        if (value instanceof SkiplinoPage<?> page && (page.data() == null || page.pagination() == null)) {
            throw invalid(operation, reply, page.data() == null ? "no data" : "no pagination");
        }
        return value;
    }

    SkiplinoException failure(SkiplinoOperation operation, HttpReply reply) {
        String name = operation.toString();
        int status = reply.status();
        SkiplinoErrorBody body = SkiplinoErrorBody.parse(reply.body(), mapper);
        String detail = "answered " + status + describe(body, reply);
        if (status == 429 || status == 408 || status >= 500) {
            Duration retryAfter = RetryAfter.parse(reply.retryAfter(), clock).orElse(null);
            Reason reason = status == 429 ? Reason.RATE_LIMITED : status == 408 ? Reason.TIMEOUT : Reason.SERVER_ERROR;
            return new SkiplinoTransientException(name, status, reason, retryAfter, body.message(), detail, null);
        }
        if (status == 401) {
            return new SkiplinoAuthenticationException(name, body.message(), body.error(), detail);
        }
        if (status == 422) {
            return new SkiplinoValidationException(name, body.message(), body.error(), body.fieldErrors(), detail);
        }
        return new SkiplinoPermanentException(name, status, body.message(), body.error(), detail);
    }

    private static String describe(SkiplinoErrorBody body, HttpReply reply) {
        String summary = body.summary();
        if (!summary.isEmpty()) {
            return ": " + summary;
        }
        return reply.body().length == 0 ? " with no body" : " with a body that is not Skiplino's error envelope ("
                + contentType(reply) + ", " + reply.body().length + " bytes)";
    }

    private static SkiplinoTransientException invalid(SkiplinoOperation operation, HttpReply reply, String problem) {
        String detail = "answered " + reply.status() + " with a body that is not the expected JSON ("
                + contentType(reply) + ", " + reply.body().length + " bytes): " + cap(problem);
        return new SkiplinoTransientException(operation.toString(), reply.status(), Reason.INVALID_RESPONSE, null,
                null, detail, null);
    }

    private static String contentType(HttpReply reply) {
        return reply.contentType() == null ? "no content type" : reply.contentType();
    }

    private static String cap(String text) {
        if (text == null) {
            return "unreadable";
        }
        String line = text.replace('\n', ' ').replace('\r', ' ');
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
    }
}
