package io.skiplinobridge.tickets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.skiplinobridge.skiplino.Ticket;

/**
 * The ticket as stored in the mirror and the outbox: Skiplino's own field names, ISO-8601 instants,
 * absent fields left out. Kept apart from {@code spring.jackson.*} so that a change there never alters
 * what is stored or sent.
 */
final class TicketJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private TicketJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ticket could not be written as JSON", e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the outbox holds unreadable JSON", e);
        }
    }

    static Ticket ticket(String json) {
        try {
            return MAPPER.readValue(json, Ticket.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the outbox holds unreadable JSON", e);
        }
    }
}
