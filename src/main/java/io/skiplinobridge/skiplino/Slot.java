package io.skiplinobridge.skiplino;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A bookable appointment slot; pass {@code time} unchanged to {@link BookTicketRequest#appointment}.
 *
 * @param remaining places still free
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Slot(Instant time, Integer remaining) {
}
