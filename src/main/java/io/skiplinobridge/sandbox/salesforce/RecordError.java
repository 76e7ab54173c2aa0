package io.skiplinobridge.sandbox.salesforce;

import java.util.List;

/** Why one record of a DML operation failed, in Salesforce's terms ({@code statusCode}, message, fields). */
record RecordError(String statusCode, String message, List<String> fields) {

    RecordError {
        fields = List.copyOf(fields);
    }

    static RecordError of(String statusCode, String message, String... fields) {
        return new RecordError(statusCode, message, List.of(fields));
    }

    SalesforceApiException toApiException() {
        return new SalesforceApiException(400, statusCode, message, fields);
    }
}
