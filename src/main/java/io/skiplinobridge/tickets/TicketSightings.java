package io.skiplinobridge.tickets;

import io.skiplinobridge.skiplino.Ticket;

/**
 * The one door through which a Skiplino ticket enters the mirror, whoever saw it: the discovery poll,
 * or the booking API right after it booked, cancelled or rescheduled a ticket for a customer.
 *
 * <p>An implementation compares the ticket with the state last mirrored for it ({@code status},
 * {@code statusAt}, {@code time}) and, when it is new or changed, commits an outbox row for the CRM
 * before returning. Seeing the same state twice queues nothing, so callers may report freely.
 */
public interface TicketSightings {

    /**
     * @param externalId       the CRM's id of the ticket's customer
     * @param skiplinoCustomer Skiplino's {@code _id} of that customer, null when not known to the caller
     * @param ticket           the ticket as Skiplino returned it
     * @return true when the sighting queued a CRM write (new or changed), false when it changed nothing
     */
    boolean seen(String externalId, String skiplinoCustomer, Ticket ticket);
}
