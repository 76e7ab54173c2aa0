package io.skiplinobridge.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.skiplinobridge.crm.WebhookRejection.FieldProblem;
import io.skiplinobridge.crm.WebhookRejection.Reason;
import io.skiplinobridge.sync.ChangeSource;
import io.skiplinobridge.sync.ChangeType;
import io.skiplinobridge.sync.CustomerChange;
import io.skiplinobridge.sync.CustomerMapper;
import io.skiplinobridge.sync.MappingProperties;
import org.junit.jupiter.api.Test;

/** Validation rules of the webhook body, without HTTP. The endpoint test covers them end to end. */
class CrmEventReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private final CrmEventReader reader = new CrmEventReader(
            new CustomerMapper(new MappingProperties("BH", MappingProperties.ClearedFieldPolicy.NULL, true,
                    MappingProperties.InvalidValuePolicy.REJECT, MappingProperties.InvalidValuePolicy.REJECT,
                    new MappingProperties.Metadata(null, null))),
            Clock.fixed(NOW, ZoneOffset.UTC),
            new WebhookProperties("", Duration.ofMinutes(5), Duration.ofMinutes(5)));

    private List<CustomerChange> read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private WebhookRejection rejection(String json) {
        return rejection(json.getBytes(StandardCharsets.UTF_8));
    }

    private WebhookRejection rejection(byte[] body) {
        return catchThrowableOfType(WebhookRejection.class, () -> reader.read(body));
    }

    private static String event(String id, String type, String occurredAt, String customer) {
        return "{\"id\":" + id + ",\"type\":" + type + ",\"occurredAt\":" + occurredAt + ",\"customer\":" + customer + "}";
    }

    private static String upsert(String customer) {
        return event("\"e1\"", "\"customer.upserted\"", "\"2026-11-26T09:59:00Z\"", customer);
    }

    @Test
    void readsTheDesignExample() {
        List<CustomerChange> changes = read("""
                {"id": "evt_01J9", "type": "customer.upserted", "occurredAt": "2026-11-26T10:00:00Z",
                 "customer": {"externalId": "crm-7741", "name": "Layla Hassan", "email": "layla.hassan@example.com",
                              "mobile": "+973 3344 5566", "metadata": {"tier": "gold"}}}
                """);

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.source()).isEqualTo(ChangeSource.WEBHOOK);
            assertThat(change.eventId()).isEqualTo("evt_01J9");
            assertThat(change.type()).isEqualTo(ChangeType.UPSERT);
            assertThat(change.externalId()).isEqualTo("crm-7741");
            assertThat(change.occurredAt()).isEqualTo(NOW);
            // stored as the CRM sent it: normalising is the sync engine's job
            assertThat(change.customer().mobile()).isEqualTo("+973 3344 5566");
            assertThat(change.customer().metadata()).isEqualTo(Map.of("tier", "gold"));
        });
    }

    @Test
    void aDeleteNeedsOnlyTheExternalIdAndIgnoresTheRest() {
        List<CustomerChange> changes = read(event("\"e1\"", "\"customer.deleted\"", "\"2026-11-26T12:04:00+03:00\"",
                "{\"externalId\":\"crm-1\",\"email\":\"no longer valid\"}"));

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.type()).isEqualTo(ChangeType.DELETE);
            assertThat(change.customer()).isNull();
            assertThat(change.occurredAt()).isEqualTo(Instant.parse("2026-11-26T09:04:00Z"));
        });
    }

    @Test
    void keepsMetadataNumbersExactly() {
        CustomerChange change = read(upsert("""
                {"externalId":"c","metadata":{"price":1.50,"big":123456789012345678901234567890,"n":7,"ok":true,
                 "nested":{"list":[1,"a",null]}}}""")).get(0);

        Map<String, Object> metadata = change.customer().metadata();
        assertThat(metadata.get("price")).isEqualTo(new BigDecimal("1.50"));
        assertThat(metadata.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(metadata.get("n")).isEqualTo(7);
        assertThat(metadata.get("ok")).isEqualTo(true);
        assertThat(metadata.get("nested")).isEqualTo(Map.of("list", Arrays.asList(1, "a", null)));
    }

    @Test
    void namesEveryWrongTypeByPointer() {
        WebhookRejection rejection = rejection("""
                {"events":[
                  {"id":7,"type":"customer.upserted","occurredAt":"2026-11-26T09:00:00Z","customer":{"externalId":"a"}},
                  {"id":"e2","type":"customer.upserted","occurredAt":"2026-11-26T09:00:00Z",
                   "customer":{"externalId":12,"name":42,"email":false,"mobile":[],"metadata":"x"}},
                  {"id":"e3","type":"customer.upserted","occurredAt":"2026-11-26T09:00:00Z","customer":"c"},
                  "not an event"
                ]}""");

        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_EVENTS);
        assertThat(rejection.errors()).containsExactly(
                new FieldProblem("/events/0/id", "must be a string"),
                new FieldProblem("/events/1/customer/externalId", "must be a string"),
                new FieldProblem("/events/1/customer/name", "must be a string or null"),
                new FieldProblem("/events/1/customer/email", "must be a string or null"),
                new FieldProblem("/events/1/customer/mobile", "must be a string or null"),
                new FieldProblem("/events/1/customer/metadata", "must be an object or null"),
                new FieldProblem("/events/2/customer", "must be an object"),
                new FieldProblem("/events/3", "must be an event object"));
        assertThat(rejection.getMessage()).isEqualTo("8 invalid values in 4 of 4 events; nothing was stored.");
    }

    @Test
    void requiresIdTypeOccurredAtCustomerAndExternalId() {
        assertThat(rejection("{}").errors()).extracting(FieldProblem::pointer)
                .containsExactly("/id", "/type", "/occurredAt", "/customer");
        assertThat(rejection(upsert("{\"name\":\"x\"}")).errors())
                .containsExactly(new FieldProblem("/customer/externalId", "is required"));
        assertThat(rejection(upsert("{\"externalId\":\"  \"}")).errors())
                .containsExactly(new FieldProblem("/customer/externalId", "is required"));
    }

    @Test
    void checksTheEventId() {
        assertThat(rejection(event("\" \"", "\"customer.deleted\"", "\"2026-11-26T09:00:00Z\"", "{\"externalId\":\"c\"}"))
                .errors()).containsExactly(new FieldProblem("/id", "must not be blank"));
        assertThat(rejection(event("\"" + "x".repeat(256) + "\"", "\"customer.deleted\"", "\"2026-11-26T09:00:00Z\"",
                "{\"externalId\":\"c\"}")).errors()).containsExactly(new FieldProblem("/id", "is longer than 255 characters"));
        assertThat(rejection(event("\"a\\nb\"", "\"customer.deleted\"", "\"2026-11-26T09:00:00Z\"",
                "{\"externalId\":\"c\"}")).errors()).containsExactly(new FieldProblem("/id", "contains control characters"));
        assertThat(read(event("\"" + "x".repeat(255) + "\"", "\"customer.deleted\"", "\"2026-11-26T09:00:00Z\"",
                "{\"externalId\":\"c\"}"))).hasSize(1);
    }

    @Test
    void refusesUnknownTypes() {
        assertThat(rejection(event("\"e\"", "\"customer.updated\"", "\"2026-11-26T09:00:00Z\"", "{\"externalId\":\"c\"}"))
                .errors()).containsExactly(new FieldProblem("/type", "must be customer.upserted or customer.deleted"));
    }

    @Test
    void occurredAtNeedsAnOffsetAndMayNotBeTooFarAhead() {
        assertThat(rejection(event("\"e\"", "\"customer.deleted\"", "\"2026-11-26T09:00:00\"", "{\"externalId\":\"c\"}"))
                .errors()).extracting(FieldProblem::detail)
                .containsExactly("must be an ISO-8601 date-time with an offset, e.g. 2026-11-26T10:00:00Z");
        assertThat(rejection(event("\"e\"", "\"customer.deleted\"", "\"2026-11-26T10:05:01Z\"", "{\"externalId\":\"c\"}"))
                .errors()).extracting(FieldProblem::detail).singleElement().asString()
                .startsWith("is more than 300 s in the future of the bridge clock");
        assertThat(rejection(event("\"e\"", "\"customer.deleted\"", "\"1969-12-31T23:59:59Z\"", "{\"externalId\":\"c\"}"))
                .errors()).extracting(FieldProblem::detail).containsExactly("is before 1970-01-01T00:00:00Z");
        // within the skew: a sender clock slightly ahead is fine
        assertThat(read(event("\"e\"", "\"customer.deleted\"", "\"2026-11-26T10:05:00Z\"", "{\"externalId\":\"c\"}")))
                .hasSize(1);
    }

    @Test
    void refusesUnknownCustomerFieldsButIgnoresUnknownEventFields() {
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"phone\":\"1\",\"a/b~c\":1}")).errors()).containsExactly(
                new FieldProblem("/customer/phone", "is not a customer field (custom values belong in metadata)"),
                new FieldProblem("/customer/a~1b~0c", "is not a customer field (custom values belong in metadata)"));
        assertThat(read("{\"id\":\"e\",\"type\":\"customer.deleted\",\"occurredAt\":\"2026-11-26T09:00:00Z\","
                + "\"customer\":{\"externalId\":\"c\"},\"source\":\"hubspot\",\"version\":2}")).hasSize(1);
    }

    @Test
    void reportsWhatTheSyncEngineWouldRefuseToSend() {
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"email\":\"not-an-email\",\"mobile\":\"12\"}")).errors())
                .containsExactly(new FieldProblem("/customer/email", "is not a valid email address"),
                        new FieldProblem("/customer/mobile", "is not a valid phone number (default region BH)"));
    }

    @Test
    void refusesTextThatCannotBeStoredExactly() {
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"name\":\"a\\u0000b\"}")).errors())
                .containsExactly(new FieldProblem("/customer/name", "contains U+0000, which cannot be stored"));
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"name\":\"\\ud83d\"}")).errors()).containsExactly(
                new FieldProblem("/customer/name", "contains an unpaired UTF-16 surrogate, which cannot be stored"));
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"metadata\":{\"k\\u0000\":1,\"deep\":[{\"x\":\"\\udc00\"}]}}"))
                .errors()).containsExactly(
                new FieldProblem("/customer/metadata/k\u0000", "has a name that contains U+0000, which cannot be stored"),
                new FieldProblem("/customer/metadata/deep/0/x",
                        "contains an unpaired UTF-16 surrogate, which cannot be stored"));
        // a correctly paired escape is fine
        assertThat(read(upsert("{\"externalId\":\"c\",\"name\":\"\\ud83c\\udf19\"}")).get(0).customer().name())
                .isEqualTo("🌙");
    }

    @Test
    void aBatchHoldsOneToFiveHundredEvents() {
        assertThat(rejection("{\"events\":[]}").errors())
                .containsExactly(new FieldProblem("/events", "must be an array of 1 to 500 events (it has 0)"));
        assertThat(rejection("{\"events\":{}}").errors())
                .containsExactly(new FieldProblem("/events", "must be an array of 1 to 500 events"));
        assertThat(rejection("[]").errors())
                .containsExactly(new FieldProblem("", "must be a JSON object: one event, or {\"events\": [...]}"));
    }

    @Test
    void listsAtMostOneHundredProblemsAndCountsTheRest() {
        String events = String.join(",", Collections.nCopies(150,
                "{\"id\":\"e\",\"type\":\"x\",\"occurredAt\":\"2026-11-26T09:00:00Z\",\"customer\":{\"externalId\":\"c\"}}"));

        WebhookRejection rejection = rejection("{\"events\":[" + events + "]}");

        assertThat(rejection.errors()).hasSize(100);
        assertThat(rejection.getMessage())
                .isEqualTo("150 invalid values in 150 of 150 events; nothing was stored. The first 100 are listed.");
    }

    @Test
    void refusesMalformedDocumentsAs400() {
        assertThat(rejection("").reason()).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(rejection("  ").reason()).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(rejection("{\"id\":").reason()).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(rejection("{} {}").getMessage()).contains("content after the JSON value");
        assertThat(rejection("{\"id\":\"a\",\"id\":\"b\"}").getMessage()).contains("Duplicate field 'id'");
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"metadata\":{\"k\":1,\"k\":2}}")).reason())
                .isEqualTo(Reason.MALFORMED_JSON);
    }

    @Test
    void refusesHostileDocumentsAtTheParserLimits() {
        assertThat(rejection("[".repeat(10_000) + "]".repeat(10_000)).reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"name\":\"" + "x".repeat(200_000) + "\"}")).reason())
                .isEqualTo(Reason.LIMIT_EXCEEDED);
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"metadata\":{\"n\":" + "9".repeat(5_000) + "}}")).reason())
                .isEqualTo(Reason.LIMIT_EXCEEDED);
        assertThat(rejection("{\"" + "k".repeat(5_000) + "\":1}").reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
        assertThat(rejection(upsert("{\"externalId\":\"c\",\"metadata\":{\"n\":1e999999999}}")).errors()).containsExactly(
                new FieldProblem("/customer/metadata/n", "is a number with an exponent beyond ±1000"));
        assertThat(read(upsert("{\"externalId\":\"c\",\"metadata\":{\"n\":6.02e23}}")).get(0).customer().metadata())
                .containsEntry("n", new BigDecimal("6.02e23"));
    }

    @Test
    void refusesInvalidUtf8EvenWhereJacksonWouldNot() {
        byte[] prefix = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);
        for (byte[] invalid : List.of(new byte[] {(byte) 0xC3, 0x28}, // broken two-byte sequence
                new byte[] {(byte) 0xC0, (byte) 0xAF},                 // overlong '/'
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},    // an encoded surrogate
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                new byte[] {(byte) 0xFF})) {
            byte[] body = new byte[prefix.length + invalid.length + 2];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(invalid, 0, body, prefix.length, invalid.length);
            body[body.length - 2] = '"';
            body[body.length - 1] = '}';

            WebhookRejection rejection = rejection(body);

            assertThat(rejection.reason()).isEqualTo(Reason.INVALID_UTF8);
            assertThat(rejection.getMessage()).contains("byte offset 7");
        }
    }
}
