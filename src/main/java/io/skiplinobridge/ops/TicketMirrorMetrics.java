package io.skiplinobridge.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.stereotype.Component;

/**
 * Metrics the ticket mirror feeds (names fixed here so dashboards and alerts exist before it does):
 * {@code bridge.tickets.mirror.lag}, the time from a ticket's Skiplino {@code statusAt} to the moment
 * its state was written to the CRM. The outbox backlog gauges come from an {@link OutboxBacklog} bean.
 */
@Component
@ConditionalOnFlows
public class TicketMirrorMetrics {

    static final String LAG = "bridge.tickets.mirror.lag";
    static final String SALESFORCE_UPSERTS = "bridge.tickets.salesforce.upserts";

    /** Outcomes of one Salesforce collections upsert call, each counted from the start (at 0). */
    public static final List<String> UPSERT_OUTCOMES = List.of("success", "record_failures", "invalid_response",
            "rate_limited", "server_error", "refused", "timeout", "io_error", "error");

    private final Timer lag;
    private final Map<String, Counter> upserts;

    TicketMirrorMetrics(MeterRegistry meters) {
        this.lag = Timer.builder(LAG)
                .description("Time from a ticket's Skiplino statusAt to its write to the CRM")
                .serviceLevelObjectives(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
                        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15))
                .register(meters);
        this.upserts = UPSERT_OUTCOMES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), outcome ->
                Counter.builder(SALESFORCE_UPSERTS).tag("outcome", outcome)
                        .description("Salesforce collections upsert calls of the ticket outbox, by outcome")
                        .register(meters)));
    }

    /** One collections upsert call of ticket records ended with {@code outcome}, one of {@link #UPSERT_OUTCOMES}. */
    public void salesforceUpsert(String outcome) {
        Counter counter = upserts.get(outcome);
        (counter == null ? upserts.get("error") : counter).increment();
    }

    /** A ticket state reached the CRM {@code lag} after Skiplino's {@code statusAt} (a negative lag, from clock skew, counts as 0). */
    public void mirrored(Duration lag) {
        this.lag.record(lag.isNegative() ? Duration.ZERO : lag);
    }
}
