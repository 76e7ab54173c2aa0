package io.skiplinobridge.tickets;

import java.util.List;

/** Outbox rows claimed together for one target: up to 200 for Salesforce, up to 20 for a webhook target. */
public record OutboxBatch(String target, List<OutboxStore.OutboxRow> rows) {

    /** Whether the batch goes to Salesforce (else to a webhook target); the route chooses by it. */
    public boolean salesforce() {
        return MirrorTargets.SALESFORCE.equals(target);
    }
}
