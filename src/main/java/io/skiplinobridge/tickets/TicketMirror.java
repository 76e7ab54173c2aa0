package io.skiplinobridge.tickets;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.Ticket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@link TicketSightings} over the database: a ticket that is new, or whose {@code status},
 * {@code statusAt} or {@code time} changed, is queued for every CRM target before {@link #seen} returns.
 * A sighting older than the state already stored (by {@code statusAt}) is ignored, so a slow poll can
 * never undo what a booking just mirrored.
 */
@Component
@ConditionalOnFlows
class TicketMirror implements TicketSightings {

    private static final Logger log = LoggerFactory.getLogger(TicketMirror.class);

    private final TicketStore store;
    private final MirrorTargets targets;
    private final Set<String> finalStatuses;
    private final Clock clock;

    TicketMirror(TicketStore store, MirrorTargets targets, TicketProperties properties, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.finalStatuses = Set.copyOf(properties.finalStatuses());
        this.clock = clock;
    }

    @Override
    public boolean seen(String externalId, String skiplinoCustomer, Ticket ticket) {
        return sight(externalId, skiplinoCustomer, ticket).queued();
    }

    /** Of these tickets (as Skiplino returned them), the ids whose mirrored state is already the same. */
    Set<String> unchanged(String externalId, List<Ticket> tickets) {
        return store.unchanged(tickets.stream().filter(t -> t.id() != null && t.status() != null)
                .map(t -> sighting(externalId, null, t)).toList());
    }

    TicketStore.SightingOutcome sight(String externalId, String skiplinoCustomer, Ticket ticket) {
        if (externalId == null || externalId.isBlank()) {
            throw new IllegalArgumentException("externalId must not be blank");
        }
        if (ticket == null || ticket.id() == null || ticket.id().isBlank() || ticket.status() == null) {
            throw new IllegalArgumentException("a ticket needs an id and a status");
        }
        TicketStore.Sighting sighting = sighting(externalId, skiplinoCustomer, ticket);
        TicketStore.SightingOutcome outcome = store.sight(sighting, targets.all(), clock.instant());
        if (outcome.queued()) {
            log.debug("Ticket {} of {} is {} ({}): queued for {}", ticket.id(), externalId, ticket.status(), outcome,
                    targets.all());
        }
        return outcome;
    }

    private TicketStore.Sighting sighting(String externalId, String skiplinoCustomer, Ticket ticket) {
        String customer = skiplinoCustomer != null ? skiplinoCustomer
                : ticket.customer() == null ? null : ticket.customer().id();
        return new TicketStore.Sighting(ticket.id(), externalId, customer, ticket.status(), ticket.statusAt(),
                ticket.time(), isFinal(ticket.status()), TicketJson.write(ticket));
    }

    boolean isFinal(String status) {
        return finalStatuses.contains(status);
    }
}
