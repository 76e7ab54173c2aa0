package io.skiplinobridge.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.booking.SightingsSpy.Sighting;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * The booking API end to end against the embedded Skiplino sandbox: browsing, booking, cancelling and
 * rescheduling for synced customers, each result handed to the ticket mirror, and Skiplino's refusals
 * and failures answered as problem+json with Skiplino's reason.
 */
class BookingApiTest extends BookingSpringTestBase {

    @Autowired
    MeterRegistry meters;

    @Test
    void listsBranchesAndABranchsServices() {
        JsonNode branches = http.get("/api/booking/branches").expect(200).json();
        assertThat(branches.findValuesAsText("id")).contains(SEEF_MALL, RIFFA_CLOSED);
        JsonNode seef = find(branches, SEEF_MALL);
        assertThat(seef.get("name").asText()).isEqualTo("Seef Mall Branch");
        assertThat(seef.at("/branchStatus/isBranchOpen").asBoolean()).isTrue();

        JsonNode groups = http.get("/api/booking/branches/" + SEEF_MALL + "/services").expect(200).json();
        JsonNode customerService = find(groups, CUSTOMER_SERVICE_GROUP);
        JsonNode accountOpening = find(customerService.get("services"), ACCOUNT_OPENING);
        assertThat(accountOpening.get("isAppointment").asBoolean()).isTrue();
        assertThat(accountOpening.get("isOpen").asBoolean()).isTrue();
        assertThat(find(find(groups, TELLER_GROUP).get("services"), CASH_WITHDRAWAL).get("isAppointment").asBoolean())
                .isFalse();
    }

    @Test
    void slotsAreCachedAndForgottenWhenTheServiceIsBooked() {
        sandbox.clearStats();
        String slots = "/api/booking/services/" + ACCOUNT_OPENING + "/slots?date=" + tomorrow();
        JsonNode first = http.get(slots).expect(200).json();
        assertThat(first.get("serviceId").asText()).isEqualTo(ACCOUNT_OPENING);
        assertThat(first.get("date").asText()).isEqualTo(tomorrow().toString());
        assertThat(first.get("slots").size()).isEqualTo(24);
        assertThat(first.at("/slots/0/remaining").asInt()).isEqualTo(3);
        String time = first.at("/slots/0/time").asText();

        JsonNode second = http.get(slots).expect(200).json();
        assertThat(second.get("fetchedAt")).isEqualTo(first.get("fetchedAt"));
        assertThat(sandbox.count("GET", "/services/{id}/slots")).isEqualTo(1);

        book(LAYLA, appointment(time));
        JsonNode afterBooking = http.get(slots).expect(200).json();
        assertThat(sandbox.count("GET", "/services/{id}/slots")).isEqualTo(2);
        assertThat(afterBooking.at("/slots/0/time").asText()).isEqualTo(time);
        assertThat(afterBooking.at("/slots/0/remaining").asInt()).isEqualTo(2);

        http.get("/api/booking/services/" + CARD_SERVICES + "/slots?date=" + tomorrow()).expect(200);
        http.get("/api/booking/services/" + CARD_SERVICES + "/slots?date=" + tomorrow()).expect(200);
        assertThat(sandbox.count("GET", "/services/{id}/slots")).isEqualTo(3);
    }

