package io.skiplinobridge.crm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.crm.WebhookRejection.FieldProblem;
import io.skiplinobridge.crm.WebhookRejection.Reason;
import io.skiplinobridge.sync.CanonicalCustomer;
import io.skiplinobridge.sync.ChangeSource;
import io.skiplinobridge.sync.ChangeType;
import io.skiplinobridge.sync.CustomerChange;
import io.skiplinobridge.sync.CustomerMapper;
import io.skiplinobridge.sync.FieldError;

import org.springframework.stereotype.Component;

/**
 * Reads the body of {@code POST /api/crm/events}: one event, or {@code {"events": [...]}} with 1 to
 * {@value #MAX_EVENTS} events. The body is parsed once, into a tree, with limits that make hostile
 * documents cheap to refuse; then every event is checked and every problem is reported at once, by
 * JSON pointer. A body is accepted whole or refused whole.
 *
 * <ul>
 *   <li>400: not UTF-8, not JSON, a duplicate key, content after the document, or over a parser limit.</li>
 *   <li>422: valid JSON that is not a valid batch of events, including a customer the sync engine would
 *       refuse to send ({@link CustomerMapper}).</li>
 * </ul>
 *
 * Unknown members of the envelope and of an event are ignored, so senders can add some; unknown
 * members of {@code customer} are refused, because they would otherwise be dropped without a word.
 */
@Component
@ConditionalOnFlows
class CrmEventReader {

    static final int MAX_EVENTS = 500;
    static final int MAX_ID_LENGTH = 255;
    static final int MAX_NESTING_DEPTH = 32;
    static final int MAX_STRING_LENGTH = 100_000;
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 1_000;
    static final int MAX_NUMBER_SCALE = 1_000;
    static final String UPSERTED = "customer.upserted";
    static final String DELETED = "customer.deleted";
    /** The change store's timestamps start at the unix epoch; no CRM change is older. */
    static final Instant EARLIEST = Instant.EPOCH;
    private static final int MAX_LISTED_ERRORS = 100;
    private static final Set<String> CUSTOMER_FIELDS = Set.of("externalId", "name", "email", "mobile", "metadata");

    private final ObjectMapper json;
    private final CustomerMapper mapper;
    private final Clock clock;
    private final Duration maxFutureSkew;

