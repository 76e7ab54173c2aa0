package io.skiplinobridge.skiplino;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A customer in Skiplino's company directory. Optional fields Skiplino did not store may be absent
 * (null here).
 *
 * @param id         Skiplino's 32-hex internal id; the JSON key is {@code _id}
 * @param externalId the CRM's id, unique per company
 * @param metadata   free-form; Skiplino replaces it wholesale on update
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Customer(
        @JsonProperty("_id") String id,
        String externalId,
        String companyId,
        String name,
        String email,
        String mobile,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt) {
}
