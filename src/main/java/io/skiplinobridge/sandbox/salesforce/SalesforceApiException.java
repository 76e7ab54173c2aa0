package io.skiplinobridge.sandbox.salesforce;

import java.util.List;

/**
 * An error the sandbox answers the way Salesforce's REST API does:
 * {@code [{"message": ..., "errorCode": ..., "fields": [...]}]} with an HTTP status.
 */
class SalesforceApiException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final List<String> fields;

    SalesforceApiException(int status, String errorCode, String message) {
        this(status, errorCode, message, List.of());
    }

    SalesforceApiException(int status, String errorCode, String message, List<String> fields) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.fields = List.copyOf(fields);
    }

    static SalesforceApiException malformedQuery(String message) {
        return new SalesforceApiException(400, "MALFORMED_QUERY", message);
    }

    static SalesforceApiException notFound() {
        return new SalesforceApiException(404, "NOT_FOUND", "The requested resource does not exist");
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    List<String> fields() {
        return fields;
    }
}
