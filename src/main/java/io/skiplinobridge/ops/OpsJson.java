package io.skiplinobridge.ops;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.stereotype.Component;

/**
 * Strict reading of ops request bodies (an unknown field is refused, so a typo never silently turns
 * into a default such as "retry everything"), and lenient reading of stored JSON for display.
 */
@Component
@ConditionalOnFlows
class OpsJson {

    private final ObjectMapper strict;
    private final ObjectMapper lenient;

    OpsJson(ObjectMapper json) {
        this.lenient = json;
        // a key given twice is refused: {"dryRun": true, "dryRun": false} would otherwise run for real
        this.strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The body as {@code type}; an absent or blank body is {@code empty}. */
    <T> T read(String body, Class<T> type, T empty) {
        if (body == null || body.isBlank()) {
            return empty;
        }
        try {
            return strict.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw OpsProblems.badField(pointer(e), "is not a known field (known: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            throw OpsProblems.badField(pointer(e), "has the wrong type");
        } catch (JsonProcessingException e) {
            throw OpsProblems.badRequest("The body is not valid JSON; nothing was changed.", List.of());
        }
    }

    /** Stored JSON for display; text that is not JSON is shown as a string. */
    JsonNode tree(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return lenient.readTree(stored);
        } catch (JsonProcessingException e) {
            return lenient.getNodeFactory().textNode(stored);
        }
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return pointer.isEmpty() ? "/" : pointer.toString();
    }
}
