package io.skiplinobridge.tickets;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ticket mirror settings ({@code bridge.tickets.*}, commented in {@code config/application.yaml}).
 *
 * @param enabled        run ticket discovery and the CRM outbox at all
 * @param finalStatuses  statuses after which a ticket is no longer followed; any other value (unknown ones
 *                       included) keeps it followed
 */
@ConfigurationProperties("bridge.tickets")
public record TicketProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({"served", "cancelled"}) List<String> finalStatuses,
        @DefaultValue Discovery discovery,
        @DefaultValue Outbox outbox,
        @DefaultValue Salesforce salesforce,
        @DefaultValue Webhook webhook) {

    /**
     * @param pollInterval        time between two discovery cycles
     * @param requestsPerMinute   the ticket mirror's share of Skiplino requests: at most this many in any
     *                            60-second window (customer sync keeps the rest of skiplino.rate-limit)
     * @param parallelism         Skiplino requests a cycle has in flight at once
     * @param recentWindow        a customer with a new or changed ticket within this time counts as recently active
     * @param recentInterval      recently active customers are polled at least this often
     * @param stopFollowingAfter  a non-final ticket unchanged this long is no longer fetched on its own
     * @param maxPagesPerCustomer most pages of one customer's ticket history read in one cycle
     */
    public record Discovery(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5s") Duration pollInterval,
            @DefaultValue("120") int requestsPerMinute,
            @DefaultValue("4") int parallelism,
            @DefaultValue("30m") Duration recentWindow,
            @DefaultValue("1m") Duration recentInterval,
            @DefaultValue("2d") Duration stopFollowingAfter,
            @DefaultValue("20") int maxPagesPerCustomer) {

        public Discovery {
            if (requestsPerMinute < 1) {
                throw new IllegalArgumentException("bridge.tickets.discovery.requests-per-minute must be at least 1");
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("bridge.tickets.discovery.parallelism must be at least 1");
            }
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("bridge.tickets.discovery.poll-interval must be positive");
            }
        }
    }

    /**
     * @param pollInterval how often an idle instance looks for due outbox rows
     * @param lease        how long claimed rows stay reserved for this instance
     * @param workers      batches delivered concurrently
     * @param backoffBase  first retry delay (exponential, full jitter)
     * @param backoffMax   longest retry delay
     */
    public record Outbox(
            @DefaultValue("250ms") Duration pollInterval,
            @DefaultValue("2m") Duration lease,
            @DefaultValue("4") int workers,
            @DefaultValue("1s") Duration backoffBase,
            @DefaultValue("5m") Duration backoffMax) {
    }

    /**
     * @param enabled           write tickets to Salesforce; unset: on in sandbox mode and when a Salesforce
     *                          client id is configured
     * @param component         the Camel component name of the Salesforce connection
     * @param sObject           the ticket custom object
     * @param externalIdField   its external id field, holding the Skiplino ticket id
     * @param contactLookup     the lookup field to the contact; {@code X__c} (the relationship {@code X__r} is
     *                          derived when the contact is found by a field other than Id)
     * @param contactKeyField   the Contact field the customer's externalId is (Id: the lookup holds it directly)
     * @param batchSize         records per composite call, 1..200
     * @param maxAttempts       failed writes of one record before it is parked
     * @param fields            Salesforce field → ticket property path ({@code status}, {@code branch.name}, …)
     */
    public record Salesforce(
            Boolean enabled,
            @DefaultValue("salesforce") String component,
            @DefaultValue("Skiplino_Ticket__c") String sObject,
            @DefaultValue("Skiplino_Ticket_Id__c") String externalIdField,
            @DefaultValue("Contact__c") String contactLookup,
            @DefaultValue("Id") String contactKeyField,
            @DefaultValue("200") int batchSize,
            @DefaultValue("5") int maxAttempts,
            Map<String, String> fields) {

        public Salesforce {
            if (batchSize < 1 || batchSize > 200) {
                throw new IllegalArgumentException("bridge.tickets.salesforce.batch-size must be between 1 and 200");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("bridge.tickets.salesforce.max-attempts must be at least 1");
            }
            fields = fields == null || fields.isEmpty() ? defaultFields() : Map.copyOf(fields);
        }

        static Map<String, String> defaultFields() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("Ticket_Number__c", "ticketNumber");
            fields.put("Status__c", "status");
            fields.put("Status_At__c", "statusAt");
            fields.put("Type__c", "type");
            fields.put("Appointment_Time__c", "time");
            fields.put("Branch_Id__c", "branch.id");
            fields.put("Branch__c", "branch.name");
            fields.put("Service__c", "service.name");
            fields.put("Service_Group__c", "groupOfService.name");
            fields.put("Booked_At__c", "bookedAt");
            fields.put("Skiplino_Customer_Id__c", "customer.id");
            return fields;
        }
    }

    /**
     * @param targets       name → URL of each CRM receiving the signed ticket webhook (https only)
     * @param secret        whsec_ secret the webhooks are signed with; empty: the first inbound secret
     * @param allowLoopback accept http/https URLs on a loopback address (tests and local demos only)
     * @param allowPrivate  accept targets on private, link-local or unique-local addresses
     * @param timeout       longest wait for a receiver's answer
     */
    public record Webhook(
            Map<String, URI> targets,
            @DefaultValue("") String secret,
            @DefaultValue("false") boolean allowLoopback,
            @DefaultValue("false") boolean allowPrivate,
            @DefaultValue("10s") Duration timeout) {

        public Webhook {
            targets = targets == null ? Map.of() : Map.copyOf(targets);
        }

        @Override
        public String toString() {
            return "Webhook[targets=" + targets.keySet() + ", secret=<redacted>, allowLoopback=" + allowLoopback
                    + ", allowPrivate=" + allowPrivate + ", timeout=" + timeout + "]";
        }
    }
}
