package io.skiplinobridge.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.ops.SalesforcePollMetrics;
import io.skiplinobridge.ops.SalesforcePollMetrics.WriteBackOutcome;
import io.skiplinobridge.salesforce.SalesforceWriteBacks.WriteBack;
import io.skiplinobridge.sync.Backoff;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;
import org.apache.camel.component.salesforce.api.dto.UpsertSObjectResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Delivers the write-back outbox (route {@code salesforce-write-back}): claims up to 200 due rows and
 * writes each customer's Skiplino {@code _id} into {@code bridge.salesforce.poll.write-back-field} of its
 * record in one sObject Collections call through the {@code salesforce} component ({@link SalesforceCalls}:
 * given up and handed back when the bridge stops), {@code allOrNone=false}:
 * <ul>
 *   <li>external id field {@code Id} (the default): {@code compositeUpdateSObjectCollections}, which
 *       updates the records by Id and never creates one;</li>
 *   <li>another external id field: {@code compositeUpsertSObjectCollections} by that field.</li>
 * </ul>
 * A record Salesforce refuses is retried with backoff and parked after {@value #MAX_RECORD_ATTEMPTS}
 * refusals (its reason kept in the row, and listed in the ops failures); a failed call (network, timeout,
 * 5xx, {@code REQUEST_LIMIT_EXCEEDED}, an unreadable answer) retries every record of it with backoff, without
 * limit. Each record's outcome is counted in {@code bridge.salesforce.write_back}.
 */
@Component("salesforceWriteBack")
@ConditionalOnSalesforce
public class SalesforceWriteBack {

    static final int BATCH = 200;
    static final int MAX_RECORD_ATTEMPTS = 5;
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(SalesforceWriteBack.class);

    private final SalesforceWriteBacks store;
    private final SalesforceCalls salesforce;
    private final Clock clock;
    private final InstanceId instance;
    private final SalesforceProperties.Poll settings;
    private final SalesforcePollMetrics metrics;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    SalesforceWriteBack(SalesforceWriteBacks store, SalesforceCalls salesforce, Clock clock, InstanceId instance,
                        SalesforceProperties properties, SalesforcePollMetrics metrics) {
        this.store = store;
        this.salesforce = salesforce;
        this.clock = clock;
        this.instance = instance;
        this.settings = properties.poll();
        this.metrics = metrics;
    }

    /**
     * Sends one batch of due write-backs, if there are any.
     *
     * @return the records sent (0: nothing was due, or write-back is off)
     */
    public int deliver(Exchange trigger) {
        if (trigger != null) {
            // until a batch went out: a claim that fails (store unreachable) must wait for the poll interval,
            // not make the greedy scheduler poll again at once (its default) and fail in a tight loop
            trigger.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, false);
        }
        int sent = deliverBatch();
        if (trigger != null) {
            trigger.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, sent > 0);
        }
        return sent;
    }

    int deliverBatch() {
        if (!store.enabled() || !salesforce.accepting()) {
            return 0;
        }
        Instant now = clock.instant();
        List<WriteBack> rows = store.claim(instance.value(), BATCH, now, now.plus(LEASE));
        if (rows.isEmpty()) {
            return 0;
        }
        boolean byId = "Id".equalsIgnoreCase(settings.fields().externalId());
        String keyField = byId ? "Id" : settings.fields().externalId();
        List<WriteBackRecord> records = rows.stream()
                .map(row -> new WriteBackRecord(settings.object(), keyField, row.externalId(), row.field(), row.skiplinoId()))
                .toList();
        String uri = byId ? "salesforce:compositeUpdateSObjectCollections"
                : "salesforce:compositeUpsertSObjectCollections?sObjectName=" + settings.object() + "&sObjectIdName=" + keyField;
        Exchange answer;
        try {
            answer = salesforce.request(uri, request -> {
                request.setBody(records);
                // camel-salesforce 4.17 reads allOrNone of the collections operations from this header only
                request.setHeader("allOrNone", Boolean.FALSE);
            });
        } catch (SalesforceCallAbandonedException abandoned) {
            if (abandoned.bridgeStopping()) {
                rows.forEach(row -> store.release(row, instance.value()));
                log.info("{} Skiplino id write-back(s) handed back: the bridge is stopping", rows.size());
                return 0;
            }
            return retryAll(rows, clock.instant(), abandoned.getMessage());
        }
        Instant done = clock.instant();
        List<?> answered = answer.getException() == null ? answer.getMessage().getBody(List.class) : null;
        // camel-salesforce 4.17 meets an unreadable 200 answer (not JSON, cut off, an HTML page) by throwing on its
        // client thread and completing the exchange with no exception and the records sent still as the body
        boolean unreadable = answer.getException() == null && (answered == null || answered.size() != rows.size()
                || !answered.stream().allMatch(r -> r instanceof SaveSObjectResult || r instanceof UpsertSObjectResult));
        if (answer.getException() != null || unreadable) {
            String reason = unreadable ? "Salesforce's answer could not be read (sent again: writing the id twice "
                    + "changes nothing)" : describe(answer.getException());
            return retryAll(rows, done, reason);
        }
        List<?> results = answered;
        int written = 0;
        int retried = 0;
        int parked = 0;
        for (int i = 0; i < rows.size(); i++) {
            WriteBack row = rows.get(i);
            Object result = results != null && i < results.size() ? results.get(i) : null;
            String refusal = refusal(result);
            if (refusal == null) {
                if (store.written(row, instance.value(), done)) {
                    written++;
                }
            } else if (row.attempts() + 1 >= MAX_RECORD_ATTEMPTS) {
                if (store.park(row, instance.value(), done, refusal + " (after " + (row.attempts() + 1) + " attempts)")) {
                    parked++;
                }
                log.warn("Write-back of Skiplino id {} into {} {} parked after {} attempts: {}", row.skiplinoId(),
                        settings.object(), row.externalId(), row.attempts() + 1, refusal);
            } else if (store.retryLater(row, instance.value(), done, done.plus(backoff.next(row.attempts() + 1, null)), refusal)) {
                retried++;
            }
        }
        metrics.writeBack(WriteBackOutcome.WRITTEN, written);
        metrics.writeBack(WriteBackOutcome.RETRIED, retried);
        metrics.writeBack(WriteBackOutcome.PARKED, parked);
        log.debug("Salesforce took {} of {} Skiplino id write-backs", written, rows.size());
        return rows.size();
    }

    /** The call failed as a whole: every record of it is retried with backoff, without limit. */
    private int retryAll(List<WriteBack> rows, Instant done, String reason) {
        int retried = 0;
        for (WriteBack row : rows) {
            if (store.retryLater(row, instance.value(), done, done.plus(backoff.next(row.attempts() + 1, null)), reason)) {
                retried++;
            }
        }
        metrics.writeBack(WriteBackOutcome.RETRIED, retried);
        log.warn("Writing {} Skiplino id(s) back to Salesforce failed, retried later: {}", rows.size(), reason);
        return rows.size();
    }

    /** Null when Salesforce accepted the record, else why not. */
    private static String refusal(Object result) {
        if (result instanceof SaveSObjectResult save) {
            return Boolean.TRUE.equals(save.getSuccess()) ? null : "Salesforce refused the record: " + errors(save.getErrors());
        }
        if (result instanceof UpsertSObjectResult upsert) {
            return Boolean.TRUE.equals(upsert.getSuccess()) ? null : "Salesforce refused the record: " + errors(upsert.getErrors());
        }
        return "Salesforce gave no result for the record";
    }

    private static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SalesforceException salesforce) {
                return "Salesforce call failed" + (salesforce.getStatusCode() > 0 ? " (HTTP " + salesforce.getStatusCode() + ")" : "")
                        + ": " + (salesforce.getErrors() == null || salesforce.getErrors().isEmpty()
                        ? salesforce.getMessage() : errors(salesforce.getErrors()));
            }
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String errors(List<RestError> errors) {
        if (errors == null || errors.isEmpty()) {
            return "no error given";
        }
        return errors.stream().map(e -> e.getErrorCode() + ": " + e.getMessage()).collect(Collectors.joining("; "));
    }
}
