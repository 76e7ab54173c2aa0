package io.skiplinobridge.sandbox.skiplino;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skiplinobridge.sandbox.skiplino.CustomerDirectory.Locator;

/**
 * Reads the bodies of {@code POST /tickets/book} and {@code POST /tickets/{id}/change-time}, reporting
 * every malformed field at once (422, keyed by field). Rules that need state (does the service or
 * customer exist, is the slot free) are {@link TicketBook}'s.
 */
final class TicketRequests {

    static final String TIME_FORMAT_MESSAGE = "The time must be a UTC ISO-8601 date-time with a trailing Z, e.g. 2026-07-01T09:30:00.000Z.";
    static final String ONE_CUSTOMER_MESSAGE = "Exactly one of customerId or customerExternalId is required.";

    /** A booking: {@code time} is {@code null} for a walk-in; {@code customer} is {@code null} for an anonymous walk-in. */
    record Booking(String serviceId, String groupOfServiceId, Instant time, Locator customer) {

        boolean appointment() {
            return time != null;
        }
    }

    record ChangeTime(Instant time, Locator customer) {
    }

    private TicketRequests() {
    }

    static Booking booking(ObjectNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        String serviceId = requiredText(body, "serviceId", errors);
        String groupOfServiceId = requiredText(body, "groupOfServiceId", errors);
        JsonNode timeNode = body.get("time");
        boolean appointment = timeNode != null && !timeNode.isNull() && !(timeNode.isTextual() && timeNode.textValue().isEmpty());
        Instant time = appointment ? time(timeNode, errors) : null;
        Locator customer = customer(body, appointment, errors);
        checkLocation(body.get("location"), errors);
        JsonNode options = body.get("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            errors.put("options", "The options must be an object.");
        }
        if (!errors.isEmpty()) {
            throw SkiplinoApiException.invalid(errors);
        }
        return new Booking(serviceId, groupOfServiceId, appointment ? time : null, customer);
    }

    static ChangeTime changeTime(ObjectNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode timeNode = body.get("time");
        Instant time = null;
        if (timeNode == null || timeNode.isNull() || (timeNode.isTextual() && timeNode.textValue().isEmpty())) {
            errors.put("time", "The time field is required.");
        } else {
            time = time(timeNode, errors);
        }
        Locator customer = customer(body, true, errors);
        if (!errors.isEmpty()) {
            throw SkiplinoApiException.invalid(errors);
        }
        return new ChangeTime(time, customer);
    }

    private static String requiredText(ObjectNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isEmpty())) {
            errors.put(field, "The " + field + " field is required.");
            return null;
        }
        if (!node.isTextual()) {
            errors.put(field, "The " + field + " must be a string.");
            return null;
        }
        return node.textValue();
    }

    private static Instant time(JsonNode node, Map<String, String> errors) {
        Instant time = node.isTextual() ? SkiplinoTime.parseUtc(node.textValue()).orElse(null) : null;
        if (time == null) {
            errors.put("time", TIME_FORMAT_MESSAGE);
        }
        return time;
    }

    /**
     * Exactly one customer identifier for appointments (stated); for walk-ins the customer is optional,
     * and the sandbox also refuses both at once there rather than guess which one counts.
     */
    private static Locator customer(ObjectNode body, boolean required, Map<String, String> errors) {
        String id = optionalText(body, "customerId", errors);
        String externalId = optionalText(body, "customerExternalId", errors);
        if (id != null && externalId != null) {
            errors.put("customerId", ONE_CUSTOMER_MESSAGE);
            return null;
        }
        if (id == null && externalId == null) {
            if (required && !errors.containsKey("customerId") && !errors.containsKey("customerExternalId")) {
                errors.put("customerId", ONE_CUSTOMER_MESSAGE);
            }
            return null;
        }
        return id != null ? Locator.id("customerId", id) : Locator.externalId("customerExternalId", externalId);
    }

    private static String optionalText(ObjectNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isEmpty())) {
            return null;
        }
        if (!node.isTextual()) {
            errors.put(field, "The " + field + " must be a string.");
            return null;
        }
        return node.textValue();
    }

    /** Stated: {@code location}, when sent, needs both {@code lat} and {@code lng}, within valid ranges. */
    private static void checkLocation(JsonNode location, Map<String, String> errors) {
        if (location == null || location.isNull()) {
            return;
        }
        JsonNode lat = location.get("lat");
        JsonNode lng = location.get("lng");
        boolean valid = location.isObject()
                && lat != null && lat.isNumber() && lat.doubleValue() >= -90 && lat.doubleValue() <= 90
                && lng != null && lng.isNumber() && lng.doubleValue() >= -180 && lng.doubleValue() <= 180;
        if (!valid) {
            errors.put("location", "The location needs both lat (-90 to 90) and lng (-180 to 180).");
        }
    }
}
