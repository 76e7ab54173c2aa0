package io.skiplinobridge.sandbox.skiplino;

import io.skiplinobridge.config.ConditionalOnSandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the sandbox API's failures in Skiplino's envelopes rather than the bridge's problem+json,
 * so a client meets the same shapes it would meet in production.
 */
@RestControllerAdvice(assignableTypes = SkiplinoSandboxApiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnSandbox
class SkiplinoApiExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SkiplinoApiExceptionHandler.class);

    @ExceptionHandler(SkiplinoApiException.class)
    ResponseEntity<SkiplinoEnvelopes.Error> skiplinoError(SkiplinoApiException e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<SkiplinoEnvelopes.Error> unexpected(Exception e) {
        LOG.error("Skiplino sandbox failed to answer a request", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                .body(SkiplinoApiException.serverError());
    }
}
