package io.skiplinobridge.crm;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.skiplinobridge.testsupport.SignedWebhookClient.Response;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import io.skiplinobridge.testsupport.StoreTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several CRMs (or one CRM's retrying workers) deliver the same events again, out of order and at
 * once: the inbox must end with each event exactly once, and every redelivery must be answered as a
 * duplicate.
 */
@CrmWebhookSpringTest
@StoreTest
class CrmEventsConcurrencyTest {

    private static final int EVENTS = 1_000;
    private static final int CUSTOMERS = 300;
    private static final int REDELIVERIES = 400;
    private static final int SENDERS = 8;
    private static final int MAX_ATTEMPTS = 20;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /** One request: its events, sent as a batch or (for one event) as a bare event. */
    record Delivery(List<Map<String, Object>> events, boolean bare) {

        Object body() {
            return bare ? events.get(0) : batch(events);
        }
    }

    @Test
    void storesEachEventOnceAndAnswersEveryRedeliveryAsADuplicate() throws Exception {
        String run = "conc-" + UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(20261126);
        Instant start = Instant.now().minusSeconds(3_600);
        Map<String, String> customerOfEvent = new HashMap<>();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String eventId = run + "-evt-" + i;
            String externalId = run + "-crm-" + (i % CUSTOMERS);
            customerOfEvent.put(eventId, externalId);
            events.add(upsert(eventId, start.plusMillis(i), customer(externalId, "Customer " + i,
                    "customer" + i + "@example.com", null, Map.of("version", i))));
        }
        List<Map<String, Object>> sends = new ArrayList<>(events);
        for (int i = 0; i < REDELIVERIES; i++) {
            sends.add(events.get(random.nextInt(EVENTS)));
        }
        Collections.shuffle(sends, random);
        ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        for (int next = 0; next < sends.size(); ) {
            int size = Math.min(sends.size() - next, random.nextBoolean() ? 1 : 1 + random.nextInt(12));
            deliveries.add(new Delivery(List.copyOf(sends.subList(next, next + size)), size == 1 && random.nextBoolean()));
            next += size;
        }
        int requests = deliveries.size();

        SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, CrmWebhookSpringTest.CURRENT);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                work.add(senders.submit(() -> {
                    for (Delivery delivery; (delivery = deliveries.poll()) != null; ) {
                        Response response = sendRetryingWhileUnavailable(crm, delivery, unavailable);
                        assertThat(response.status()).as(response.body()).isEqualTo(202);
                        int newOnes = response.json().path("accepted").asInt();
                        int seenBefore = response.json().path("duplicates").asInt();
                        assertThat(newOnes + seenBefore).isEqualTo(delivery.events().size());
                        accepted.addAndGet(newOnes);
                        duplicates.addAndGet(seenBefore);
                    }
                    return null;
                }));
            }
            for (Future<?> sender : work) {
                sender.get(3, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }

        String stats = requests + " requests, " + unavailable.get() + " answered 503 and retried";
        assertThat(accepted.get()).as(stats).isEqualTo(EVENTS);
        assertThat(duplicates.get()).as(stats).isEqualTo(REDELIVERIES);
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT event_id, external_id FROM inbox_event WHERE source = 'WEBHOOK' AND event_id LIKE ?", run + "-%");
        assertThat(rows).hasSize(EVENTS);
        Map<String, String> stored = new HashMap<>();
        rows.forEach(row -> stored.put((String) row.get("EVENT_ID"), (String) row.get("EXTERNAL_ID")));
        assertThat(stored).isEqualTo(customerOfEvent);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_sync WHERE external_id LIKE ? AND due_at IS NOT NULL",
                Integer.class, run + "-%")).isEqualTo(CUSTOMERS);
    }

    /** A 503 stores nothing, so a sender retries it as it is (what a real CRM does). */
    private static Response sendRetryingWhileUnavailable(SignedWebhookClient crm, Delivery delivery,
                                                         AtomicInteger unavailable) {
        Response response = crm.post(delivery.body());
        for (int attempt = 1; response.status() == 503 && attempt < MAX_ATTEMPTS; attempt++) {
            unavailable.incrementAndGet();
            response = crm.post(delivery.body());
        }
        return response;
    }
}
