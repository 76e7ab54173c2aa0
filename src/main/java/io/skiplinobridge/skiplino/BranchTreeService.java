package io.skiplinobridge.skiplino;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A service of a branch's tree (Skiplino's {@code Service} schema).
 *
 * @param isOpen        whether it takes tickets now; null when Skiplino did not say
 * @param isAppointment whether it can be booked for a time (slots, then book with {@code time})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BranchTreeService(
        String id,
        String name,
        @JsonProperty("isOpen") Boolean isOpen,
        @JsonProperty("isAppointment") Boolean isAppointment) {
}
