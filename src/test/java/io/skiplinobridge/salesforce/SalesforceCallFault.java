package io.skiplinobridge.salesforce;

/**
 * The fault matrix's rows for one Salesforce call, by the name the sandbox's {@code callFaults} take, each with
 * what a write meeting it must leave behind: {@code applied} when the org makes the change and only the answer is
 * lost (held past the client's timeout, reset, or unreadable), not when the org refuses the call.
 */
enum SalesforceCallFault {
    TIMEOUT(true),
    CONNECTION_RESET(true),
    HTTP_500(false),
    HTTP_503(false),
    HTTP_429_RETRY_AFTER_SECONDS(false),
    HTTP_429_RETRY_AFTER_DATE(false),
    MALFORMED_JSON(true),
    TRUNCATED_JSON(true),
    HTML_PAGE_200(true);

    private final boolean applied;

    SalesforceCallFault(boolean applied) {
        this.applied = applied;
    }

    /** Whether the faulted write is made in the org. */
    boolean applied() {
        return applied;
    }
}
