package io.skiplinobridge.skiplino;

import org.apache.camel.component.http.HttpMethods;

/** The 13 endpoints of the Skiplino External API v1, named by method and path template. */
enum SkiplinoOperation {
    LIST_BRANCHES("GET", "/branches", CallPurpose.BOOKING),
    BRANCH_TREE("GET", "/branches/{branchId}/tree", CallPurpose.BOOKING),
    SLOTS("GET", "/services/{id}/slots", CallPurpose.BOOKING),
    BOOK_TICKET("POST", "/tickets/book", CallPurpose.BOOKING),
    FETCH_TICKET("GET", "/tickets/{id}", CallPurpose.TICKETS),
    CANCEL_TICKET("POST", "/tickets/{id}/cancel", CallPurpose.BOOKING),
    CHANGE_TICKET_TIME("POST", "/tickets/{id}/change-time", CallPurpose.BOOKING),
    CREATE_CUSTOMER("POST", "/customers/create", CallPurpose.SYNC),
    LIST_CUSTOMERS("GET", "/customers/getAll", CallPurpose.SYNC),
    GET_CUSTOMER("GET", "/customers/getOne", CallPurpose.SYNC),
    UPDATE_CUSTOMER("PUT", "/customers/update", CallPurpose.SYNC),
    DELETE_CUSTOMER("DELETE", "/customers/delete", CallPurpose.SYNC),
    CUSTOMER_TICKETS("GET", "/customers/tickets", CallPurpose.TICKETS);

    private final HttpMethods method;
    private final String template;
    private final CallPurpose defaultPurpose;

    SkiplinoOperation(String method, String template, CallPurpose defaultPurpose) {
        this.method = HttpMethods.valueOf(method);
        this.template = template;
        this.defaultPurpose = defaultPurpose;
    }

    String method() {
        return method.name();
    }

    /** As camel-http's enum: a String header would cost a type-converter lookup on every request. */
    HttpMethods httpMethod() {
        return method;
    }

    /** The path template: what metrics and messages show, never a raw id or customer data. */
    String template() {
        return template;
    }

    CallPurpose defaultPurpose() {
        return defaultPurpose;
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
