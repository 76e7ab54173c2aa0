package io.skiplinobridge.tickets;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.ops.TicketMirrorMetrics;
import io.skiplinobridge.salesforce.SalesforceCallAbandonedException;
import io.skiplinobridge.salesforce.SalesforceCalls;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.sync.Backoff;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.UpsertSObjectResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The CRM outbox's engine (routes in {@code ticket-outbox.camel.yaml}): claims due rows per target and
 * records what each delivery did. Salesforce batches carry up to 200 records; a record Salesforce
 * refused inside a 200 answer is retried on its own with backoff and parked after
 * {@code max-attempts}, while the records it accepted are done and never sent again. Webhook rows are
 * retried until the receiver answers 2xx.
 */
@Component("ticketOutbox")
@ConditionalOnFlows
public class TicketOutbox {

    /** Exchange property holding the batch while the Salesforce call replaces the body. */
    public static final String BATCH_PROPERTY = "ticketOutboxBatch";
    /** Webhook rows claimed together; they are sent one by one, each the earliest pending state of its ticket. */
    static final int WEBHOOK_BATCH = 20;

    private static final Logger log = LoggerFactory.getLogger(TicketOutbox.class);

    private final OutboxStore store;
    private final MirrorTargets targets;
    private final BridgeFlags flags;
    private final TicketProperties properties;
    private final TicketMirrorMetrics metrics;
    private final Clock clock;
    private final InstanceId instance;
    private final SalesforceCalls salesforceCalls;
    private final Backoff backoff;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int capacity;
    private final AtomicReference<Instant> lastDeliveryAt = new AtomicReference<>();
    private final AtomicReference<Instant> lastSuccessAt = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    TicketOutbox(OutboxStore store, MirrorTargets targets, BridgeFlags flags, TicketProperties properties,
                 TicketMirrorMetrics metrics, Clock clock, InstanceId instance, SalesforceCalls salesforceCalls) {
        this.store = store;
        this.targets = targets;
        this.flags = flags;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
        this.instance = instance;
        this.salesforceCalls = salesforceCalls;
        this.backoff = new Backoff(properties.outbox().backoffBase(), properties.outbox().backoffMax());
        this.capacity = properties.outbox().workers() * 2;
    }

