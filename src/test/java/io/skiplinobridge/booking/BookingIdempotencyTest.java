package io.skiplinobridge.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.skiplinobridge.testsupport.StoreTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Idempotency-Key on book: a retried booking answers the first result instead of booking twice, even
 * when the first answer was lost on the way back or the bridge died before recording it.
 */
@StoreTest
class BookingIdempotencyTest extends BookingSpringTestBase {

    private static final String TICKETS = "/api/booking/customers/" + LAYLA + "/tickets";

    @Test
    void aRetriedBookingAnswersTheFirstTicket() {
        String key = UUID.randomUUID().toString();
        sandbox.clearStats();

        BookingHttp.Response first = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key)).expect(201);
        BookingHttp.Response retry = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key)).expect(201);

        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue(BookingController.REPLAYED_HEADER)).contains("true");
        assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(bookingCalls()).containsExactly(Map.entry("POST /tickets/book 201", 1L));
        assertThat(ticketsOf(LAYLA)).hasSize(1);

        String other = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", UUID.randomUUID().toString()))
                .expect(201).json().get("id").asText();
        assertThat(other).isNotEqualTo(first.json().get("id").asText());
        assertThat(ticketsOf(LAYLA)).hasSize(2);
    }

    @Test
    void aKeyReusedForAnotherBookingIsRefused() {
        String key = UUID.randomUUID().toString();
        http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key)).expect(201);
        sandbox.clearStats();

        BookingHttp.Response reused = http.post(TICKETS, appointment(firstSlot(ACCOUNT_OPENING)),
                Map.of("Idempotency-Key", key));

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().at("/errors/0/parameter").asText()).isEqualTo("Idempotency-Key");
        assertThat(sandbox.count("POST", "/tickets/book")).isZero();
    }

    @Test
    void keysBelongToOneCustomer() {
        String key = UUID.randomUUID().toString();
        String layla = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key)).expect(201).json().get("id").asText();
        String omar = http.post("/api/booking/customers/" + OMAR + "/tickets", walkIn(), Map.of("Idempotency-Key", key))
                .expect(201).json().get("id").asText();
        assertThat(omar).isNotEqualTo(layla);
    }

    @Test
    void concurrentRetriesBookOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        sandbox.clearStats();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<BookingHttp.Response> answers = new ArrayList<>();
        try {
            List<Callable<BookingHttp.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key)));
            }
            for (Future<BookingHttp.Response> answer : pool.invokeAll(calls)) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).extracting(BookingHttp.Response::status).containsOnly(201, 409).contains(201);
        assertThat(answers.stream().filter(a -> a.status() == 201).map(a -> a.json().get("id").asText()).distinct())
                .hasSize(1);
        answers.stream().filter(a -> a.status() == 409).forEach(a -> {
            assertThat(a.headers().firstValue("Retry-After")).contains("1");
            assertThat(a.json().get("detail").asText()).contains("still under way");
        });
        assertThat(sandbox.count("POST", "/tickets/book")).isEqualTo(1);
        assertThat(ticketsOf(LAYLA)).hasSize(1);
    }

    @Test
    void anAnswerLostOnTheWayBackIsFoundOnRetryNotBookedAgain() {
        String key = UUID.randomUUID().toString();
        String time = firstSlot(ACCOUNT_OPENING);
        BookingHttp.Response lost;
        try {
            sandbox.setFaults(Map.of("bodyFault", "truncated", "method", "POST", "pathPrefix", "/tickets/book"));
            lost = http.post(TICKETS, appointment(time), Map.of("Idempotency-Key", key));
        } finally {
            sandbox.clearFaults();
        }
        assertThat(lost.status()).isEqualTo(502);
        assertThat(lost.json().get("outcome").asText()).isEqualTo("unknown");
        assertThat(lost.json().get("detail").asText()).contains("retry with the same Idempotency-Key");
        List<JsonNode> booked = ticketsOf(LAYLA);
        assertThat(booked).hasSize(1);
        sandbox.clearStats();

        BookingHttp.Response retry = http.post(TICKETS, appointment(time), Map.of("Idempotency-Key", key)).expect(201);

        assertThat(retry.json().get("id").asText()).isEqualTo(booked.get(0).get("id").asText());
        assertThat(sandbox.count("POST", "/tickets/book")).isZero();
        assertThat(ticketsOf(LAYLA)).hasSize(1);
        assertThat(SightingsSpy.sightings(sightings)).extracting(s -> s.ticket().id())
                .contains(booked.get(0).get("id").asText());
        BookingHttp.Response again = http.post(TICKETS, appointment(time), Map.of("Idempotency-Key", key)).expect(201);
        assertThat(again.body()).isEqualTo(retry.body());
    }

    @Test
    void aConnectionResetAfterBookingIsFoundOnRetry() {
        String key = UUID.randomUUID().toString();
        BookingHttp.Response reset;
        try {
            sandbox.setFaults(Map.of("resetRate", 1.0, "resetAfterProcessing", true, "method", "POST",
                    "pathPrefix", "/tickets/book"));
            reset = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key));
        } finally {
            sandbox.clearFaults();
        }
        assertThat(reset.status()).isEqualTo(503);
        assertThat(reset.json().get("outcome").asText()).isEqualTo("unknown");
        assertThat(ticketsOf(LAYLA)).hasSize(1);

        BookingHttp.Response retry = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key)).expect(201);

        assertThat(retry.json().get("id").asText()).isEqualTo(ticketsOf(LAYLA).get(0).get("id").asText());
        assertThat(ticketsOf(LAYLA)).hasSize(1);
    }

    @Test
    void aRefusedBookingLeavesTheKeyFreeForARetry() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> closedService = Map.of("serviceId", "3a9d2e7f40", "groupOfServiceId", TELLER_GROUP);
        sandbox.clearStats();

        http.post(TICKETS, closedService, Map.of("Idempotency-Key", key)).expect(409);
        http.post(TICKETS, closedService, Map.of("Idempotency-Key", key)).expect(409);

        assertThat(sandbox.count("POST", "/tickets/book")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM booking_request", Integer.class)).isZero();
    }

    @Test
    void aBookingUnderWayBlocksItsKeyUntilItsInstanceIsPresumedDead() {
        String key = UUID.randomUUID().toString();
        String id = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key)).expect(201).json().get("id").asText();
        // as if this instance had booked and then died before recording the answer
        jdbc.update("UPDATE booking_request SET state = 'IN_PROGRESS', response_body = NULL, http_status = NULL, "
                + "ticket_id = NULL, attempt_started_at = CURRENT_TIMESTAMP");

        BookingHttp.Response busy = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key));
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");

        jdbc.update("UPDATE booking_request SET attempt_started_at = attempt_started_at - INTERVAL '3' MINUTE");
        sandbox.clearStats();
        BookingHttp.Response recovered = http.post(TICKETS, walkIn(), Map.of("Idempotency-Key", key)).expect(201);

        assertThat(recovered.json().get("id").asText()).isEqualTo(id);
        assertThat(sandbox.count("POST", "/tickets/book")).isZero();
        assertThat(ticketsOf(LAYLA)).hasSize(1);
    }

    private List<JsonNode> ticketsOf(String externalId) {
        String skiplinoId = skiplinoIdOf(externalId);
        List<JsonNode> tickets = new ArrayList<>();
        http.send("GET", "/sandbox/control/skiplino/tickets", Map.of(), null).expect(200).json().forEach(ticket -> {
            if (skiplinoId.equals(ticket.at("/customer/id").asText())) {
                tickets.add(ticket);
            }
        });
        return tickets;
    }
}