    CrmEventReader(CustomerMapper mapper, Clock clock, WebhookProperties properties) {
        this.mapper = mapper;
        this.clock = clock;
        this.maxFutureSkew = properties.maxFutureSkew();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxDocumentLength(CrmEventsController.MAX_BODY_BYTES)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.json = JsonMapper.builder(factory)
                // metadata numbers are kept exactly as sent
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /**
     * The changes of a body whose signature was verified.
     *
     * @throws WebhookRejection 400 or 422, listing every problem found
     */
    List<CustomerChange> read(byte[] body) {
        JsonNode root = parse(decodeUtf8(body));
        Problems problems = new Problems();
        List<CustomerChange> changes = new ArrayList<>();
        int checkedEvents = 0;
        if (!root.isObject()) {
            problems.add("", "must be a JSON object: one event, or {\"events\": [...]}");
        } else if (root.has("events")) {
            JsonNode events = root.get("events");
            if (!events.isArray() || events.isEmpty() || events.size() > MAX_EVENTS) {
                problems.add("/events", "must be an array of 1 to " + MAX_EVENTS + " events"
                        + (events.isArray() ? " (it has " + events.size() + ")" : ""));
            } else {
                checkedEvents = events.size();
                for (int i = 0; i < checkedEvents; i++) {
                    readEvent(events.get(i), "/events/" + i, problems, changes);
                }
            }
        } else {
            readEvent(root, "", problems, changes);
        }
        if (!problems.isEmpty()) {
            throw problems.rejection(checkedEvents);
        }
        return changes;
    }

    /**
     * Decodes strictly: Jackson's own UTF-8 reader lets some invalid sequences through (overlong forms,
     * encoded surrogates), which would then be stored altered.
     */
    private static CharBuffer decodeUtf8(byte[] body) {
        if (body.length == 0) {
            throw new WebhookRejection(Reason.MALFORMED_JSON, "The body is empty.");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(body);
        // UTF-8 never decodes to more UTF-16 units than it has bytes
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new WebhookRejection(Reason.INVALID_UTF8,
                    "The body is not valid UTF-8 (invalid byte sequence at byte offset " + in.position() + ").");
        }
        return out.flip();
    }

    private JsonNode parse(CharBuffer text) {
        try (JsonParser parser = json.getFactory().createParser(text.array(), 0, text.limit())) {
            JsonNode root = json.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new WebhookRejection(Reason.MALFORMED_JSON, "The body holds no JSON value.");
            }
            if (parser.nextToken() != null) {
                throw new WebhookRejection(Reason.MALFORMED_JSON, "The body is not valid JSON: content after the JSON value"
                        + at(parser.currentTokenLocation()) + ".");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new WebhookRejection(Reason.LIMIT_EXCEEDED, "The body exceeds a parser limit: " + e.getOriginalMessage()
                    + at(e.getLocation()) + ".");
        } catch (JsonProcessingException e) {
            throw new WebhookRejection(Reason.MALFORMED_JSON, "The body is not valid JSON: " + e.getOriginalMessage()
                    + at(e.getLocation()) + ".");
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory document", e);
        }
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private void readEvent(JsonNode event, String at, Problems problems, List<CustomerChange> changes) {
        if (!event.isObject()) {
            problems.add(at, "must be an event object");
            return;
        }
        int problemsBefore = problems.count();
        String id = requiredString(event, "id", at, problems);
        if (id != null) {
            if (id.isBlank()) {
                problems.add(at + "/id", "must not be blank");
            } else if (id.length() > MAX_ID_LENGTH) {
                problems.add(at + "/id", "is longer than " + MAX_ID_LENGTH + " characters");
            } else if (hasControlCharacter(id)) {
                problems.add(at + "/id", "contains control characters");
            }
        }
        ChangeType type = readType(event, at, problems);
        Instant occurredAt = readOccurredAt(event, at, problems);
        CanonicalCustomer customer = readCustomer(event, at + "/customer", type, problems);
        if (problems.count() > problemsBefore) {
            return;
        }
        changes.add(type == ChangeType.UPSERT
                ? CustomerChange.upsert(ChangeSource.WEBHOOK, id, occurredAt, customer)
                : CustomerChange.delete(ChangeSource.WEBHOOK, id, occurredAt, customer.externalId()));
    }

    private static ChangeType readType(JsonNode event, String at, Problems problems) {
        String type = requiredString(event, "type", at, problems);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case UPSERTED -> ChangeType.UPSERT;
            case DELETED -> ChangeType.DELETE;
            default -> {
                problems.add(at + "/type", "must be " + UPSERTED + " or " + DELETED);
                yield null;
            }
        };
    }

    private Instant readOccurredAt(JsonNode event, String at, Problems problems) {
        String text = requiredString(event, "occurredAt", at, problems);
        if (text == null) {
            return null;
        }
        Instant occurredAt;
        try {
            occurredAt = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(at + "/occurredAt", "must be an ISO-8601 date-time with an offset, e.g. 2026-11-26T10:00:00Z");
            return null;
        }
        Instant latest = clock.instant().plus(maxFutureSkew);
        if (occurredAt.isAfter(latest)) {
            problems.add(at + "/occurredAt", "is more than " + maxFutureSkew.toSeconds()
                    + " s in the future of the bridge clock (" + clock.instant() + "); a future time would make every later change look stale");
            return null;
        }
        if (occurredAt.isBefore(EARLIEST)) {
            problems.add(at + "/occurredAt", "is before " + EARLIEST);
            return null;
        }
        return occurredAt;
    }

    private CanonicalCustomer readCustomer(JsonNode event, String at, ChangeType type, Problems problems) {
        JsonNode node = event.get("customer");
        if (node == null || node.isNull()) {
            problems.add(at, "is required");
            return null;
        }
        if (!node.isObject()) {
            problems.add(at, "must be an object");
            return null;
        }
        int problemsBefore = problems.count();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CUSTOMER_FIELDS.contains(name)) {
                problems.add(at + "/" + escapePointer(name), "is not a customer field (custom values belong in metadata)");
            }
        }
        String externalId = requiredString(node, "externalId", at, problems);
        String name = optionalString(node, "name", at, problems);
        String email = optionalString(node, "email", at, problems);
        String mobile = optionalString(node, "mobile", at, problems);
        Map<String, Object> metadata = readMetadata(node.get("metadata"), at + "/metadata", problems);
        if (problems.count() > problemsBefore) {
            return null;
        }
        CanonicalCustomer customer = new CanonicalCustomer(externalId, name, email, mobile, metadata);
        // a delete carries only the key; the rest of the customer is not used
        CanonicalCustomer checked = type == ChangeType.DELETE
                ? new CanonicalCustomer(externalId, null, null, null, null) : customer;
        for (FieldError error : mapper.map(checked).errors()) {
            problems.add(at + "/" + error.field().substring(error.field().indexOf('.') + 1).replace('.', '/'),
                    error.message());
        }
        return customer;
    }

    private static Map<String, Object> readMetadata(JsonNode node, String at, Problems problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(at, "must be an object or null");
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) plainValue(node, at, problems);
        return metadata;
    }

    /** Metadata as plain maps, lists, strings, numbers and booleans, checking every string on the way. */
    private static Object plainValue(JsonNode node, String at, Problems problems) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String pointer = at + "/" + escapePointer(field.getKey());
                    String nameProblem = textProblem(field.getKey());
                    if (nameProblem != null) {
                        problems.add(pointer, "has a name that " + nameProblem);
                    }
                    map.put(field.getKey(), plainValue(field.getValue(), pointer, problems));
                }
                return map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(plainValue(node.get(i), at + "/" + i, problems));
                }
                return list;
            }
            case STRING -> {
                checkText(node.textValue(), at, problems);
                return node.textValue();
            }
            case NUMBER -> {
                // 1e999999999 is short but becomes gigabytes for any code that writes it out in full
                if (node.isBigDecimal() && Math.abs(node.decimalValue().scale()) > MAX_NUMBER_SCALE) {
                    problems.add(at, "is a number with an exponent beyond ±" + MAX_NUMBER_SCALE);
                    return null;
                }
                return node.numberValue();
            }
            case BOOLEAN -> {
                return node.booleanValue();
            }
            default -> {
                return null;
            }
        }
    }

    private static String requiredString(JsonNode parent, String field, String at, Problems problems) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            problems.add(at + "/" + field, "is required");
            return null;
        }
        if (!node.isTextual()) {
            problems.add(at + "/" + field, "must be a string");
            return null;
        }
        return checkText(node.textValue(), at + "/" + field, problems) ? node.textValue() : null;
    }

    private static String optionalString(JsonNode parent, String field, String at, Problems problems) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(at + "/" + field, "must be a string or null");
            return null;
        }
        return checkText(node.textValue(), at + "/" + field, problems) ? node.textValue() : null;
    }

    /**
     * Why a text cannot be stored exactly, or null: U+0000 (PostgreSQL text cannot hold it) and
     * unpaired UTF-16 surrogates (a JSON escape such as {@code "\ud800"}; UTF-8 cannot encode them).
     */
    private static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains U+0000, which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate, which cannot be stored";
            }
        }
        return null;
    }

    private static boolean checkText(String text, String pointer, Problems problems) {
        String problem = textProblem(text);
        if (problem != null) {
            problems.add(pointer, problem);
        }
        return problem == null;
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** RFC 6901: {@code ~} is written {@code ~0} and {@code /} is written {@code ~1}. */
    static String escapePointer(String name) {
        if (name.indexOf('~') < 0 && name.indexOf('/') < 0) {
            return name;
        }
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Every problem found, the first {@value #MAX_LISTED_ERRORS} of them listed. */
    private static final class Problems {

        private final List<FieldProblem> listed = new ArrayList<>();
        private final Set<String> eventsWithProblems = new HashSet<>();
        private int count;

        void add(String pointer, String detail) {
            count++;
            eventsWithProblems.add(eventOf(pointer));
            if (listed.size() < MAX_LISTED_ERRORS) {
                listed.add(new FieldProblem(pointer, detail));
            }
        }

        int count() {
            return count;
        }

        boolean isEmpty() {
            return count == 0;
        }

        WebhookRejection rejection(int events) {
            StringBuilder detail = new StringBuilder();
            detail.append(count).append(count == 1 ? " invalid value" : " invalid values");
            if (events > 0) {
                detail.append(" in ").append(eventsWithProblems.size()).append(" of ").append(events).append(" events");
            }
            detail.append("; nothing was stored.");
            if (count > listed.size()) {
                detail.append(" The first ").append(listed.size()).append(" are listed.");
            }
            return new WebhookRejection(Reason.INVALID_EVENTS, detail.toString(), listed);
        }

        private static String eventOf(String pointer) {
            if (!pointer.startsWith("/events/")) {
                return "";
            }
            int end = pointer.indexOf('/', "/events/".length());
            return end < 0 ? pointer : pointer.substring(0, end);
        }
    }
}