    @Test
    void booksAWalkInAndAnAppointmentAndHandsBothToTheMirror() {
        BookingHttp.Response walkIn = http.post("/api/booking/customers/" + LAYLA + "/tickets", walkIn()).expect(201);
        JsonNode queued = walkIn.json();
        assertThat(queued.get("status").asText()).isEqualTo("waiting");
        assertThat(queued.get("type").asText()).isEqualTo("sequential");
        assertThat(queued.at("/customer/id").asText()).isEqualTo(skiplinoIdOf(LAYLA));
        assertThat(queued.at("/service/id").asText()).isEqualTo(CASH_WITHDRAWAL);
        assertThat(queued.has("queueSize")).isTrue();
        assertThat(walkIn.headers().firstValue("Location")).contains(
                "/api/booking/customers/" + LAYLA + "/tickets/" + queued.get("id").asText());
        assertThat(walkIn.headers().firstValue(BookingController.REPLAYED_HEADER)).isEmpty();

        String time = firstSlot(ACCOUNT_OPENING);
        JsonNode appointment = book(LAYLA, appointment(time));
        assertThat(appointment.get("status").asText()).isEqualTo("upcoming");
        assertThat(appointment.get("type").asText()).isEqualTo("appointment");
        assertThat(Instant.parse(appointment.get("time").asText())).isEqualTo(Instant.parse(time));

        List<Sighting> seen = SightingsSpy.sightings(sightings);
        assertThat(seen).extracting(s -> s.ticket().id())
                .containsExactly(queued.get("id").asText(), appointment.get("id").asText());
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.externalId()).isEqualTo(LAYLA);
            assertThat(s.skiplinoCustomer()).isEqualTo(skiplinoIdOf(LAYLA));
        });
        assertThat(seen.get(1).ticket().status()).isEqualTo("upcoming");

        JsonNode fetched = http.get("/api/booking/customers/" + LAYLA + "/tickets/" + appointment.get("id").asText())
                .expect(200).json();
        assertThat(fetched.get("id")).isEqualTo(appointment.get("id"));
        assertThat(sandboxTicketIds()).containsExactlyInAnyOrder(queued.get("id").asText(), appointment.get("id").asText());
        // reading a ticket is a TICKETS call by default: the booking API's are counted under BOOKING
        assertThat(meters.find("skiplino.client.requests").tags("purpose", "BOOKING", "endpoint", "/tickets/{id}",
                "method", "GET", "status", "200").timer()).isNotNull();
    }

    @Test
    void cancelsATicketAndARepeatedCancelAnswersItAgain() {
        String id = book(LAYLA, walkIn()).get("id").asText();
        sandbox.clearStats();

        JsonNode cancelled = http.post(cancelPath(LAYLA, id), null).expect(200).json();
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.has("queueSize")).isFalse();
        JsonNode again = http.post(cancelPath(LAYLA, id), null).expect(200).json();
        assertThat(again.get("status").asText()).isEqualTo("cancelled");

        assertThat(sandbox.stats()).containsEntry("POST /tickets/{id}/cancel 200", 1L)
                .doesNotContainKey("POST /tickets/{id}/cancel 409");
        assertThat(SightingsSpy.sightings(sightings)).extracting(s -> s.ticket().status())
                .containsExactly("waiting", "cancelled", "cancelled");
    }

    @Test
    void reschedulesAnAppointmentAndFreesItsOldSlot() {
        JsonNode slots = http.get("/api/booking/services/" + ACCOUNT_OPENING + "/slots?date=" + tomorrow()).expect(200).json();
        String from = slots.at("/slots/0/time").asText();
        String to = slots.at("/slots/1/time").asText();
        String id = book(LAYLA, appointment(from)).get("id").asText();

        JsonNode moved = http.post("/api/booking/customers/" + LAYLA + "/tickets/" + id + "/reschedule",
                Map.of("time", to)).expect(200).json();

        assertThat(moved.get("id").asText()).isEqualTo(id);
        assertThat(Instant.parse(moved.get("time").asText())).isEqualTo(Instant.parse(to));
        Sighting last = SightingsSpy.sightings(sightings).get(SightingsSpy.sightings(sightings).size() - 1);
        assertThat(last.ticket().id()).isEqualTo(id);
        assertThat(last.ticket().time()).isEqualTo(Instant.parse(to));
        JsonNode after = http.get("/api/booking/services/" + ACCOUNT_OPENING + "/slots?date=" + tomorrow()).expect(200).json();
        assertThat(after.at("/slots/0/remaining").asInt()).isEqualTo(3);
        assertThat(after.at("/slots/1/remaining").asInt()).isEqualTo(2);
    }

    @Test
    void cancellingAServedTicketIsAConflictWithSkiplinosReason() {
        http.send("POST", "/sandbox/control/skiplino/activity", Map.of("Content-Type", "application/json"),
                Map.of("tickets", 1, "externalIds", List.of(LAYLA), "appointmentShare", 0, "cancelShare", 0,
                        "dwellMs", Map.of("min", 0, "max", 10), "bookingIntervalMs", Map.of("min", 0, "max", 0)))
                .expect(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                http.send("GET", "/sandbox/control/skiplino/activity", Map.of(), null).json().get("served").asInt() == 1);
        String id = sandboxTicketIds().get(0);
        sandbox.clearStats();

        BookingHttp.Response refused = http.post(cancelPath(LAYLA, id), null);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        JsonNode problem = refused.json();
        assertThat(problem.get("detail").asText()).contains("Only waiting or upcoming tickets can be cancelled")
                .contains("served");
        assertThat(problem.at("/skiplino/status").asInt()).isEqualTo(409);
        assertThat(problem.at("/skiplino/reason").asText()).contains("this ticket is served");
        assertThat(problem.get("ticketStatus").asText()).isEqualTo("served");
        assertThat(sandbox.stats()).containsEntry("POST /tickets/{id}/cancel 409", 1L);
    }

    @Test
    void aPastOrUnavailableSlotIsUnprocessableNamingTheField() {
        String past = Instant.now().minus(Duration.ofHours(1)).toString();
        sandbox.clearStats();
        BookingHttp.Response local = http.post(ticketsPath(LAYLA), appointment(past));
        assertThat(local.status()).isEqualTo(422);
        assertThat(local.json().at("/errors/0/pointer").asText()).isEqualTo("/time");
        assertThat(local.json().at("/errors/0/detail").asText()).isEqualTo("must be in the future");

        String notASlot = ZonedDateTime.of(tomorrow(), LocalTime.of(8, 10), COMPANY_ZONE).toInstant().toString();
        BookingHttp.Response skiplino = http.post(ticketsPath(LAYLA), appointment(notASlot));
        assertThat(skiplino.status()).isEqualTo(422);
        assertThat(skiplino.contentType()).startsWith("application/problem+json");
        assertThat(skiplino.json().at("/errors/0/pointer").asText()).isEqualTo("/time");
        assertThat(skiplino.json().at("/errors/0/detail").asText()).isEqualTo("This time is not an available slot of the service.");
        assertThat(skiplino.json().at("/skiplino/fields/time").isTextual()).isTrue();
        assertThat(sandbox.stats()).containsEntry("POST /tickets/book 422", 1L);

        LocalDate yesterday = LocalDate.now(COMPANY_ZONE).minusDays(1);
        BookingHttp.Response pastDate = http.get("/api/booking/services/" + ACCOUNT_OPENING + "/slots?date=" + yesterday);
        assertThat(pastDate.status()).isEqualTo(422);
        assertThat(pastDate.json().at("/errors/0/parameter").asText()).isEqualTo("date");

        BookingHttp.Response walkInService = http.get("/api/booking/services/" + CASH_WITHDRAWAL + "/slots");
        assertThat(walkInService.status()).isEqualTo(422);
        assertThat(walkInService.json().at("/errors/0/parameter").asText()).isEqualTo("serviceId");
        assertThat(walkInService.json().at("/errors/0/detail").asText())
                .isEqualTo("This service does not support appointment booking.");
    }

    @Test
    void unknownTicketsServicesAndBranchesAreNotFound() {
        assertNotFound(http.get("/api/booking/customers/" + LAYLA + "/tickets/zzzzzzzzzz"), "Ticket zzzzzzzzzz");
        assertNotFound(http.post(cancelPath(LAYLA, "zzzzzzzzzz"), null), "Ticket zzzzzzzzzz");
        assertNotFound(http.post("/api/booking/customers/" + LAYLA + "/tickets/zzzzzzzzzz/reschedule",
                Map.of("time", firstSlot(ACCOUNT_OPENING))), "Ticket zzzzzzzzzz");
        assertNotFound(http.get("/api/booking/services/0000000000/slots"), "Service 0000000000");
        assertNotFound(http.post(ticketsPath(LAYLA), Map.of("serviceId", "0000000000", "groupOfServiceId", TELLER_GROUP)),
                "Service 0000000000");
        assertNotFound(http.get("/api/booking/branches/0000000000/services"), "Branch 0000000000");
    }

    @Test
    void anotherCustomersTicketIsNotFoundAndLeftAlone() {
        String omars = book(OMAR, walkIn()).get("id").asText();
        sandbox.clearStats();

        assertNotFound(http.post(cancelPath(LAYLA, omars), null), "not a ticket of customer " + LAYLA);
        assertNotFound(http.get("/api/booking/customers/" + LAYLA + "/tickets/" + omars), "not a ticket of customer");

        assertThat(sandbox.count("POST", "/tickets/{id}/cancel")).isZero();
        assertThat(http.get("/api/booking/customers/" + OMAR + "/tickets/" + omars).expect(200).json().get("status").asText())
                .isEqualTo("waiting");
    }

    @Test
    void anUnknownCustomerIsNotFoundAndAnUnsyncedOneAConflict() {
        sandbox.clearStats();
        BookingHttp.Response unknown = http.post(ticketsPath("crm-nobody"), walkIn());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("crm-nobody").contains("unknown to the bridge");

        jdbc.update("INSERT INTO customer_sync (external_id, updated_at) VALUES ('crm-pending', CURRENT_TIMESTAMP)");
        BookingHttp.Response pending = http.post(ticketsPath("crm-pending"), walkIn());
        assertThat(pending.status()).isEqualTo(409);
        assertThat(pending.contentType()).startsWith("application/problem+json");
        assertThat(pending.json().get("detail").asText()).contains("not yet synced");

        assertThat(sandbox.count("POST", "/tickets/book")).isZero();
    }

    @Test
    void aBusinessRuleRefusalIsAConflictWithSkiplinosLocalisedReason() {
        BookingHttp.Response closed = http.post(ticketsPath(LAYLA),
                Map.of("serviceId", "3a9d2e7f40", "groupOfServiceId", TELLER_GROUP));
        assertThat(closed.status()).isEqualTo(409);
        assertThat(closed.json().get("detail").asText()).isEqualTo("Skiplino refused to book a ticket: The service is closed.");
        assertThat(closed.json().at("/skiplino/status").asInt()).isEqualTo(400);
        assertThat(closed.json().at("/skiplino/reason").asText()).isEqualTo("The service is closed.");
    }

    @Test
    void anUnavailableSkiplinoIs503WithRetryAfter() {
        try {
            sandbox.setFaults(Map.of("errorRate", 1.0, "errorStatus", 503, "retryAfterSeconds", 7, "pathPrefix", "/branches"));
            BookingHttp.Response told = http.get("/api/booking/branches");
            assertThat(told.status()).isEqualTo(503);
            assertThat(told.contentType()).startsWith("application/problem+json");
            assertThat(told.headers().firstValue("Retry-After")).contains("7");
            assertThat(told.json().at("/skiplino/status").asInt()).isEqualTo(503);

            sandbox.setFaults(Map.of("errorRate", 1.0, "errorStatus", 500, "pathPrefix", "/branches"));
            BookingHttp.Response untold = http.get("/api/booking/branches");
            assertThat(untold.status()).isEqualTo(503);
            assertThat(untold.headers().firstValue("Retry-After")).contains("4");
        } finally {
            sandbox.clearFaults();
        }
    }

    @Test
    void anUnreadableAnswerIs502() {
        try {
            sandbox.setFaults(Map.of("bodyFault", "html", "pathPrefix", "/branches"));
            BookingHttp.Response garbage = http.get("/api/booking/branches");
            assertThat(garbage.status()).isEqualTo(502);
            assertThat(garbage.contentType()).startsWith("application/problem+json");
            assertThat(garbage.json().at("/skiplino/failure").asText()).isEqualTo("INVALID_RESPONSE");
        } finally {
            sandbox.clearFaults();
        }
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndNothingIsSent() {
        String booking = ticketsPath(LAYLA);
        sandbox.clearStats();

        assertBad(http.post(booking, "{\"serviceId\": "), 400, "pointer", "");
        assertBad(http.post(booking, "[1, 2]"), 400, "pointer", "");
        assertBad(http.post(booking, Map.of("groupOfServiceId", TELLER_GROUP)), 400, "pointer", "/serviceId");
        assertBad(http.post(booking, Map.of("serviceId", 42, "groupOfServiceId", TELLER_GROUP)), 400, "pointer", "/serviceId");
        assertBad(http.post(booking, Map.of("serviceId", CASH_WITHDRAWAL, "groupOfServiceId", TELLER_GROUP, "tme", "x")),
                400, "pointer", "/tme");
        assertBad(http.post(booking, Map.of("serviceId", CASH_WITHDRAWAL, "groupOfServiceId", TELLER_GROUP,
                "customerId", "9f2c8b7a4e1d6c3f0a5b8e2d7c4f1a9b")), 400, "pointer", "/customerId");
        assertBad(http.post(booking, Map.of("serviceId", ACCOUNT_OPENING, "groupOfServiceId", CUSTOMER_SERVICE_GROUP,
                "time", "tomorrow at nine")), 400, "pointer", "/time");
        assertBad(http.post(booking, Map.of("serviceId", CASH_WITHDRAWAL, "groupOfServiceId", TELLER_GROUP,
                "location", Map.of("lat", 200, "lng", 50))), 422, "pointer", "/location/lat");
        assertBad(http.post(booking, Map.of("serviceId", CASH_WITHDRAWAL, "groupOfServiceId", TELLER_GROUP,
                "options", "savings")), 400, "pointer", "/options");
        assertBad(http.post(booking, walkIn(), Map.of("Idempotency-Key", "k".repeat(256))), 400, "parameter", "Idempotency-Key");
        assertBad(http.post("/api/booking/customers/" + LAYLA + "/tickets/abcdefghij/reschedule", Map.of()),
                400, "pointer", "/time");
        assertBad(http.get("/api/booking/services/" + ACCOUNT_OPENING + "/slots?date=01-07-2026"), 400, "parameter", "date");
        assertBad(http.get("/api/booking/services/" + ACCOUNT_OPENING + "/slots?date=2020-01-01"), 422, "parameter", "date");
        assertBad(http.get("/api/booking/customers/" + LAYLA + "/tickets/a%20b"), 400, "parameter", "ticketId");

        BookingHttp.Response several = http.post(booking, Map.of("time", "soon", "location", Map.of("lat", 1)));
        assertThat(several.status()).isEqualTo(400);
        assertThat(several.json().findValuesAsText("pointer"))
                .contains("/serviceId", "/groupOfServiceId", "/time", "/location/lng");

        BookingHttp.Response text = http.send("POST", booking, Map.of("Authorization", "Bearer " + TOKEN,
                "Content-Type", "text/plain"), BookingHttp.write(walkIn()));
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.contentType()).startsWith("application/problem+json");

        assertThat(bookingCalls()).isEmpty();
        assertThat(SightingsSpy.sightings(sightings)).isEmpty();
    }

    @Test
    void withoutTheTokenNothingIsAnsweredOrSent() {
        sandbox.clearStats();
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer wrong-token-123456"),
                Map.of("Authorization", "Basic " + TOKEN), Map.of("Authorization", TOKEN))) {
            for (String[] call : List.of(new String[] {"GET", "/api/booking/branches"},
                    new String[] {"POST", ticketsPath(LAYLA)}, new String[] {"GET", "/api/booking/nowhere"},
                    new String[] {"DELETE", "/api/booking/branches"})) {
                Map<String, String> all = new HashMap<>(headers);
                all.put("Content-Type", "application/json");
                BookingHttp.Response refused = http.send(call[0], call[1], all, "POST".equals(call[0]) ? walkIn() : null);
                assertThat(refused.status()).as(call[0] + " " + call[1] + " with " + headers.keySet()).isEqualTo(401);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"booking\"");
                assertThat(refused.body()).doesNotContain(TOKEN).doesNotContain("wrong-token");
            }
        }
        assertThat(bookingCalls()).isEmpty();
    }

    private List<String> sandboxTicketIds() {
        List<String> ids = new ArrayList<>();
        http.send("GET", "/sandbox/control/skiplino/tickets", Map.of(), null).expect(200).json()
                .forEach(ticket -> ids.add(ticket.get("id").asText()));
        return ids;
    }

    private static JsonNode find(JsonNode array, String id) {
        for (JsonNode element : array) {
            if (id.equals(element.path("id").asText())) {
                return element;
            }
        }
        throw new AssertionError(id + " not in " + array);
    }

    private static String ticketsPath(String externalId) {
        return "/api/booking/customers/" + externalId + "/tickets";
    }

    private static String cancelPath(String externalId, String ticketId) {
        return ticketsPath(externalId) + "/" + ticketId + "/cancel";
    }

    private static void assertNotFound(BookingHttp.Response response, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).contains(detail);
    }

    private static void assertBad(BookingHttp.Response response, int status, String kind, String name) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsText(kind)).as(response.body()).contains(name);
    }
}
