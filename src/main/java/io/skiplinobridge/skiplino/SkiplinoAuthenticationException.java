package io.skiplinobridge.skiplino;

/**
 * 401: Skiplino refused the API key (missing, revoked, or a public key on a secret-only endpoint). A
 * configuration problem, never retried as if it were this one request's fault.
 */
public final class SkiplinoAuthenticationException extends SkiplinoPermanentException {

    SkiplinoAuthenticationException(String operation, String skiplinoMessage, String error, String detail) {
        super(operation, 401, skiplinoMessage, error, detail);
    }
}
