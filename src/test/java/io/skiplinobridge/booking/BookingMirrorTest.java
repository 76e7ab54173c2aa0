package io.skiplinobridge.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5's booking acceptance point: booking, rescheduling and cancelling through the bridge show up in
 * the CRM sandbox (Salesforce {@code Skiplino_Ticket__c}) within one second, through the real ticket
 * mirror, outbox route and camel-salesforce component, without waiting for a discovery poll.
 */
class BookingMirrorTest extends BookingSpringTestBase {

    private static final Logger log = LoggerFactory.getLogger(BookingMirrorTest.class);
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final DateTimeFormatter SALESFORCE_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX");

    @Test
    void bookedRescheduledAndCancelledTicketsReachTheCrmWithinOneSecond() {
        String contact = syncedContact();
        // the first delivery after start-up also logs camel-salesforce in (lazily, over a second on a busy
        // machine): wait for it without the limit, then hold every booking action to one second
        String warmUp = book(contact, walkIn()).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> crmTickets().stream()
                .anyMatch(r -> warmUp.equals(r.path("Skiplino_Ticket_Id__c").asText())));
        JsonNode slots = http.get("/api/booking/services/" + ACCOUNT_OPENING + "/slots?date=" + tomorrow()).expect(200).json();
        String first = slots.at("/slots/0/time").asText();
        String second = slots.at("/slots/1/time").asText();

        String appointment = book(contact, appointment(first)).get("id").asText();
        awaitInCrm(contact, appointment, "upcoming", first);

        http.post("/api/booking/customers/" + contact + "/tickets/" + appointment + "/reschedule", Map.of("time", second))
                .expect(200);
        awaitInCrm(contact, appointment, "upcoming", second);

        http.post("/api/booking/customers/" + contact + "/tickets/" + appointment + "/cancel", null).expect(200);
        awaitInCrm(contact, appointment, "cancelled", second);

        String walkIn = book(contact, walkIn()).get("id").asText();
        awaitInCrm(contact, walkIn, "waiting", null);

        assertThat(crmTickets().stream().filter(r -> contact.equals(r.path("Contact__c").asText()))).hasSize(3);
    }

    private void awaitInCrm(String contact, String ticketId, String status, String time) {
        long start = System.nanoTime();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            JsonNode record = crmTickets().stream()
                    .filter(r -> ticketId.equals(r.path("Skiplino_Ticket_Id__c").asText())).findFirst().orElse(null);
            assertThat(record).as("Skiplino_Ticket__c of " + ticketId).isNotNull();
            assertThat(record.path("Status__c").asText()).isEqualTo(status);
            assertThat(record.path("Contact__c").asText()).isEqualTo(contact);
            if (time == null) {
                assertThat(record.path("Appointment_Time__c").isNull() || record.path("Appointment_Time__c").isMissingNode())
                        .isTrue();
            } else {
                assertThat(instant(record.path("Appointment_Time__c").asText())).isEqualTo(Instant.parse(time));
            }
        });
        log.info("Ticket {} {} in the CRM sandbox {} ms after the booking API answered", ticketId, status,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** A contact of the Salesforce sandbox, synced to Skiplino under its Id, as the Contact poll would. */
    private String syncedContact() {
        JsonNode created = http.send("POST", "/sandbox/control/salesforce/contacts", Map.of("Content-Type", "application/json"),
                List.of(Map.of("FirstName", "Mariam", "LastName", "Saleh", "Email", "mariam.saleh@example.com")))
                .expect(201).json();
        String id = created.get(0).get("Id").asText();
        SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, WEBHOOK_SECRET);
        assertThat(crm.post(SignedWebhookClient.upsert(UUID.randomUUID().toString(), id, "Mariam Saleh",
                "mariam.saleh@example.com", null)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> skiplinoIdOf(id) != null);
        return id;
    }

    private List<JsonNode> crmTickets() {
        JsonNode records = http.send("GET", "/sandbox/control/salesforce/sobjects/Skiplino_Ticket__c", Map.of(), null)
                .expect(200).json();
        return StreamSupport.stream(records.spliterator(), false).toList();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notIso) {
            return OffsetDateTime.parse(text, SALESFORCE_DATE_TIME).toInstant();
        }
    }
}
