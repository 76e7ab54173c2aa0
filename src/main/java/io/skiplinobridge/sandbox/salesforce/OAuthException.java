package io.skiplinobridge.sandbox.salesforce;

/** A refused OAuth request, answered 400 {@code {"error": ..., "error_description": ...}} like Salesforce. */
class OAuthException extends RuntimeException {

    private final String error;

    OAuthException(String error, String description) {
        super(description);
        this.error = error;
    }

    static OAuthException invalidGrant(String description) {
        return new OAuthException("invalid_grant", description);
    }

    String error() {
        return error;
    }
}
