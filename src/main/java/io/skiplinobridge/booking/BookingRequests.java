package io.skiplinobridge.booking;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.skiplinobridge.booking.BookingProblem.FieldError;
import io.skiplinobridge.skiplino.BookTicketRequest;

import org.springframework.http.HttpStatus;

/**
 * Reads and checks the booking API's input before anything is sent to Skiplino. Every problem is
 * reported at once: malformed input (not JSON, wrong type, missing or unknown field) is a 400, input that
 * is well formed but cannot be right (a time in the past, a latitude of 200) a 422.
 */
final class BookingRequests {

    /** Skiplino's ids are 10 characters; this accepts any short, path-safe id and leaves existence to Skiplino. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Set<String> BOOK_FIELDS = Set.of("serviceId", "groupOfServiceId", "time", "options", "location");
    private static final Set<String> CUSTOMER_FIELDS = Set.of("customerId", "customerExternalId", "externalId");
    private static final int MAX_IDEMPOTENCY_KEY = 255;
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /** A checked booking: a walk-in when {@code time} is null. */
    record Book(String serviceId, String groupOfServiceId, Instant time, Map<String, Object> options,
                BookTicketRequest.Location location) {

        BookTicketRequest toSkiplino(String skiplinoCustomerId) {
            return new BookTicketRequest(serviceId, groupOfServiceId, time, skiplinoCustomerId, null, options,
                    location);
        }
    }

    private final Clock clock;

    BookingRequests(Clock clock) {
        this.clock = clock;
    }

