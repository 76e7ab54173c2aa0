package io.skiplinobridge.crm;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.delete;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.testsupport.SignedWebhookClient.Request;
import io.skiplinobridge.testsupport.SignedWebhookClient.Response;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import io.skiplinobridge.testsupport.SqlValues;
import io.skiplinobridge.testsupport.StoreTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@CrmWebhookSpringTest
@ExtendWith(OutputCaptureExtension.class)
@StoreTest
class CrmEventsEndpointTest {

    private static final int MIB = 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ObjectMapper json;

    SignedWebhookClient crm;

    @BeforeEach
    void client() {
        crm = SignedWebhookClient.forLocalPort(port, CrmWebhookSpringTest.CURRENT);
    }

    private static String unique(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> validUpsert(String eventId, String externalId) {
        return upsert(eventId, externalId, "Layla Hassan", "layla.hassan@example.com", "+973 3344 5566");
    }

    private int storedRows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event", Integer.class)
                + jdbc.queryForObject("SELECT COUNT(*) FROM customer_sync", Integer.class);
    }

    private List<Map<String, Object>> rowsOf(String eventId) {
        return jdbc.queryForList("SELECT * FROM inbox_event WHERE source = 'WEBHOOK' AND event_id = ?", eventId);
    }

    private static void assertAccepted(Response response, int accepted, int duplicates) {
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().path("accepted").asInt(-1)).isEqualTo(accepted);
        assertThat(response.json().path("duplicates").asInt(-1)).isEqualTo(duplicates);
        assertThat(response.json().size()).isEqualTo(2);
    }

    /** Sends the request and checks the RFC 9457 answer, and that nothing at all was stored. */
    private JsonNode assertRejected(Request request, int status, String reason) {
        int before = storedRows();
        Response response = request.send();
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("reason").asText()).isEqualTo(reason);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("instance").asText()).isEqualTo("/api/crm/events");
        assertThat(storedRows()).as("rows stored by a rejected request").isEqualTo(before);
        return problem;
    }

    private static List<String> pointers(JsonNode problem) {
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(error -> pointers.add(error.path("pointer").asText()));
        return pointers;
    }

    // ---- accepted ---------------------------------------------------------------------------------

    @Test
    void storesOneEventDurablyBeforeAnswering202() throws Exception {
        String eventId = unique("evt");
        String externalId = unique("crm");
        Instant occurredAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> metadata = Map.of("tier", "gold");

        Response response = crm.post(upsert(eventId, occurredAt,
                customer(externalId, "Layla Hassan", "layla.hassan@example.com", "+973 3344 5566", metadata)));

        assertAccepted(response, 1, 0);
        assertThat(rowsOf(eventId)).singleElement().satisfies(row -> {
            assertThat(row.get("EXTERNAL_ID")).isEqualTo(externalId);
            assertThat(row.get("CHANGE_TYPE")).isEqualTo("UPSERT");
            assertThat(row.get("STATUS")).isEqualTo("PENDING");
            assertThat(SqlValues.instant(row.get("SOURCE_TS"))).isEqualTo(occurredAt);
            JsonNode payload = readJson((String) row.get("PAYLOAD"));
            assertThat(payload.path("externalId").asText()).isEqualTo(externalId);
            assertThat(payload.path("name").asText()).isEqualTo("Layla Hassan");
            assertThat(payload.path("email").asText()).isEqualTo("layla.hassan@example.com");
            assertThat(payload.path("mobile").asText()).isEqualTo("+973 3344 5566");
            assertThat(payload.path("metadata").path("tier").asText()).isEqualTo("gold");
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_sync WHERE external_id = ? AND due_at IS NOT NULL",
                Integer.class, externalId)).isEqualTo(1);
    }

    @Test
    void storesABatchOfUpsertsAndDeletes() {
        String first = unique("evt");
        String second = unique("evt");
        String gone = unique("evt");
        String goneCustomer = unique("crm");

        Response response = crm.post(batch(List.of(validUpsert(first, unique("crm")),
                validUpsert(second, unique("crm")), delete(gone, goneCustomer))));

        assertAccepted(response, 3, 0);
        assertThat(rowsOf(first)).hasSize(1);
        assertThat(rowsOf(second)).hasSize(1);
        assertThat(rowsOf(gone)).singleElement().satisfies(row -> {
            assertThat(row.get("CHANGE_TYPE")).isEqualTo("DELETE");
            assertThat(row.get("EXTERNAL_ID")).isEqualTo(goneCustomer);
            assertThat(row.get("PAYLOAD")).isNull();
        });
    }

    @Test
    void marksEveryCustomerOfABatchDueAndLeavesARunningBackoffAlone() {
        String synced = unique("crm");
        String backingOff = unique("crm");
        String firstSeen = unique("crm");
        assertAccepted(crm.post(batch(List.of(validUpsert(unique("evt"), synced),
                validUpsert(unique("evt"), backingOff)))), 2, 0);
        // as the sync leaves them: one applied (nothing due), one waiting out a retry backoff
        Instant retryAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        jdbc.update("UPDATE customer_sync SET due_at = NULL WHERE external_id = ?", synced);
        jdbc.update("UPDATE customer_sync SET due_at = ? WHERE external_id = ?",
                OffsetDateTime.ofInstant(retryAt, ZoneOffset.UTC), backingOff);
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertAccepted(crm.post(batch(List.of(validUpsert(unique("evt"), backingOff),
                validUpsert(unique("evt"), firstSeen), validUpsert(unique("evt"), synced)))), 3, 0);

        assertThat(dueAt(synced)).isBetween(sent, Instant.now());
        assertThat(dueAt(firstSeen)).isBetween(sent, Instant.now());
        assertThat(dueAt(backingOff)).as("the backoff's time, not now").isEqualTo(retryAt);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_sync WHERE external_id IN (?, ?, ?)",
                Integer.class, synced, backingOff, firstSeen)).isEqualTo(3);
    }

    private Instant dueAt(String externalId) {
        return SqlValues.instant(jdbc.queryForObject("SELECT due_at FROM customer_sync WHERE external_id = ?",
                Object.class, externalId));
    }

    @Test
    void countsAnEventSeenBeforeAsADuplicateAndKeepsTheFirst() {
        String eventId = unique("evt");
        String externalId = unique("crm");
        assertAccepted(crm.post(upsert(eventId, externalId, "First", null, null)), 1, 0);

        // a redelivery: new webhook-id and timestamp, same event id, even with different content
        Response again = crm.post(upsert(eventId, externalId, "Changed", null, null));

        assertAccepted(again, 0, 1);
        assertThat(rowsOf(eventId)).singleElement()
                .satisfies(row -> assertThat(readJson((String) row.get("PAYLOAD")).path("name").asText()).isEqualTo("First"));
    }

    @Test
    void countsRepeatedIdsInsideABatchAndAlreadyStoredOnesAsDuplicates() {
        String stored = unique("evt");
        assertAccepted(crm.post(validUpsert(stored, unique("crm"))), 1, 0);
        String fresh = unique("evt");
        String externalId = unique("crm");

        Response response = crm.post(batch(List.of(validUpsert(fresh, externalId), validUpsert(stored, unique("crm")),
                validUpsert(fresh, externalId))));

        assertAccepted(response, 1, 2);
        assertThat(rowsOf(fresh)).hasSize(1);
        assertThat(rowsOf(stored)).hasSize(1);
    }

    @Test
    void roundTripsArabicAndEmojiExactly() {
        String eventId = unique("evt");
        String name = "ليلى حسن 🌙";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("الفئة", "ذهبي ✨");
        metadata.put("badge", "👩🏽‍💼");

        assertAccepted(crm.post(upsert(eventId, Instant.now(), customer(unique("crm"), name, null, null, metadata))), 1, 0);

        String payload = (String) rowsOf(eventId).get(0).get("PAYLOAD");
        assertThat(payload).contains(name).contains("\"الفئة\":\"ذهبي ✨\"").contains("👩🏽‍💼");
        assertThat(readJson(payload).path("name").asText()).isEqualTo(name);
        assertThat(readJson(payload).path("metadata").path("badge").asText()).isEqualTo("👩🏽‍💼");
    }

    @Test
    void acceptsAnyConfiguredSecretWhileRotating() {
        SignedWebhookClient previousOnly = SignedWebhookClient.forLocalPort(port, CrmWebhookSpringTest.PREVIOUS);
        SignedWebhookClient both = SignedWebhookClient.forLocalPort(port, CrmWebhookSpringTest.UNKNOWN,
                CrmWebhookSpringTest.PREVIOUS, CrmWebhookSpringTest.CURRENT);

        assertAccepted(previousOnly.post(validUpsert(unique("evt"), unique("crm"))), 1, 0);
        assertAccepted(both.post(validUpsert(unique("evt"), unique("crm"))), 1, 0);

        Map<String, Object> event = validUpsert(unique("evt"), unique("crm"));
        byte[] body = SignedWebhookClient.json(event).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String valid = crm.signature("msg_rotation", now, body);
        Response withOtherVersions = crm.request(body).webhookId("msg_rotation").timestamp(Instant.ofEpochSecond(now))
                .signature("v1a,c29tZSBlZDI1NTE5IHNpZ25hdHVyZQ== " + valid + " v2,future").send();
        assertAccepted(withOtherVersions, 1, 0);
    }

    @Test
    void acceptsJsonContentTypeVariants() {
        assertAccepted(crm.request(validUpsert(unique("evt"), unique("crm")))
                .contentType("application/json; charset=UTF-8").send(), 1, 0);
        assertAccepted(crm.request(validUpsert(unique("evt"), unique("crm")))
                .contentType("application/vnd.crm.events+json").send(), 1, 0);
    }

    @Test
    void acceptsABodyOfExactlyOneMebibyte() {
        String eventJson = SignedWebhookClient.json(validUpsert(unique("evt"), unique("crm")));
        byte[] body = (eventJson + " ".repeat(MIB - eventJson.length())).getBytes(StandardCharsets.UTF_8);
        assertThat(body).hasSize(MIB);

        assertAccepted(crm.request(body).send(), 1, 0);
    }

    // ---- 401 --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {StandardWebhooks.ID_HEADER, StandardWebhooks.TIMESTAMP_HEADER, StandardWebhooks.SIGNATURE_HEADER})
    void refusesARequestWithoutEachSignatureHeader(String header) {
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).without(header), 401, "missing-signature");
    }

    @Test
    void refusesASignatureOverAnotherBody() {
        long now = Instant.now().getEpochSecond();
        byte[] signed = SignedWebhookClient.json(validUpsert("evt-signed", "crm-signed")).getBytes(StandardCharsets.UTF_8);
        String signature = crm.signature("msg_tampered", now, signed);

        assertRejected(crm.request(validUpsert("evt-tampered", "crm-signed")).webhookId("msg_tampered")
                .timestamp(Instant.ofEpochSecond(now)).signature(signature), 401, "invalid-signature");
    }

    @Test
    void refusesASignatureMadeWithAnUnknownSecret(CapturedOutput output) {
        SignedWebhookClient stranger = SignedWebhookClient.forLocalPort(port, CrmWebhookSpringTest.UNKNOWN);

        JsonNode problem = assertRejected(stranger.request(validUpsert(unique("evt"), unique("crm"))),
                401, "invalid-signature");

        assertThat(problem.toString()).doesNotContain("v1,");
        assertThat(output).contains("401 invalid-signature");
        assertNoSecretIn(output.toString());
    }

    @Test
    void refusesOnlyOtherVersionSignaturesAndGarbage() {
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).signature("v1a,AAAA v2,BBBB garbage"),
                401, "invalid-signature");
    }

    @Test
    void refusesStaleAndFutureTimestamps() {
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).timestamp(Instant.now().minusSeconds(6 * 60)),
                401, "stale-timestamp");
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).timestamp(Instant.now().plusSeconds(6 * 60)),
                401, "stale-timestamp");
    }

    @Test
    void refusesATimestampThatIsNotUnixSeconds() {
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).without(StandardWebhooks.TIMESTAMP_HEADER)
                .header(StandardWebhooks.TIMESTAMP_HEADER, "2026-11-26T10:00:00Z"), 401, "invalid-timestamp");
    }

    @Test
    void authenticatesBeforeLookingAtTheContent() {
        SignedWebhookClient stranger = SignedWebhookClient.forLocalPort(port, CrmWebhookSpringTest.UNKNOWN);

        assertRejected(stranger.request("not json at all").contentType("text/plain"), 401, "invalid-signature");
        assertRejected(stranger.request("{\"id\":"), 401, "invalid-signature");
        assertRejected(stranger.request(batch(List.of(Map.of("id", "x")))), 401, "invalid-signature");
        // except the size limit, checked before anything is read
        assertRejected(stranger.request(new byte[2 * MIB]), 413, "payload-too-large");
    }

    // ---- 4xx on content ---------------------------------------------------------------------------

    @Test
    void refusesMalformedJson() {
        JsonNode problem = assertRejected(crm.request("{\"id\": \"evt-1\", \"type\": "), 400, "malformed-json");

        assertThat(problem.path("detail").asText()).startsWith("The body is not valid JSON");
    }

    @Test
    void refusesAnEventWithoutExternalId() {
        Map<String, Object> event = upsert(unique("evt"), Instant.now(), Map.of("name", "No Key"));

        JsonNode problem = assertRejected(crm.request(event), 422, "invalid-events");

        assertThat(problem.path("errors")).hasSize(1);
        assertThat(problem.path("errors").get(0).path("pointer").asText()).isEqualTo("/customer/externalId");
        assertThat(problem.path("errors").get(0).path("detail").asText()).isEqualTo("is required");
    }

    @Test
    void refusesAnUnknownType() {
        Map<String, Object> event = SignedWebhookClient.event(unique("evt"), "customer.merged", Instant.now(),
                customer(unique("crm"), null, null, null, null));

        JsonNode problem = assertRejected(crm.request(event), 422, "invalid-events");

        assertThat(pointers(problem)).containsExactly("/type");
    }

    @Test
    void refusesMoreThanFiveHundredEvents() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            events.add(validUpsert(unique("evt"), "crm-many-" + i));
        }

        JsonNode problem = assertRejected(crm.request(batch(events)), 422, "invalid-events");

        assertThat(pointers(problem)).containsExactly("/events");
        assertThat(problem.path("errors").get(0).path("detail").asText()).contains("1 to 500").contains("501");
    }

    @Test
    void refusesABodyOverOneMebibyteWithOrWithoutContentLength() {
        String eventJson = SignedWebhookClient.json(validUpsert(unique("evt"), unique("crm")));
        byte[] justOver = (eventJson + " ".repeat(MIB + 1 - eventJson.length())).getBytes(StandardCharsets.UTF_8);
        byte[] twoMebibytes = (eventJson + " ".repeat(2 * MIB - eventJson.length())).getBytes(StandardCharsets.UTF_8);

        assertRejected(crm.request(justOver), 413, "payload-too-large");
        assertRejected(crm.request(twoMebibytes), 413, "payload-too-large");
        assertRejected(crm.request(twoMebibytes).chunked(), 413, "payload-too-large");
    }

    @Test
    void refusesABodyThatIsNotJson() {
        assertRejected(crm.request("id=evt-1&type=customer.upserted").contentType("application/x-www-form-urlencoded"),
                415, "unsupported-media-type");
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).contentType("text/plain"),
                415, "unsupported-media-type");
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).contentType(null),
                415, "unsupported-media-type");
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).contentType("application/json; charset=ISO-8859-1"),
                415, "unsupported-media-type");
        assertRejected(crm.request(validUpsert(unique("evt"), unique("crm"))).header("Content-Encoding", "gzip"),
                415, "unsupported-media-type");
    }

    @Test
    void refusesInvalidEmailAndMobileNamingEachByEventAndStoresNoneOfTheBatch() {
        String validEvent = unique("evt");
        Map<String, Object> badEmail = upsert(unique("evt"), unique("crm"), "A", "layla@", null);
        Map<String, Object> badMobile = upsert(unique("evt"), unique("crm"), "B", null, "12");

        JsonNode problem = assertRejected(crm.request(batch(List.of(validUpsert(validEvent, unique("crm")),
                badEmail, badMobile))), 422, "invalid-events");

        assertThat(pointers(problem)).containsExactly("/events/1/customer/email", "/events/2/customer/mobile");
        assertThat(problem.path("errors").get(0).path("detail").asText()).isEqualTo("is not a valid email address");
        assertThat(problem.path("detail").asText()).isEqualTo("2 invalid values in 2 of 3 events; nothing was stored.");
        assertThat(rowsOf(validEvent)).isEmpty();
    }

    @Test
    void refusesAnOccurredAtFarInTheFuture() {
        Map<String, Object> event = upsert(unique("evt"), Instant.now().plus(Duration.ofHours(2)),
                customer(unique("crm"), "A", null, null, null));

        JsonNode problem = assertRejected(crm.request(event), 422, "invalid-events");

        assertThat(pointers(problem)).containsExactly("/occurredAt");
    }

    @Test
    void refusesWrongJsonTypesNamingEachField() {
        String body = "{\"id\":\"" + unique("evt") + "\",\"type\":\"customer.upserted\",\"occurredAt\":\""
                + Instant.now() + "\",\"customer\":{\"externalId\":42,\"name\":[\"A\"],\"metadata\":\"gold\"}}";

        JsonNode problem = assertRejected(crm.request(body), 422, "invalid-events");

        assertThat(pointers(problem)).containsExactly("/customer/externalId", "/customer/name", "/customer/metadata");
    }

    @Test
    void refusesDeepNestingCheaply() {
        String deep = "{\"events\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        JsonNode problem = assertRejected(crm.request(deep), 400, "limit-exceeded");

        assertThat(problem.path("detail").asText()).contains("nesting depth");
    }

    @Test
    void refusesHugeStringsAndNumbers() {
        assertRejected(crm.request(upsert(unique("evt"), Instant.now(),
                customer(unique("crm"), "x".repeat(500_000), null, null, null))), 400, "limit-exceeded");
        String hugeNumber = "{\"id\":\"" + unique("evt") + "\",\"type\":\"customer.upserted\",\"occurredAt\":\""
                + Instant.now() + "\",\"customer\":{\"externalId\":\"c\",\"metadata\":{\"n\":" + "7".repeat(100_000) + "}}}";
        assertRejected(crm.request(hugeNumber), 400, "limit-exceeded");
    }

    @Test
    void refusesDuplicateKeys() {
        String body = "{\"id\":\"" + unique("evt") + "\",\"id\":\"" + unique("evt") + "\",\"type\":\"customer.deleted\","
                + "\"occurredAt\":\"" + Instant.now() + "\",\"customer\":{\"externalId\":\"c\"}}";

        JsonNode problem = assertRejected(crm.request(body), 400, "malformed-json");

        assertThat(problem.path("detail").asText()).contains("Duplicate field 'id'");
    }

    @Test
    void refusesInvalidUtf8() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("{\"id\":\"" + unique("evt") + "\",\"type\":\"customer.upserted\",\"occurredAt\":\""
                + Instant.now() + "\",\"customer\":{\"externalId\":\"c\",\"name\":\"Lay").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xFF});
        body.writeBytes("la\"}}".getBytes(StandardCharsets.UTF_8));

        assertRejected(crm.request(body.toByteArray()), 400, "invalid-utf8");
    }

    @Test
    void answersOtherMethodsWith405() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SignedWebhookClient.PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    // ---- observability ----------------------------------------------------------------------------

    @Test
    void countsReceivedChangesAndRejectionsByReason() {
        double received = counter(WebhookMetrics.RECEIVED, "source", "webhook");
        double duplicates = counter(WebhookMetrics.DUPLICATES, "source", "webhook");
        double badSignatures = counter(WebhookMetrics.REJECTED, "reason", "invalid-signature");
        double tooLarge = counter(WebhookMetrics.REJECTED, "reason", "payload-too-large");
        String eventId = unique("evt");

        crm.post(batch(List.of(validUpsert(eventId, unique("crm")), validUpsert(unique("evt"), unique("crm")))));
        crm.post(validUpsert(eventId, unique("crm")));
        crm.request(validUpsert(unique("evt"), unique("crm"))).signature("v1,AAAA").send();
        crm.request(new byte[MIB + 1]).send();

        assertThat(counter(WebhookMetrics.RECEIVED, "source", "webhook")).isEqualTo(received + 2);
        assertThat(counter(WebhookMetrics.DUPLICATES, "source", "webhook")).isEqualTo(duplicates + 1);
        assertThat(counter(WebhookMetrics.REJECTED, "reason", "invalid-signature")).isEqualTo(badSignatures + 1);
        assertThat(counter(WebhookMetrics.REJECTED, "reason", "payload-too-large")).isEqualTo(tooLarge + 1);
    }

    @Test
    void logsOneLinePerRequestWithIdsAndOutcomeButNoSecrets(CapturedOutput output) {
        String eventId = unique("evt");
        String externalId = unique("crm");

        Response accepted = crm.request(validUpsert(eventId, externalId)).webhookId("msg_logged").send();
        assertAccepted(accepted, 1, 0);
        crm.request(upsert(unique("evt"), unique("crm"), "A", "not-an-email", null)).webhookId("msg_refused").send();

        assertThat(output).contains("webhook-id=msg_logged: 202 accepted=1 duplicates=0 events=[" + eventId + " upsert "
                + externalId + "]");
        assertThat(output).contains("webhook-id=msg_refused: 422 invalid-events").contains("at /customer/email");
        assertNoSecretIn(output.toString());
    }

    @Test
    void keepsForgedLinesOutOfTheLog(CapturedOutput output) {
        String body = "{\"id\":\"" + unique("evt") + "\",\"type\":\"customer.deleted\",\"occurredAt\":\""
                + Instant.now() + "\",\"customer\":{\"externalId\":\"c\",\"x\\nFORGED LINE\":1}}";

        assertRejected(crm.request(body).webhookId("msg_forged"), 422, "invalid-events");

        assertThat(output).contains("webhook-id=msg_forged: 422 invalid-events").contains("at /customer/x?FORGED LINE")
                .doesNotContain("\nFORGED LINE");
    }

    private double counter(String name, String tag, String value) {
        var counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void assertNoSecretIn(String text) {
        for (String secret : List.of(CrmWebhookSpringTest.CURRENT, CrmWebhookSpringTest.PREVIOUS)) {
            assertThat(text).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
        }
        assertThat(text).doesNotContain("v1,");
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
