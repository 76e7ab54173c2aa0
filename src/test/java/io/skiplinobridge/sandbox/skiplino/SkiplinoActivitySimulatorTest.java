package io.skiplinobridge.sandbox.skiplino;

import static io.skiplinobridge.sandbox.skiplino.SandboxHttp.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SkiplinoActivitySimulatorTest extends SandboxApiTestSupport {

    private static final long MIN_DWELL_MS = 600;

    @Test
    void everyTicketRunsItsLifecycleToAFinalStateAndAPollerSeesEveryStatus() {
        for (int i = 1; i <= 3; i++) {
            createCustomer("{\"externalId\": \"crm-" + i + "\", \"name\": \"Customer " + i + "\"}");
        }
        Map<String, List<JsonNode>> seen = new LinkedHashMap<>();

        SandboxHttp.Answer started = http.control("POST", "/activity", """
                {"tickets": 8, "appointmentShare": 0.5, "cancelShare": 0.25, "seed": 7,
                 "dwellMs": {"min": %d, "max": %d}, "bookingIntervalMs": {"min": 0, "max": 50}}"""
                .formatted(MIN_DWELL_MS, MIN_DWELL_MS + 100));

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(started.json().get("requested").asInt()).isEqualTo(8);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            recordStatuses(seen);
            return http.control("GET", "/activity", null).json().get("finished").asBoolean();
        });
        recordStatuses(seen);

        JsonNode progress = http.control("GET", "/activity", null).json();
        assertThat(progress.get("running").asBoolean()).isFalse();
        assertThat(progress.get("booked").asInt()).isEqualTo(8);
        assertThat(progress.get("served").asInt() + progress.get("cancelled").asInt()).isEqualTo(8);
        assertThat(seen).hasSize(8);
        for (List<JsonNode> versions : seen.values()) {
            List<String> statuses = versions.stream().map(v -> v.get("status").asText()).toList();
            String last = statuses.get(statuses.size() - 1);
            assertThat(last).isIn("served", "cancelled");
            boolean appointment = "appointment".equals(versions.get(0).get("type").asText());
            List<String> lifecycle = appointment
                    ? List.of("upcoming", "waiting", "serving", "served")
                    : List.of("waiting", "serving", "served");
            if ("served".equals(last)) {
                assertThat(statuses).as("statuses seen of a served ticket").containsExactlyElementsOf(lifecycle);
            } else {
                assertThat(statuses.subList(0, statuses.size() - 1)).isSubsetOf("upcoming", "waiting");
            }
            for (int i = 1; i < versions.size(); i++) {
                Instant previous = Instant.parse(versions.get(i - 1).get("statusAt").asText());
                Instant next = Instant.parse(versions.get(i).get("statusAt").asText());
                assertThat(Duration.between(previous, next).toMillis()).isGreaterThanOrEqualTo(MIN_DWELL_MS);
            }
            assertThat(versions.get(0).get("customer").get("id").asText()).matches("[0-9a-f]{32}");
        }
        assertThat(progress.get("transitions").asLong()).isEqualTo(
                seen.values().stream().mapToLong(v -> v.size() - 1).sum());
    }

    @Test
    void ticketsOfADeletedCustomerAreKeptAndStillFinish() {
        createCustomer("{\"externalId\": \"crm-1\"}");
        http.control("POST", "/activity", """
                {"tickets": 3, "externalIds": ["crm-1"], "appointmentShare": 0, "cancelShare": 0,
                 "dwellMs": {"min": 300, "max": 300}, "bookingIntervalMs": {"min": 0, "max": 0}}""");
        await().atMost(Duration.ofSeconds(30)).until(
                () -> http.control("GET", "/activity", null).json().get("booked").asInt() == 3);

        assertThat(http.api("DELETE", "/customers/delete?externalId=crm-1", SECRET, null).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(
                () -> http.control("GET", "/activity", null).json().get("finished").asBoolean());
        JsonNode tickets = http.control("GET", "/tickets", null).json();
        assertThat(tickets).hasSize(3);
        for (JsonNode ticket : tickets) {
            JsonNode fetched = http.api("GET", "/tickets/" + ticket.get("id").asText(), SECRET, null).json().get("data");
            assertThat(fetched.get("status").asText()).isEqualTo("served");
        }
    }

    @Test
    void aClientsCancelWinsOverTheSimulation() {
        createCustomer("{\"externalId\": \"crm-1\"}");
        http.control("POST", "/activity", """
                {"tickets": 1, "appointmentShare": 0, "cancelShare": 0,
                 "dwellMs": {"min": 3000, "max": 3000}, "bookingIntervalMs": {"min": 0, "max": 0}}""");
        await().atMost(Duration.ofSeconds(30)).until(() -> http.control("GET", "/tickets", null).json().size() == 1);
        String id = http.control("GET", "/tickets", null).json().get(0).get("id").asText();

        assertThat(http.api("POST", "/tickets/" + id + "/cancel", SECRET, null).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(
                () -> http.control("GET", "/activity", null).json().get("finished").asBoolean());
        assertThat(http.api("GET", "/tickets/" + id, SECRET, null).json().get("data").get("status").asText())
                .isEqualTo("cancelled");
        assertThat(http.control("GET", "/activity", null).json().get("served").asInt()).isZero();
    }

    @Test
    void eachCustomerOnceBooksOneTicketForEveryListedCustomer() {
        List<String> listed = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            createCustomer("{\"externalId\": \"crm-" + i + "\"}");
            if (i <= 10) {
                listed.add("\"crm-" + i + "\"");
            }
        }
        assertThat(http.control("POST", "/activity", """
                {"tickets": 11, "externalIds": [%s], "eachCustomerOnce": true}""".formatted(String.join(", ", listed)))
                .status()).as("more tickets than customers").isEqualTo(422);

        assertThat(http.control("POST", "/activity", """
                {"tickets": 10, "externalIds": [%s], "eachCustomerOnce": true, "seed": 3,
                 "dwellMs": {"min": 60000, "max": 60000}, "bookingIntervalMs": {"min": 0, "max": 0}}"""
                .formatted(String.join(", ", listed))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> http.control("GET", "/activity", null).json().get("booked").asInt() == 10);

        List<String> customersBookedFor = new ArrayList<>();
        http.control("GET", "/tickets/history", null).json()
                .forEach(t -> customersBookedFor.add(t.get("customerId").asText()));
        List<String> listedIds = new ArrayList<>();
        http.control("GET", "/customers", null).json().forEach(c -> {
            if (listed.contains("\"" + c.get("externalId").asText() + "\"")) {
                listedIds.add(c.get("_id").asText());
            }
        });
        assertThat(customersBookedFor).containsExactlyInAnyOrderElementsOf(listedIds);
        http.control("DELETE", "/activity", null);
    }

    @Test
    void badActivityRequestsAreProblemsAndStartNothing() {
        assertThat(http.control("POST", "/activity", "{\"tickets\": 0}").status()).isEqualTo(400);
        assertThat(http.control("POST", "/activity", "{\"tickets\": 2, \"cancelShare\": 3}").status()).isEqualTo(400);
        assertThat(http.control("POST", "/activity", "{\"tickets\": 2}").status()).as("no customers").isEqualTo(422);
        createCustomer("{\"externalId\": \"crm-1\"}");
        assertThat(http.control("POST", "/activity", "{\"tickets\": 2, \"externalIds\": [\"nobody\"]}").status())
                .isEqualTo(422);
        assertThat(http.control("GET", "/tickets", null).json()).isEmpty();

        assertThat(http.control("POST", "/activity", """
                {"tickets": 2, "dwellMs": {"min": 60000, "max": 60000}}""").status()).isEqualTo(202);
        assertThat(http.control("POST", "/activity", "{\"tickets\": 2}").status()).isEqualTo(409);
        assertThat(http.control("DELETE", "/activity", null).status()).isEqualTo(204);
        assertThat(http.control("GET", "/activity", null).json().get("running").asBoolean()).isFalse();
    }

    /** One poll of every ticket, keeping each version whose status differs from the last one seen. */
    private void recordStatuses(Map<String, List<JsonNode>> seen) {
        for (JsonNode ticket : http.control("GET", "/tickets", null).json()) {
            List<JsonNode> versions = seen.computeIfAbsent(ticket.get("id").asText(), k -> new ArrayList<>());
            if (versions.isEmpty() || !versions.get(versions.size() - 1).get("status").equals(ticket.get("status"))) {
                versions.add(ticket);
            }
        }
    }
}
