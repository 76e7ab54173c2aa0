package io.skiplinobridge.skiplino;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an error answer said, read defensively: Skiplino's error envelopes were never published, only
 * inferred as {@code {"message", "error"}} where {@code error} is a string, null, or (422) an object
 * keyed by field. Any other body (HTML from a proxy, truncated JSON, nothing) yields empty values
 * instead of a failure.
 *
 * @param message     the envelope's {@code message}, or null
 * @param error       {@code error} when it was a string (or an array, joined), or null
 * @param fieldErrors {@code error} when it was an object: field name to message
 */
record SkiplinoErrorBody(String message, String error, Map<String, String> fieldErrors) {

    private static final int MAX_TEXT = 500;
    private static final SkiplinoErrorBody EMPTY = new SkiplinoErrorBody(null, null, Map.of());

    static SkiplinoErrorBody parse(byte[] body, ObjectMapper mapper) {
        if (body.length == 0) {
            return EMPTY;
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException notJson) {
            return EMPTY;
        }
        if (root == null || !root.isObject()) {
            return EMPTY;
        }
        JsonNode error = root.path("error");
        Map<String, String> fields = new LinkedHashMap<>();
        if (error.isObject()) {
            error.properties().forEach(field -> {
                String text = text(field.getValue());
                if (text != null) {
                    fields.put(field.getKey(), text);
                }
            });
        }
        return new SkiplinoErrorBody(text(root.path("message")), error.isObject() ? null : text(error), fields);
    }

    /** A readable one-line summary for exception messages. */
    String summary() {
        StringJoiner parts = new StringJoiner(" ");
        if (message != null) {
            parts.add(message);
        }
        if (error != null && !error.equals(message)) {
            parts.add("(" + error + ")");
        }
        if (!fieldErrors.isEmpty()) {
            StringJoiner fields = new StringJoiner("; ", "[", "]");
            fieldErrors.forEach((field, text) -> fields.add(field + ": " + text));
            parts.add(fields.toString());
        }
        return parts.toString();
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            StringJoiner joined = new StringJoiner("; ");
            node.forEach(element -> {
                String text = text(element);
                if (text != null) {
                    joined.add(text);
                }
            });
            return joined.length() == 0 ? null : cap(joined.toString());
        }
        return cap(node.isValueNode() ? node.asText() : node.toString());
    }

    private static String cap(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
