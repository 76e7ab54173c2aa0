package io.skiplinobridge.sandbox.salesforce;

import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.SandboxResettable;

import org.springframework.stereotype.Component;

/** {@code POST /sandbox/control/reset}: every object empty; cursors, change events,
 * streaming clients, faults and stats gone. Tokens stay valid. */
@Component
@ConditionalOnSandbox
class SalesforceSandboxReset implements SandboxResettable {

    private final SObjectStore store;
    private final SoqlQueryService queries;
    private final SalesforceFaults faults;
    private final SalesforceCallStats stats;
    private final ChangeEventStream changeEvents;
    private final SalesforceStreamingController streaming;

    SalesforceSandboxReset(SObjectStore store, SoqlQueryService queries, SalesforceFaults faults,
                           SalesforceCallStats stats, ChangeEventStream changeEvents,
                           SalesforceStreamingController streaming) {
        this.store = store;
        this.queries = queries;
        this.faults = faults;
        this.stats = stats;
        this.changeEvents = changeEvents;
        this.streaming = streaming;
    }

    @Override
    public void reset() {
        store.clear();
        queries.clear();
        faults.clear();
        stats.clear();
        changeEvents.clear();
        streaming.clear();
    }
}
