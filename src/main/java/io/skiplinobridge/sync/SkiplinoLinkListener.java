package io.skiplinobridge.sync;

/**
 * Told that a CRM customer's Skiplino {@code _id} is known after one of its changes was applied (the
 * customer created, or updated) or found unchanged. Called inside the transaction that records the
 * outcome, after the customer's row is locked: whatever the listener writes to the database commits
 * with the outcome or not at all. It must not call out of the process (the Salesforce write-back
 * queues its call in the database and makes it later).
 */
public interface SkiplinoLinkListener {

    /**
     * @param externalId the CRM's id of the customer
     * @param skiplinoId its Skiplino {@code _id}
     * @param source     where the change that decided came from
     */
    void linked(String externalId, String skiplinoId, ChangeSource source);
}
