package io.skiplinobridge.ops;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Turns the ops API's own failures into problem+json that names the parameter, or says the store is down. */
@RestControllerAdvice(basePackageClasses = OpsApiAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpsApiAdvice {

    private static final Logger log = LoggerFactory.getLogger(OpsApiAdvice.class);

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : describe(e.getRequiredType());
        return OpsProblems.badRequest(e.getName() + " must be " + expected + ".",
                List.of(Map.of("parameter", e.getName(), "detail", "must be " + expected))).getBody();
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ProblemDetail missing(MissingServletRequestParameterException e) {
        return OpsProblems.badParameter(e.getParameterName(), "is required").getBody();
    }

    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ProblemDetail storeDown(RuntimeException e) {
        Throwable cause = e instanceof DataAccessException d ? d.getMostSpecificCause() : e;
        log.warn("Ops API: the store cannot be reached ({}: {})", cause.getClass().getSimpleName(), cause.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The bridge's database cannot be reached; nothing was changed. Retry later.");
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        return "a " + type.getSimpleName();
    }
}
