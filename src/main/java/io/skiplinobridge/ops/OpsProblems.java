package io.skiplinobridge.ops;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 9457 problems of the ops API. Bad input names what is wrong in {@code errors}: each entry a
 * {@code parameter} (query or path) or a JSON {@code pointer} into the body, and a {@code detail}.
 */
final class OpsProblems {

    private OpsProblems() {
    }

    static ErrorResponseException badParameter(String parameter, String detail) {
        return badRequest(parameter + " " + detail + ".", List.of(Map.of("parameter", parameter, "detail", detail)));
    }

    static ErrorResponseException badField(String pointer, String detail) {
        return badRequest(pointer + " " + detail + "; nothing was changed.", List.of(Map.of("pointer", pointer, "detail", detail)));
    }

    static ErrorResponseException badRequest(String detail, List<Map<String, String>> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    static ErrorResponseException notFound(String detail) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail), null);
    }

    static ErrorResponseException conflict(String detail) {
        return new ErrorResponseException(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail), null);
    }

    static ErrorResponseException unprocessable(String detail) {
        return new ErrorResponseException(HttpStatus.UNPROCESSABLE_ENTITY,
                ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, detail), null);
    }
}
