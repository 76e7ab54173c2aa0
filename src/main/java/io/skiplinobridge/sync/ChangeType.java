package io.skiplinobridge.sync;

/** What a change asks for. */
public enum ChangeType {
    /** Make Skiplino hold this customer state (create or update). */
    UPSERT,
    /** The customer is gone from the CRM; applied per {@code bridge.sync.deletes}. */
    DELETE
}
