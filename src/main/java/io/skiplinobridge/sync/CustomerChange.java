package io.skiplinobridge.sync;

import java.time.Instant;
import java.util.Objects;

/**
 * One customer change as received, before it is stored in the inbox.
 *
 * @param source     where it came from
 * @param eventId    the sender's id for deduplication (unique per source); null when the source has none
 * @param type       upsert or delete
 * @param externalId the CRM's id of the customer, the key in Skiplino
 * @param occurredAt when the change happened at the source; orders changes of one customer
 * @param customer   the full customer state for an upsert, null for a delete
 */
public record CustomerChange(ChangeSource source, String eventId, ChangeType type, String externalId,
                             Instant occurredAt, CanonicalCustomer customer) {

    public CustomerChange {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (type == ChangeType.UPSERT) {
            Objects.requireNonNull(customer, "customer of an upsert");
        }
    }

    public static CustomerChange upsert(ChangeSource source, String eventId, Instant occurredAt,
                                        CanonicalCustomer customer) {
        return new CustomerChange(source, eventId, ChangeType.UPSERT, customer.externalId(), occurredAt, customer);
    }

    public static CustomerChange delete(ChangeSource source, String eventId, Instant occurredAt, String externalId) {
        return new CustomerChange(source, eventId, ChangeType.DELETE, externalId, occurredAt, null);
    }
}