    static String id(String parameter, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw BookingProblem.badParameter(parameter, "must be 1 to 64 letters, digits, '-' or '_'");
        }
        return value;
    }

    /** {@code date} of the slots query: null for Skiplino's today. */
    LocalDate date(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        LocalDate date;
        try {
            date = DATE.matcher(value).matches() ? LocalDate.parse(value) : null;
        } catch (DateTimeParseException e) {
            date = null;
        }
        if (date == null) {
            throw BookingProblem.badParameter("date", "must be a date written YYYY-MM-DD");
        }
        // no time zone is more than a day behind UTC, so this is in the past for every company
        if (date.isBefore(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1))) {
            throw BookingProblem.invalid(HttpStatus.UNPROCESSABLE_ENTITY,
                    List.of(FieldError.parameter("date", "must be today or later")));
        }
        return date;
    }

    /** The {@code Idempotency-Key} header: null when absent. */
    static String idempotencyKey(String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_IDEMPOTENCY_KEY
                || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw BookingProblem.badParameter("Idempotency-Key",
                    "must be 1 to 255 visible ASCII characters (a UUID is a good choice)");
        }
        return value;
    }

    Book book(byte[] body) {
        JsonNode root = object(body);
        Errors errors = new Errors();
        unknownFields(root, BOOK_FIELDS, errors);
        String serviceId = requiredId(root, "serviceId", errors);
        String groupOfServiceId = requiredId(root, "groupOfServiceId", errors);
        Instant time = null;
        JsonNode timeNode = root.get("time");
        if (timeNode != null && !timeNode.isNull()) {
            time = futureTime(timeNode, "/time", errors);
        }
        Map<String, Object> options = null;
        JsonNode optionsNode = root.get("options");
        if (optionsNode != null && !optionsNode.isNull()) {
            if (optionsNode.isObject()) {
                options = STRICT.convertValue(optionsNode, STRICT.getTypeFactory()
                        .constructMapType(LinkedHashMap.class, String.class, Object.class));
            } else {
                errors.bad("/options", "must be a JSON object of booking answers");
            }
        }
        BookTicketRequest.Location location = null;
        JsonNode locationNode = root.get("location");
        if (locationNode != null && !locationNode.isNull()) {
            location = location(locationNode, errors);
        }
        errors.throwIfAny();
        return new Book(serviceId, groupOfServiceId, time, options, location);
    }

    /** The new time of a reschedule. */
    Instant reschedule(byte[] body) {
        JsonNode root = object(body);
        Errors errors = new Errors();
        unknownFields(root, Set.of("time"), errors);
        JsonNode timeNode = root.get("time");
        Instant time = null;
        if (timeNode == null || timeNode.isNull()) {
            errors.bad("/time", "is required: the new appointment time, a slot's time from the slots endpoint");
        } else {
            time = futureTime(timeNode, "/time", errors);
        }
        errors.throwIfAny();
        return time;
    }

    private static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw BookingProblem.invalid(HttpStatus.BAD_REQUEST,
                    List.of(FieldError.pointer("", "is missing: send a JSON object")));
        }
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (IOException e) {
            throw BookingProblem.invalid(HttpStatus.BAD_REQUEST,
                    List.of(FieldError.pointer("", "is not valid JSON")));
        }
        if (root == null || !root.isObject()) {
            throw BookingProblem.invalid(HttpStatus.BAD_REQUEST,
                    List.of(FieldError.pointer("", "must be a JSON object")));
        }
        return root;
    }

    private static void unknownFields(JsonNode root, Set<String> known, Errors errors) {
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (CUSTOMER_FIELDS.contains(name)) {
                errors.bad("/" + name, "must not be sent: the customer is the one named in the path");
            } else if (!known.contains(name)) {
                errors.bad("/" + name, "is not a field of this request (known: " + String.join(", ",
                        known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String requiredId(JsonNode root, String field, Errors errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            errors.bad("/" + field, "is required");
            return null;
        }
        if (!node.isTextual() || !ID.matcher(node.asText()).matches()) {
            errors.bad("/" + field, "must be a string of 1 to 64 letters, digits, '-' or '_'");
            return null;
        }
        return node.asText();
    }

    private Instant futureTime(JsonNode node, String pointer, Errors errors) {
        Instant time = null;
        if (node.isTextual()) {
            try {
                time = OffsetDateTime.parse(node.asText()).toInstant();
            } catch (DateTimeParseException e) {
                time = null;
            }
        }
        if (time == null) {
            errors.bad(pointer, "must be an ISO-8601 date-time with Z or an offset, e.g. 2026-07-01T09:30:00.000Z");
            return null;
        }
        if (!time.isAfter(clock.instant())) {
            errors.unprocessable(pointer, "must be in the future");
            return null;
        }
        return time;
    }

    private static BookTicketRequest.Location location(JsonNode node, Errors errors) {
        if (!node.isObject()) {
            errors.bad("/location", "must be an object {\"lat\": number, \"lng\": number}");
            return null;
        }
        Double lat = coordinate(node, "lat", 90, errors);
        Double lng = coordinate(node, "lng", 180, errors);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("lat") && !name.equals("lng")) {
                errors.bad("/location/" + name, "is not a field of a location (known: lat, lng)");
            }
        }
        return lat == null || lng == null ? null : new BookTicketRequest.Location(lat, lng);
    }

    private static Double coordinate(JsonNode location, String field, double limit, Errors errors) {
        JsonNode node = location.get(field);
        String pointer = "/location/" + field;
        if (node == null || node.isNull()) {
            errors.bad(pointer, "is required when a location is sent");
            return null;
        }
        if (!node.isNumber()) {
            errors.bad(pointer, "must be a number");
            return null;
        }
        double value = node.asDouble();
        if (Double.isNaN(value) || value < -limit || value > limit) {
            errors.unprocessable(pointer, "must be between " + (int) -limit + " and " + (int) limit);
            return null;
        }
        return value;
    }

    private static final class Errors {

        private final List<FieldError> errors = new ArrayList<>();
        private boolean malformed;

        void bad(String pointer, String detail) {
            errors.add(FieldError.pointer(pointer, detail));
            malformed = true;
        }

        void unprocessable(String pointer, String detail) {
            errors.add(FieldError.pointer(pointer, detail));
        }

        void throwIfAny() {
            if (!errors.isEmpty()) {
                throw BookingProblem.invalid(malformed ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY,
                        errors);
            }
        }
    }
}
