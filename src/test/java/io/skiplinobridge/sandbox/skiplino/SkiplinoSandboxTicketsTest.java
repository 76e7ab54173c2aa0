package io.skiplinobridge.sandbox.skiplino;

import static io.skiplinobridge.sandbox.skiplino.SandboxHttp.PUBLIC;
import static io.skiplinobridge.sandbox.skiplino.SandboxHttp.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SkiplinoSandboxTicketsTest extends SandboxApiTestSupport {

    private static final String SEEF = "802b33af66";
    private static final String TELLER = "7c1f9a3b2d";
    private static final String CASH_WITHDRAWAL = "6fe8fb8b12";
    private static final String CASH_DEPOSIT_CLOSED = "3a9d2e7f40";
    private static final String CUSTOMER_SERVICE = "4e2b8c1d95";
    private static final String ACCOUNT_OPENING = "8c4f1a6e2b";
    private static final String RIFFA_TELLER = "1f4a6c8e03";
    private static final String RIFFA_CASH_WITHDRAWAL = "b2d4f6a8c0";

    private String tomorrow;
    private String laylaId;

    @BeforeEach
    void seedCustomer() {
        tomorrow = LocalDate.now(ZoneId.of("Asia/Bahrain")).plusDays(1).toString();
        laylaId = createCustomer("{\"externalId\": \"crm-7741\", \"name\": \"Layla Hassan\"}").get("_id").asText();
    }

    @Test
    void branchesListsActiveBranchesWithTheirLiveStatusForEitherKey() {
        JsonNode body = http.api("GET", "/branches", PUBLIC, null).json();

        assertThat(body.get("message").asText()).isEqualTo("Branches fetched successfully.");
        List<String> ids = new ArrayList<>();
        body.get("data").forEach(b -> ids.add(b.get("id").asText()));
        assertThat(ids).containsExactly(SEEF, "a41c07d2e9", "5d3e8f1b70").doesNotContain("9b0e4c6a13");
        assertThat(body.get("data").get(0).get("branchStatus").get("isBranchOpen").asBoolean()).isTrue();
        assertThat(body.get("data").get(2).get("branchStatus").get("isBranchOpen").asBoolean()).isFalse();
        assertThat(http.api("GET", "/branches", SECRET, null, "ar").json().get("data").get(0).get("name").asText())
                .isEqualTo("فرع السيف مول");
        assertThat(http.api("GET", "/branches", SECRET, null, "").json().get("data").get(0).get("name").asText())
                .isEqualTo("Seef Mall Branch");
    }

    @Test
    void treeHoldsOnlyActiveServiceGroupsWithTheirActiveServices() {
        JsonNode body = http.api("GET", "/branches/" + SEEF + "/tree", PUBLIC, null).json();

        assertThat(body.get("data")).hasSize(2);
        JsonNode teller = body.get("data").get(0);
        assertThat(teller.get("id").asText()).isEqualTo(TELLER);
        assertThat(teller.get("services")).hasSize(2);
        assertThat(teller.get("services").get(0).get("isOpen").asBoolean()).isTrue();
        assertThat(teller.get("services").get(1).get("isOpen").asBoolean()).isFalse();
        JsonNode accountOpening = body.get("data").get(1).get("services").get(0);
        assertThat(accountOpening.get("id").asText()).isEqualTo(ACCOUNT_OPENING);
        assertThat(accountOpening.get("isAppointment").asBoolean()).isTrue();
        assertThat(http.api("GET", "/branches/9b0e4c6a13/tree", SECRET, null).status()).isEqualTo(422);
    }

    @Test
    void slotsListTheFreePlacesOfADayAndRejectPastDatesAndWalkInServices() {
        JsonNode slots = slots(ACCOUNT_OPENING, tomorrow);

        assertThat(slots).hasSize(24);
        assertThat(slots.get(0).get("time").asText()).isEqualTo(tomorrow + "T05:00:00.000Z");
        assertThat(slots.get(0).get("remaining").asInt()).isEqualTo(3);
        SandboxHttp.Answer past = http.api("GET", "/services/" + ACCOUNT_OPENING + "/slots?date=2020-01-01", SECRET, null);
        assertThat(past.status()).isEqualTo(422);
        assertThat(past.json().get("error").has("date")).isTrue();
        SandboxHttp.Answer walkIn = http.api("GET", "/services/" + CASH_WITHDRAWAL + "/slots", SECRET, null);
        assertThat(walkIn.status()).isEqualTo(422);
        assertThat(walkIn.json().get("error").get("id").asText()).isEqualTo("This service does not support appointment booking.");
        assertThat(http.api("GET", "/services/" + ACCOUNT_OPENING + "/slots", SECRET, null).status()).isEqualTo(200);
    }

    @Test
    void aWalkInJoinsTheQueueAndReportsLiveQueueData() {
        SandboxHttp.Answer first = book("{\"serviceId\": \"" + CASH_WITHDRAWAL + "\", \"groupOfServiceId\": \"" + TELLER
                + "\", \"customerId\": \"" + laylaId + "\"}");
        SandboxHttp.Answer second = book("{\"serviceId\": \"" + CASH_WITHDRAWAL + "\", \"groupOfServiceId\": \"" + TELLER + "\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("message").asText()).isEqualTo("Ticket booked successfully.");
        JsonNode ticket = first.json().get("data");
        assertThat(ticket.get("id").asText()).matches("[a-z0-9]{10}");
        assertThat(ticket.get("status").asText()).isEqualTo("waiting");
        assertThat(ticket.get("type").asText()).isEqualTo("sequential");
        assertThat(ticket.has("time")).isTrue();
        assertThat(ticket.get("time").isNull()).isTrue();
        assertThat(ticket.get("ticketNumber").asText()).matches("Q\\d{3}");
        assertThat(ticket.get("customer").get("id").asText()).isEqualTo(laylaId);
        assertThat(ticket.get("customer").get("name").asText()).isEqualTo("Layla Hassan");
        assertThat(ticket.get("branch").get("id").asText()).isEqualTo(SEEF);
        assertThat(ticket.get("service").get("id").asText()).isEqualTo(CASH_WITHDRAWAL);
        assertThat(ticket.get("groupOfService").get("id").asText()).isEqualTo(TELLER);
        assertThat(ticket.get("queueSize").asInt()).isZero();
        JsonNode anonymous = second.json().get("data");
        assertThat(anonymous.get("customer").isNull()).isTrue();
        assertThat(anonymous.get("queueSize").asInt()).isEqualTo(1);
        assertThat(anonymous.get("waitingTime").asInt()).isEqualTo(3);

        http.api("POST", "/tickets/" + ticket.get("id").asText() + "/cancel", SECRET, null);

        JsonNode moved = fetch(anonymous.get("id").asText());
        assertThat(moved.get("queueSize").asInt()).isZero();
    }

    @Test
    void anAppointmentTakesASlotPlaceAndIsUpcomingWithoutQueueData() {
        String time = slots(ACCOUNT_OPENING, tomorrow).get(3).get("time").asText();

        SandboxHttp.Answer booked = book(appointment(time, "\"customerExternalId\": \"crm-7741\""));

        assertThat(booked.status()).isEqualTo(201);
        assertThat(booked.json().get("message").asText()).isEqualTo("Appointment booked successfully.");
        JsonNode ticket = booked.json().get("data");
        assertThat(ticket.get("status").asText()).isEqualTo("upcoming");
        assertThat(ticket.get("type").asText()).isEqualTo("appointment");
        assertThat(ticket.get("time").asText()).isEqualTo(time);
        assertThat(ticket.get("customer").get("id").asText()).isEqualTo(laylaId);
        assertThat(ticket.get("statusAt").asText()).isEqualTo(ticket.get("bookedAt").asText());
        assertThat(ticket.has("queueSize")).isFalse();
        assertThat(ticket.has("waitingTime")).isFalse();
        assertThat(slots(ACCOUNT_OPENING, tomorrow).get(3).get("remaining").asInt()).isEqualTo(2);
    }

    @Test
    void aFullSlotDisappearsFromTheListAndBookingItIsABusinessRuleFailure() {
        String time = slots(ACCOUNT_OPENING, tomorrow).get(0).get("time").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(book(appointment(time, "\"customerId\": \"" + laylaId + "\"")).status()).isEqualTo(201);
        }

        SandboxHttp.Answer full = book(appointment(time, "\"customerId\": \"" + laylaId + "\""));

        assertThat(full.status()).isEqualTo(400);
        assertThat(full.json().get("error").asText()).isEqualTo("The selected time slot is fully booked.");
        assertThat(slots(ACCOUNT_OPENING, tomorrow).get(0).get("time").asText()).isNotEqualTo(time);
    }

    @Test
    void appointmentRequestsAreValidatedFieldByField() {
        String time = slots(ACCOUNT_OPENING, tomorrow).get(0).get("time").asText();

        assertInvalid(book(appointment(time, "\"name\": \"nobody\"")), "customerId");
        assertInvalid(book(appointment(time, "\"customerId\": \"" + laylaId + "\", \"customerExternalId\": \"crm-7741\"")),
                "customerId");
        assertInvalid(book(appointment(time.replace("Z", "+00:00"), "\"customerId\": \"" + laylaId + "\"")), "time");
        assertInvalid(book(appointment("2020-01-01T09:00:00.000Z", "\"customerId\": \"" + laylaId + "\"")), "time");
        assertInvalid(book(appointment(tomorrow + "T05:10:00.000Z", "\"customerId\": \"" + laylaId + "\"")), "time");
        assertInvalid(book(appointment(time, "\"customerExternalId\": \"nobody\"")), "customerExternalId");
        assertInvalid(book(appointment(time, "\"customerId\": \"" + laylaId + "\", \"location\": {\"lat\": 95, \"lng\": 1}")),
                "location");
        SandboxHttp.Answer walkInService = book("{\"serviceId\": \"" + CASH_WITHDRAWAL + "\", \"groupOfServiceId\": \""
                + TELLER + "\", \"time\": \"" + time + "\", \"customerId\": \"" + laylaId + "\"}");
        assertInvalid(walkInService, "serviceId");
        assertThat(walkInService.json().get("error").get("serviceId").asText())
                .isEqualTo("This service does not support appointment booking.");
        assertInvalid(book("{\"serviceId\": \"" + ACCOUNT_OPENING + "\", \"groupOfServiceId\": \"" + TELLER + "\"}"),
                "groupOfServiceId");
        assertInvalid(book("{}"), "serviceId");
        assertThat(slots(ACCOUNT_OPENING, tomorrow).get(0).get("remaining").asInt()).isEqualTo(3);
    }

    @Test
    void closedServicesAndBranchesFailAsBusinessRulesWithALocalisedReason() {
        SandboxHttp.Answer closedService = http.api("POST", "/tickets/book", SECRET,
                "{\"serviceId\": \"" + CASH_DEPOSIT_CLOSED + "\", \"groupOfServiceId\": \"" + TELLER + "\"}", "ar");
        SandboxHttp.Answer closedBranch = book("{\"serviceId\": \"" + RIFFA_CASH_WITHDRAWAL + "\", \"groupOfServiceId\": \""
                + RIFFA_TELLER + "\"}");

        assertThat(closedService.status()).isEqualTo(400);
        assertThat(closedService.json().get("error").asText()).isEqualTo("الخدمة مغلقة حالياً.");
        assertThat(closedBranch.status()).isEqualTo(400);
        assertThat(closedBranch.json().get("error").asText()).isEqualTo("The branch is closed.");
    }

    @Test
    void bookingNeedsTheSecretKey() {
        SandboxHttp.Answer answer = http.api("POST", "/tickets/book", PUBLIC,
                "{\"serviceId\": \"" + CASH_WITHDRAWAL + "\", \"groupOfServiceId\": \"" + TELLER + "\"}");

        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void fetchAnswersTheTicketAndUnknownIdsAre422() {
        String id = walkIn();

        SandboxHttp.Answer fetched = http.api("GET", "/tickets/" + id, PUBLIC, null);

        assertThat(fetched.json().get("message").asText()).isEqualTo("Ticket fetched successfully.");
        assertThat(fetched.json().get("data").get("id").asText()).isEqualTo(id);
        assertInvalid(http.api("GET", "/tickets/zzzzzzzzzz", SECRET, null), "id");
    }

    @Test
    void cancelWorksFromWaitingOrUpcomingOnlyAndARepeatIs409() {
        String walkIn = walkIn();
        String time = slots(ACCOUNT_OPENING, tomorrow).get(0).get("time").asText();
        String appointment = book(appointment(time, "\"customerId\": \"" + laylaId + "\"")).json().get("data").get("id").asText();

        SandboxHttp.Answer cancelled = http.api("POST", "/tickets/" + walkIn + "/cancel", SECRET, null);
        SandboxHttp.Answer again = http.api("POST", "/tickets/" + walkIn + "/cancel", SECRET, null);
        SandboxHttp.Answer upcoming = http.api("POST", "/tickets/" + appointment + "/cancel", SECRET, null);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("message").asText()).isEqualTo("Ticket cancelled successfully.");
        assertThat(cancelled.json().get("data").get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("data").has("queueSize")).isFalse();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).contains("cancelled");
        assertThat(upcoming.status()).isEqualTo(200);
        assertThat(slots(ACCOUNT_OPENING, tomorrow).get(0).get("remaining").asInt()).isEqualTo(3);
        assertInvalid(http.api("POST", "/tickets/zzzzzzzzzz/cancel", SECRET, null), "id");
    }

    @Test
    void changeTimeMovesAnUpcomingAppointmentToAnotherSlot() {
        JsonNode slots = slots(ACCOUNT_OPENING, tomorrow);
        String from = slots.get(0).get("time").asText();
        String to = slots.get(5).get("time").asText();
        JsonNode booked = book(appointment(from, "\"customerId\": \"" + laylaId + "\"")).json().get("data");
        String id = booked.get("id").asText();

        SandboxHttp.Answer changed = http.api("POST", "/tickets/" + id + "/change-time", SECRET,
                "{\"time\": \"" + to + "\", \"customerExternalId\": \"crm-7741\"}");

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("message").asText()).isEqualTo("Ticket updated successfully.");
        assertThat(changed.json().get("data").get("time").asText()).isEqualTo(to);
        assertThat(changed.json().get("data").get("status").asText()).isEqualTo("upcoming");
        JsonNode after = slots(ACCOUNT_OPENING, tomorrow);
        assertThat(after.get(0).get("remaining").asInt()).isEqualTo(3);
        assertThat(after.get(5).get("remaining").asInt()).isEqualTo(2);
    }

    @Test
    void changeTimeRejectsWalkInsOtherCustomersBadTimesAndFinishedTickets() {
        String otherId = createCustomer("{\"externalId\": \"crm-2\"}").get("_id").asText();
        String time = slots(ACCOUNT_OPENING, tomorrow).get(1).get("time").asText();
        String appointment = book(appointment(slots(ACCOUNT_OPENING, tomorrow).get(0).get("time").asText(),
                "\"customerId\": \"" + laylaId + "\"")).json().get("data").get("id").asText();

        assertInvalid(changeTime(walkIn(), "{\"time\": \"" + time + "\", \"customerId\": \"" + laylaId + "\"}"), "id");
        assertInvalid(changeTime(appointment, "{\"time\": \"" + time + "\", \"customerId\": \"" + otherId + "\"}"), "customerId");
        assertInvalid(changeTime(appointment, "{\"time\": \"" + time + "\"}"), "customerId");
        assertInvalid(changeTime(appointment, "{\"customerId\": \"" + laylaId + "\"}"), "time");
        assertInvalid(changeTime(appointment, "{\"time\": \"2020-01-01T09:00:00.000Z\", \"customerId\": \"" + laylaId + "\"}"),
                "time");
        assertInvalid(changeTime("zzzzzzzzzz", "{\"time\": \"" + time + "\", \"customerId\": \"" + laylaId + "\"}"), "id");
        http.api("POST", "/tickets/" + appointment + "/cancel", SECRET, null);
        assertInvalid(changeTime(appointment, "{\"time\": \"" + time + "\", \"customerId\": \"" + laylaId + "\"}"), "id");
    }

    @Test
    void customerTicketsAreNewestFirstPagedByAtMostTenAndSurviveTheCustomersDeletion() {
        List<String> booked = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            booked.add(walkIn());
        }

        JsonNode first = http.api("GET", "/customers/tickets?externalId=crm-7741&limit=10", PUBLIC, null).json();
        JsonNode second = http.api("GET", "/customers/tickets?id=" + laylaId + "&page=2&limit=10", SECRET, null).json();

        assertThat(first.get("message").asText()).isEqualTo("Customer tickets fetched successfully.");
        assertThat(first.get("data")).hasSize(10);
        assertThat(first.get("data").get(0).get("id").asText()).isEqualTo(booked.get(11));
        assertThat(first.get("pagination").get("total").asInt()).isEqualTo(12);
        assertThat(first.get("pagination").get("hasNextPage").asBoolean()).isTrue();
        assertThat(second.get("data")).hasSize(2);
        assertThat(second.get("data").get(1).get("id").asText()).isEqualTo(booked.get(0));
        assertInvalid(http.api("GET", "/customers/tickets?externalId=crm-7741&limit=11", SECRET, null), "limit");

        http.api("DELETE", "/customers/delete?externalId=crm-7741", SECRET, null);

        assertInvalid(http.api("GET", "/customers/tickets?externalId=crm-7741", SECRET, null), "externalId");
        assertThat(fetch(booked.get(0)).get("customer").get("id").asText()).isEqualTo(laylaId);
    }

    private String walkIn() {
        SandboxHttp.Answer answer = book("{\"serviceId\": \"" + CASH_WITHDRAWAL + "\", \"groupOfServiceId\": \"" + TELLER
                + "\", \"customerId\": \"" + laylaId + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("data").get("id").asText();
    }

    private static String appointment(String time, String customerFields) {
        return "{\"serviceId\": \"" + ACCOUNT_OPENING + "\", \"groupOfServiceId\": \"" + CUSTOMER_SERVICE
                + "\", \"time\": \"" + time + "\", " + customerFields + "}";
    }

    private SandboxHttp.Answer book(String body) {
        return http.api("POST", "/tickets/book", SECRET, body);
    }

    private SandboxHttp.Answer changeTime(String id, String body) {
        return http.api("POST", "/tickets/" + id + "/change-time", SECRET, body);
    }

    private JsonNode slots(String serviceId, String date) {
        SandboxHttp.Answer answer = http.api("GET", "/services/" + serviceId + "/slots?date=" + date, SECRET, null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("message").asText()).isEqualTo("Slots fetched successfully.");
        return answer.json().get("data");
    }

    private JsonNode fetch(String id) {
        SandboxHttp.Answer answer = http.api("GET", "/tickets/" + id, SECRET, null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("data");
    }

    private static void assertInvalid(SandboxHttp.Answer answer, String field) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.json().get("error").has(field)).as(answer.body()).isTrue();
    }
}
