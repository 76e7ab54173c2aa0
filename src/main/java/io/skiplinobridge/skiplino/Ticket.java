package io.skiplinobridge.skiplino;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A walk-in or appointment ticket. {@code status} and {@code type} are open-ended: Skiplino keeps no
 * central list of values, so unknown values arrive unchanged; the constants name the known ones.
 *
 * @param customer    {@code customer.id} is the customer's Skiplino {@code _id}, not the externalId; null
 *                    for an anonymous walk-in
 * @param time        the appointment time; null for walk-ins
 * @param queueSize   people ahead; present only while {@code status} is {@code waiting}
 * @param waitingTime estimated wait in minutes; present only while {@code status} is {@code waiting}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Ticket(
        String id,
        String ticketNumber,
        String status,
        Instant statusAt,
        String type,
        Instant time,
        NamedRef branch,
        NamedRef service,
        NamedRef groupOfService,
        NamedRef customer,
        Instant bookedAt,
        Integer queueSize,
        Integer waitingTime) {

    public static final String STATUS_WAITING = "waiting";
    public static final String STATUS_UPCOMING = "upcoming";
    public static final String STATUS_SERVING = "serving";
    public static final String STATUS_SERVED = "served";
    public static final String STATUS_CANCELLED = "cancelled";

    public static final String TYPE_SEQUENTIAL = "sequential";
    public static final String TYPE_APPOINTMENT = "appointment";
}
