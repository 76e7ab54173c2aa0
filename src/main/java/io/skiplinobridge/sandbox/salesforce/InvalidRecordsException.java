package io.skiplinobridge.sandbox.salesforce;

import java.util.Map;

/** Records of a control call that cannot be stored, by their index in the request; nothing was stored. */
class InvalidRecordsException extends RuntimeException {

    private final Map<Integer, RecordError> errors;

    InvalidRecordsException(Map<Integer, RecordError> errors) {
        super(errors.size() + " invalid record(s)");
        this.errors = Map.copyOf(errors);
    }

    Map<Integer, RecordError> errors() {
        return errors;
    }
}