    /** Batches claimed now, one per target with due rows; the scheduler polls again at once when it got some. */
    public List<OutboxBatch> claim(Exchange exchange) {
        // until a claim succeeded: a claim that fails (store unreachable) must wait for the poll interval,
        // not make the greedy scheduler poll again at once (its default) and fail in a tight loop
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, false);
        List<OutboxBatch> batches = new ArrayList<>();
        if (properties.enabled() && !flags.isActive(TicketDiscovery.PAUSE_FLAG)) {
            Instant now = clock.instant();
            Instant leaseUntil = now.plus(properties.outbox().lease());
            for (String target : targets.all()) {
                if (inFlight.get() >= capacity) {
                    break;
                }
                boolean salesforce = MirrorTargets.SALESFORCE.equals(target);
                if (salesforce && !salesforceCalls.accepting()) {
                    // the bridge is stopping: Salesforce rows stay for the next start or another instance
                    continue;
                }
                int limit = salesforce ? properties.salesforce().batchSize() : WEBHOOK_BATCH;
                List<OutboxStore.OutboxRow> rows = store.claim(target, instance.value(), limit, now, leaseUntil, salesforce);
                if (!rows.isEmpty()) {
                    inFlight.incrementAndGet();
                    batches.add(new OutboxBatch(target, rows));
                }
            }
        }
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, !batches.isEmpty());
        return batches;
    }

    /** A claimed batch left the workers, whatever became of it. */
    public void released() {
        inFlight.decrementAndGet();
    }

    /**
     * True, with the batch's leases handed back, when the bridge is stopping: no Salesforce call starts then
     * ({@link SalesforceCalls} would refuse it). The rows stay pending, for the next start or another
     * instance; no attempt is counted.
     */
    public boolean handedBackWhileStopping(Exchange exchange) {
        if (salesforceCalls.accepting()) {
            return false;
        }
        handBack(exchange.getProperty(BATCH_PROPERTY, OutboxBatch.class));
        return true;
    }

    private void handBack(OutboxBatch batch) {
        batch.rows().forEach(row -> store.release(row, instance.value()));
        log.info("Ticket batch of {} records to Salesforce handed back: the bridge is stopping", batch.rows().size());
    }

    /** Salesforce answered the collections upsert: one result per record, in the batch's order. */
    public void salesforceAnswered(Exchange exchange) {
        OutboxBatch batch = exchange.getProperty(BATCH_PROPERTY, OutboxBatch.class);
        List<?> results = exchange.getMessage().getBody(List.class);
        if (results == null || results.size() != batch.rows().size()
                || !results.stream().allMatch(UpsertSObjectResult.class::isInstance)) {
            // camel-salesforce 4.17 meets an unreadable 200 answer (not JSON, cut off, an HTML page) by logging
            // "Unable to read response", throwing NoSuchElementException on its client thread and completing
            // the exchange with neither an exception nor results: the body is still the records sent
            unreadableAnswer(batch);
            return;
        }
        Instant now = clock.instant();
        int accepted = 0;
        for (int i = 0; i < batch.rows().size(); i++) {
            OutboxStore.OutboxRow row = batch.rows().get(i);
            Object result = results != null && i < results.size() ? results.get(i) : null;
            if (result instanceof UpsertSObjectResult upsert && Boolean.TRUE.equals(upsert.getSuccess())) {
                delivered(row, now, true);
                accepted++;
            } else if (result instanceof UpsertSObjectResult upsert) {
                failed(row, now, null, "Salesforce refused the record: " + errors(upsert.getErrors()),
                        properties.salesforce().maxAttempts(), null);
            } else {
                failed(row, now, null, "Salesforce gave no result for the record", properties.salesforce().maxAttempts(),
                        null);
            }
        }
        lastDeliveryAt.set(now);
        if (accepted == batch.rows().size()) {
            lastSuccessAt.set(now);
            lastError.set(null);
        }
        metrics.salesforceUpsert(accepted == batch.rows().size() ? "success" : "record_failures");
        log.debug("Salesforce accepted {} of {} ticket records", accepted, batch.rows().size());
    }

    /** The collections upsert failed as a whole (limit reached, network, 5xx): every record is retried. */
    public void salesforceFailed(Exchange exchange) {
        OutboxBatch batch = exchange.getProperty(BATCH_PROPERTY, OutboxBatch.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SalesforceCallAbandonedException abandoned = SalesforceCallAbandonedException.in(failure);
        if (abandoned != null && abandoned.bridgeStopping()) {
            // not Salesforce's failure: the call was refused or given up because the bridge is stopping
            handBack(batch);
            return;
        }
        Integer status = null;
        String reason = failure == null ? "unknown failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SalesforceException salesforce) {
                status = salesforce.getStatusCode() > 0 ? salesforce.getStatusCode() : null;
                reason = "Salesforce call failed" + (status == null ? "" : " (HTTP " + status + ")") + ": "
                        + (salesforce.getErrors() == null || salesforce.getErrors().isEmpty()
                        ? salesforce.getMessage() : errors(salesforce.getErrors()));
                break;
            }
        }
        metrics.salesforceUpsert(outcome(failure, status));
        Instant now = clock.instant();
        for (OutboxStore.OutboxRow row : batch.rows()) {
            failed(row, now, status, reason, properties.salesforce().maxAttempts(), null);
        }
        lastDeliveryAt.set(now);
        lastError.set(reason);
        log.warn("Ticket batch of {} records to Salesforce failed, retried later: {}", batch.rows().size(), reason);
    }

    /** No result list came back for the batch: every record is retried, as after a failed call. */
    private void unreadableAnswer(OutboxBatch batch) {
        String reason = "Salesforce's answer to the collections upsert could not be read (the records may have "
                + "been written; they are sent again, the upsert by external id makes no second record)";
        metrics.salesforceUpsert("invalid_response");
        Instant now = clock.instant();
        for (OutboxStore.OutboxRow row : batch.rows()) {
            failed(row, now, null, reason, properties.salesforce().maxAttempts(), null);
        }
        lastDeliveryAt.set(now);
        lastError.set(reason);
        log.warn("Ticket batch of {} records to Salesforce: {}; retried later", batch.rows().size(), reason);
    }

    /** The {@code bridge.tickets.salesforce.upserts} outcome of a call that failed as a whole. */
    static String outcome(Throwable failure, Integer status) {
        if (status != null) {
            if (status == 429) {
                return "rate_limited";
            }
            if (status >= 500) {
                return "server_error";
            }
            return status >= 400 ? "refused" : "invalid_response";
        }
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException) {
                return "invalid_response";
            }
            if (cause instanceof TimeoutException || cause instanceof SalesforceCallAbandonedException) {
                return "timeout";
            }
        }
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return "io_error";
            }
        }
        return "error";
    }

    void delivered(OutboxStore.OutboxRow row, Instant now, boolean coalesce) {
        if (store.delivered(row, instance.value(), now, coalesce) && row.statusAt() != null) {
            metrics.mirrored(Duration.between(row.statusAt(), now));
        }
    }

    /**
     * @param maxAttempts failed deliveries before the row is parked; 0 retries for ever
     * @param retryAfter  the receiver's Retry-After, a floor of the backoff; null when none
     */
    void failed(OutboxStore.OutboxRow row, Instant now, Integer status, String reason, int maxAttempts,
                Duration retryAfter) {
        int attempts = row.attempts() + 1;
        if (maxAttempts > 0 && attempts >= maxAttempts) {
            store.park(row, instance.value(), now, status, reason + " (after " + attempts + " attempts)");
            log.warn("Ticket {} of {} parked for {} after {} attempts: {}", row.ticketId(), row.externalId(),
                    row.target(), attempts, reason);
        } else {
            store.retryLater(row, instance.value(), now, now.plus(backoff.next(attempts, retryAfter)), reason);
        }
    }

    void recordDelivery(Instant at, String error) {
        lastDeliveryAt.set(at);
        if (error == null) {
            lastSuccessAt.set(at);
        }
        lastError.set(error);
    }

    Instant lastDeliveryAt() {
        return lastDeliveryAt.get();
    }

    Instant lastSuccessAt() {
        return lastSuccessAt.get();
    }

    String lastError() {
        return lastError.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    private static String errors(List<RestError> errors) {
        if (errors == null || errors.isEmpty()) {
            return "no error given";
        }
        return errors.stream().map(e -> e.getErrorCode() + ": " + e.getMessage()
                        + (e.getFields() == null || e.getFields().isEmpty() ? "" : " " + e.getFields()))
                .collect(Collectors.joining("; "));
    }
}
