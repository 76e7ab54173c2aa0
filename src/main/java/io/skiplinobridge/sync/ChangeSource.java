package io.skiplinobridge.sync;

/** Where a customer change entered the bridge. */
public enum ChangeSource {
    /** {@code POST /api/crm/events}, signed by a CRM. */
    WEBHOOK,
    /** The scheduled Salesforce poll (or its change stream). */
    SALESFORCE,
    /** An operator's resync from the ops API. */
    RESYNC
}
