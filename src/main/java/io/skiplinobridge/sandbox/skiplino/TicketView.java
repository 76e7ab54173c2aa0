package io.skiplinobridge.sandbox.skiplino;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The documented Ticket schema. {@code time} is {@code null} for walk-ins and {@code customer} is
 * {@code null} for anonymous walk-ins (both written out, as the fetch example writes {@code time: null});
 * {@code queueSize} and {@code waitingTime} are present only while the ticket is {@code waiting}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "ticketNumber", "status", "statusAt", "type", "time", "branch", "service", "groupOfService",
        "customer", "bookedAt", "queueSize", "waitingTime"})
record TicketView(String id, String ticketNumber, String status, String statusAt, String type,
                  @JsonInclude(JsonInclude.Include.ALWAYS) String time,
                  Ref branch, Ref service, Ref groupOfService,
                  @JsonInclude(JsonInclude.Include.ALWAYS) Ref customer,
                  String bookedAt, Integer queueSize, Integer waitingTime) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Ref(String id, String name) {
    }
}
