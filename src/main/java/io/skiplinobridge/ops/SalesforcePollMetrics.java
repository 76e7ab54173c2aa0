package io.skiplinobridge.ops;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.stereotype.Component;

/**
 * Metrics the Salesforce connector feeds (names fixed here so dashboards and alerts exist before it
 * does): how long each poll took and how it ended, how many records it read, whether the
 * connector holds its polls because the org's API limit is nearly used up, and what became of each
 * Skiplino {@code _id} write-back sent.
 */
@Component
@ConditionalOnFlows
public class SalesforcePollMetrics {

    static final String DURATION = "bridge.salesforce.poll.duration";
    static final String RECORDS = "bridge.salesforce.poll.records";
    static final String API_LIMIT_PAUSED = "bridge.salesforce.api.limit.paused";
    static final String WRITE_BACK = "bridge.salesforce.write_back";

    /** What became of a write-back record sent, each counted from the start (at 0). */
    public enum WriteBackOutcome {
        /** Salesforce holds the value */
        WRITTEN,
        /** the call failed or Salesforce refused the record: queued again with backoff */
        RETRIED,
        /** Salesforce kept refusing the record: listed in the ops failures */
        PARKED
    }

    private final Timer succeeded;
    private final Timer failed;
    private final Counter changed;
    private final Counter deleted;
    private final AtomicInteger apiLimitPaused = new AtomicInteger();
    private final Map<WriteBackOutcome, Counter> writeBacks;

    SalesforcePollMetrics(MeterRegistry meters) {
        succeeded = duration(meters, "success");
        failed = duration(meters, "failure");
        changed = records(meters, "changed");
        deleted = records(meters, "deleted");
        Gauge.builder(API_LIMIT_PAUSED, apiLimitPaused, AtomicInteger::get)
                .description("1 while Salesforce polls are held because the org's API limit is nearly used up")
                .register(meters);
        writeBacks = Arrays.stream(WriteBackOutcome.values()).collect(Collectors.toUnmodifiableMap(Function.identity(),
                outcome -> Counter.builder(WRITE_BACK).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                        .description("Skiplino id write-backs sent to Salesforce, by what became of each record")
                        .register(meters)));
    }

    /** One poll ended: how long it took, whether it succeeded, and the records it read (changed and deleted). */
    public void polled(Duration took, boolean success, int changedRecords, int deletedRecords) {
        (success ? succeeded : failed).record(took);
        changed.increment(changedRecords);
        deleted.increment(deletedRecords);
    }

    /** The connector started or stopped holding polls for the API limit. */
    public void apiLimitPaused(boolean paused) {
        apiLimitPaused.set(paused ? 1 : 0);
    }

    /** {@code records} write-back records sent ended with {@code outcome}. */
    public void writeBack(WriteBackOutcome outcome, int records) {
        writeBacks.get(outcome).increment(records);
    }

    private static Timer duration(MeterRegistry meters, String outcome) {
        return Timer.builder(DURATION).tag("outcome", outcome)
                .description("Duration of Salesforce polls (query and queryAll with their pages), by outcome")
                .register(meters);
    }

    private static Counter records(MeterRegistry meters, String kind) {
        return Counter.builder(RECORDS).tag("kind", kind)
                .description("Records read by Salesforce polls: changed (upserts) and deleted")
                .register(meters);
    }
}
