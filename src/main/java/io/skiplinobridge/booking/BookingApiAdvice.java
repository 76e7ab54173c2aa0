package io.skiplinobridge.booking;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The booking API's answer when the bridge's own store is down: 503, nothing was sent to Skiplino or changed. */
@RestControllerAdvice(basePackageClasses = BookingApiAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class BookingApiAdvice {

    private static final Logger log = LoggerFactory.getLogger(BookingApiAdvice.class);

    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ResponseEntity<ProblemDetail> storeDown(RuntimeException e) {
        Throwable cause = e instanceof DataAccessException d ? d.getMostSpecificCause() : e;
        log.warn("Booking API: the store cannot be reached ({}: {})", cause.getClass().getSimpleName(), cause.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The bridge's database cannot be reached, so it cannot act for the customer now. Retry later.");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
    }
}
