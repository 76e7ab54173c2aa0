package io.skiplinobridge.ops;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Every metric docs/operations.md documents is in {@code /actuator/prometheus} after a sync run (new,
 * changed, unchanged, stale and rejected customers, then a Skiplino outage that opens the circuit),
 * with values that match what happened.
 */
class OpsMetricsTest extends OpsSpringTestBase {

    static final Set<String> PER_WEBHOOK_TARGET = Set.of("bridge_tickets_webhook_deliveries_total");

    @Test
    void everyDocumentedMetricIsPresentWithPlausibleValuesAfterASyncRun() {
        Set<String> documented = OperationsDoc.metrics();
        assertThat(documented).hasSizeGreaterThan(30);
        Scrape before = scrape();

        http.reject("mt-rejected", "email", "Blocked address.");
        Instant t0 = Instant.now().minusSeconds(60);
        List<Map<String, Object>> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(upsert("mt-e" + i, t0, customer("mt-" + i, "Customer " + i, "mt" + i + "@example.com", null, null)));
        }
        first.add(upsert("mt-e4", t0, customer("mt-rejected", "Rejected", "rejected@example.com", null, null)));
        assertThat(crm.post(batch(first)).status()).isEqualTo(202);
        awaitQuiet();
        assertThat(crm.post(batch(List.of(
                upsert("mt-u1", t0.plusSeconds(10), customer("mt-0", "Customer 0 renamed", "mt0@example.com", null, null)),
                upsert("mt-u2", t0.plusSeconds(10), customer("mt-1", "Customer 1", "mt1@example.com", null, null)),
                upsert("mt-u3", t0.minusSeconds(30), customer("mt-2", "Customer 2 older", "mt2@example.com", null, null)))))
                .status()).isEqualTo(202);
        awaitQuiet();
        outage();
        Scrape after = scrape();

        for (String metric : documented) {
            if (PER_WEBHOOK_TARGET.contains(metric)) {
                // one series per configured ticket webhook target and none without one (this context has
                // none); present from the start and counted per fault in WebhookDeliveryFaultTest
                continue;
            }
            assertThat(after.has(metric)).as(metric + " is scraped").isTrue();
            for (Scrape.Sample sample : after.samples(metric)) {
                assertThat(Double.isFinite(sample.value())).as(sample.toString()).isTrue();
                assertThat(sample.value()).as(sample.toString()).isGreaterThanOrEqualTo(metric.endsWith("failure_rate") ? -1 : 0);
            }
        }
        assertThat(after.value("bridge_changes_received_total", "source=\"webhook\"")
                - before.value("bridge_changes_received_total", "source=\"webhook\"")).isEqualTo(5 + 3 + 12);
        assertThat(after.value("bridge_changes_received_total", "source=\"salesforce\"")).isZero();
        assertThat(delta(before, after, "bridge_sync_results_total", "outcome=\"created\"")).isEqualTo(4 + 12);
        assertThat(delta(before, after, "bridge_sync_results_total", "outcome=\"updated\"")).isEqualTo(1);
        assertThat(delta(before, after, "bridge_sync_results_total", "outcome=\"unchanged\"")).isEqualTo(1);
        assertThat(delta(before, after, "bridge_sync_results_total", "outcome=\"stale\"")).isEqualTo(1);
        assertThat(delta(before, after, "bridge_sync_results_total", "outcome=\"parked\"")).isEqualTo(1);
        assertThat(delta(before, after, "bridge_sync_results_total", "outcome=\"retry\"")
                + delta(before, after, "bridge_sync_results_total", "outcome=\"not_permitted\"")).isPositive();
        assertThat(after.value("bridge_sync_failures_open", "")).isEqualTo(1);
        assertThat(after.value("bridge_sync_backlog_events", "")).isZero();
        assertThat(after.value("bridge_sync_backlog_oldest_age_seconds", "")).isZero();
        assertThat(after.value("bridge_sync_backlog_customers", "state=\"in_flight\"")).isZero();
        assertThat(after.value("skiplino_client_requests_seconds_count", "endpoint=\"/customers/create\"", "status=\"201\"")
                - before.value("skiplino_client_requests_seconds_count", "endpoint=\"/customers/create\"", "status=\"201\""))
                .isEqualTo(4 + 12);
        assertThat(after.value("skiplino_client_requests_seconds_count", "endpoint=\"/customers/update\"", "status=\"200\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.samples("skiplino_client_requests_seconds_bucket")).anyMatch(s -> s.labels().contains("le=\"0.05\""));
        assertThat(after.value("skiplino_client_rejected_total", "reason=\"CIRCUIT_OPEN\"")).isPositive();
        assertThat(after.value("resilience4j_circuitbreaker_state", "name=\"skiplino\"", "state=\"closed\"")).isEqualTo(1);
        assertThat(after.value("skiplino_ratelimit_configured_requests_per_second", "")).isEqualTo(1000);
        assertThat(after.value("bridge_flow_paused", "flow=\"customer-sync\"")).isZero();
        assertThat(after.value("bridge_flow_last_success_timestamp_seconds", "flow=\"customer-sync\""))
                .isGreaterThan(Instant.now().minusSeconds(300).getEpochSecond());
        assertThat(after.value("bridge_outbox_backlog", "")).isZero();
        assertThat(after.value("bridge_salesforce_api_limit_paused", "")).isZero();
        for (String outcome : List.of("written", "retried", "parked")) {
            // write-back is off in this context: every outcome exported from the start, at 0
            assertThat(after.samples("bridge_salesforce_write_back_total")).as(outcome)
                    .anyMatch(s -> s.labels().contains("outcome=\"" + outcome + "\"") && s.value() == 0);
        }
        assertThat(after.value("camel_exchanges_total", "routeId=\"customer-sync-apply\"")).isPositive();
    }

    /** Skiplino fails every write until the circuit opens; then it recovers and the held changes go through. */
    private void outage() {
        OpsHttp.expect(http.send("PUT", "/sandbox/control/skiplino/faults", null, Map.of("errorRate", 1.0, "errorStatus", 503)), 200);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(upsert("mt-o" + i, "mt-outage-" + i, "Outage " + i, "outage" + i + "@example.com", null));
        }
        assertThat(crm.post(batch(events)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> !"CLOSED".equals(guard.status().circuitState()));
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("skiplino_client_rejected_total", "reason=\"CIRCUIT_OPEN\"") > 0);
        OpsHttp.expect(http.send("DELETE", "/sandbox/control/skiplino/faults", null, null), 204);
        await().atMost(Duration.ofSeconds(60)).until(() -> "CLOSED".equals(guard.status().circuitState()));
        awaitQuiet();
    }

    private Scrape scrape() {
        return Scrape.parse(OpsHttp.expect(http.send("GET", "/actuator/prometheus", null, null), 200).body());
    }

    private static double delta(Scrape before, Scrape after, String name, String label) {
        return after.value(name, label) - before.value(name, label);
    }
}
