package io.skiplinobridge.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.skiplinobridge.booking.BookingCustomers.Linked;
import io.skiplinobridge.booking.BookingIdempotency.Claim;
import io.skiplinobridge.booking.BookingIdempotency.Fresh;
import io.skiplinobridge.booking.BookingIdempotency.Replay;
import io.skiplinobridge.booking.BookingIdempotency.Resume;
import io.skiplinobridge.booking.BookingProblem.FieldError;
import io.skiplinobridge.booking.SkiplinoProblems.Call;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.Branch;
import io.skiplinobridge.skiplino.BranchTreeGroup;
import io.skiplinobridge.skiplino.CallPurpose;
import io.skiplinobridge.skiplino.ChangeTimeRequest;
import io.skiplinobridge.skiplino.CustomerKey;
import io.skiplinobridge.skiplino.SkiplinoClient;
import io.skiplinobridge.skiplino.SkiplinoException;
import io.skiplinobridge.skiplino.SkiplinoPermanentException;
import io.skiplinobridge.skiplino.SkiplinoTransientException;
import io.skiplinobridge.skiplino.Ticket;
import io.skiplinobridge.tickets.TicketSightings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Booking on behalf of a CRM customer: the Skiplino calls (tagged {@link CallPurpose#BOOKING}), the
 * checks that a ticket belongs to the customer acted for, idempotent book, the slot cache, and the
 * hand-over of every resulting ticket to the mirror ({@link TicketSightings}) at once, so the CRM does
 * not wait for the next discovery poll.
 */
@Component
@ConditionalOnFlows
class BookingService {

    private static final Logger log = LoggerFactory.getLogger(BookingService.class);
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    /** The answer to a book: what to send back, and whether it is a replay of an earlier request. */
    record Booked(int status, String body, String ticketId, boolean replayed) {
    }

    private final SkiplinoClient skiplino;
    private final BookingCustomers customers;
    private final BookingIdempotency idempotency;
    private final SlotCache slots;
    private final ObjectProvider<TicketSightings> sightings;
    private final ObjectMapper json;
    private final BookingProperties properties;

    BookingService(SkiplinoClient skiplino, BookingCustomers customers, BookingIdempotency idempotency,
            ObjectProvider<TicketSightings> sightings, ObjectMapper json, BookingProperties properties, Clock clock) {
        this.skiplino = skiplino.forPurpose(CallPurpose.BOOKING);
        this.customers = customers;
        this.idempotency = idempotency;
        this.sightings = sightings;
        this.json = json;
        this.properties = properties;
        this.slots = new SlotCache(properties.slotsCacheTtl(), properties.slotsCacheMaxEntries(), clock);
    }

    List<Branch> branches() {
        return call(Call.of("list the branches"), () -> skiplino.listBranches().data());
    }

    List<BranchTreeGroup> tree(String branchId) {
        Call call = Call.of("read the services of branch " + branchId)
                .resource("branchId", "Branch " + branchId)
                .field("branchId", FieldError.parameter("branchId", ""));
        return call(call, () -> skiplino.branchTree(branchId).data());
    }

    SlotCache.Slots slots(String serviceId, LocalDate date) {
        Call call = Call.of("list the slots of service " + serviceId)
                .resource("id", "Service " + serviceId)
                .field("id", FieldError.parameter("serviceId", ""))
                .field("date", FieldError.parameter("date", ""));
        return slots.get(serviceId, date, () -> call(call, () -> skiplino.slots(serviceId, date).data()));
    }

    /** Forgets every cached slot, e.g. when the sandbox was reset behind the bridge's back. */
    void forgetCachedSlots() {
        slots.clear();
    }

    Booked book(String externalId, BookingRequests.Book request, String idempotencyKey) {
        Linked customer = customers.require(externalId);
        Call call = bookCall(request);
        if (idempotencyKey == null) {
            Ticket ticket;
            try {
                ticket = skiplino.bookTicket(request.toSkiplino(customer.skiplinoId())).data();
            } catch (SkiplinoException e) {
                BookingProblem problem = problem(e, call);
                if (maybeBooked(e)) {
                    problem.addDetail("The booking may have been made: check the customer's tickets before booking "
                            + "again, or send an Idempotency-Key so that a retry cannot book twice.")
                            .property("outcome", "unknown");
                }
                throw problem;
            }
            return booked(customer, null, null, ticket);
        }
        Claim claim = idempotency.claim(externalId, idempotencyKey, hash(request));
        if (claim instanceof Replay replay) {
            log.info("Booking for {}: Idempotency-Key seen before, answering its ticket {} again", externalId,
                    replay.ticketId());
            return new Booked(replay.status(), replay.body(), replay.ticketId(), true);
        }
        Instant startedAt;
        if (claim instanceof Resume resume) {
            startedAt = resume.startedAt();
            Optional<Ticket> earlier;
            try {
                earlier = earlierBooking(customer, request, resume.previousAttemptAt());
            } catch (SkiplinoException e) {
                idempotency.uncertain(externalId, idempotencyKey, startedAt);
                throw problem(e, Call.of("check whether the earlier attempt with this Idempotency-Key booked"))
                        .addDetail("Retry with the same Idempotency-Key.").property("outcome", "unknown");
            }
            if (earlier.isPresent()) {
                log.info("Booking for {}: the earlier attempt with this Idempotency-Key had booked ticket {}",
                        externalId, earlier.get().id());
                return booked(customer, idempotencyKey, startedAt, earlier.get());
            }
        } else {
            startedAt = ((Fresh) claim).startedAt();
        }
        Ticket ticket;
        try {
            ticket = skiplino.bookTicket(request.toSkiplino(customer.skiplinoId())).data();
        } catch (SkiplinoException e) {
            BookingProblem problem = problem(e, call);
            if (maybeBooked(e)) {
                idempotency.uncertain(externalId, idempotencyKey, startedAt);
                problem.addDetail("The booking may have been made: retry with the same Idempotency-Key, and the "
                        + "bridge finds it instead of booking twice.").property("outcome", "unknown");
            } else {
                idempotency.release(externalId, idempotencyKey, startedAt);
            }
            throw problem;
        } catch (RuntimeException e) {
            idempotency.uncertain(externalId, idempotencyKey, startedAt);
            throw e;
        }
        return booked(customer, idempotencyKey, startedAt, ticket);
    }

    /** One of the customer's tickets, as Skiplino has it now. */
    Ticket ticket(String externalId, String ticketId) {
        Linked customer = customers.require(externalId);
        Ticket ticket = owned(customer, ticketId);
        mirror(customer, ticket);
        return ticket;
    }

    /**
     * Cancels a waiting or upcoming ticket. Cancelling a ticket that is already cancelled answers it as it
     * is (a retried cancel succeeds); any other state is Skiplino's 409.
     */
    Ticket cancel(String externalId, String ticketId) {
        Linked customer = customers.require(externalId);
        Ticket current = owned(customer, ticketId);
        if (Ticket.STATUS_CANCELLED.equals(current.status())) {
            mirror(customer, current);
            return current;
        }
        Call call = Call.of("cancel ticket " + ticketId).resource("id", "Ticket " + ticketId)
                .field("id", FieldError.parameter("ticketId", ""));
        Ticket cancelled;
        try {
            cancelled = skiplino.cancelTicket(ticketId).data();
        } catch (SkiplinoPermanentException e) {
            if (!e.isConflict()) {
                throw problem(e, call);
            }
            Ticket now = owned(customer, ticketId);
            mirror(customer, now);
            if (Ticket.STATUS_CANCELLED.equals(now.status())) {
                return now;
            }
            throw problem(e, call).property("ticketStatus", now.status());
        } catch (SkiplinoException e) {
            throw problem(e, call);
        }
        slots.invalidate(serviceOf(cancelled));
        log.info("Booking for {}: cancelled ticket {}", externalId, ticketId);
        mirror(customer, cancelled);
        return cancelled;
    }

    /** Moves an appointment to another slot. */
    Ticket reschedule(String externalId, String ticketId, Instant time) {
        Linked customer = customers.require(externalId);
        Ticket current = owned(customer, ticketId);
        Call call = Call.of("reschedule ticket " + ticketId).resource("id", "Ticket " + ticketId)
                .field("id", FieldError.parameter("ticketId", ""))
                .field("time", FieldError.pointer("/time", ""))
                .field("customerId", FieldError.parameter("externalId", ""))
                .field("customerExternalId", FieldError.parameter("externalId", ""));
        Ticket moved = call(call, () -> skiplino.changeTicketTime(ticketId,
                ChangeTimeRequest.forCustomerId(time, customer.skiplinoId())).data());
        slots.invalidate(serviceOf(current));
        slots.invalidate(serviceOf(moved));
        log.info("Booking for {}: rescheduled ticket {} to {}", externalId, ticketId, moved.time());
        mirror(customer, moved);
        return moved;
    }

    private Booked booked(Linked customer, String idempotencyKey, Instant startedAt, Ticket ticket) {
        String body;
        try {
            body = json.writeValueAsString(ticket);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write ticket " + ticket.id() + " as JSON", e);
        }
        if (idempotencyKey != null) {
            try {
                idempotency.done(customer.externalId(), idempotencyKey, startedAt, HttpStatus.CREATED.value(), body,
                        ticket.id());
            } catch (DataAccessException e) {
                // the ticket exists: answer it; a retry after in-progress-timeout finds it among the customer's tickets
                log.warn("Booking for {}: ticket {} booked, but its Idempotency-Key could not be stored ({})",
                        customer.externalId(), ticket.id(), e.getMostSpecificCause().getMessage());
            }
        }
        slots.invalidate(serviceOf(ticket));
        log.info("Booking for {}: booked {} ticket {}", customer.externalId(), ticket.type(), ticket.id());
        mirror(customer, ticket);
        return new Booked(HttpStatus.CREATED.value(), body, ticket.id(), false);
    }

    /** The customer's newest ticket matching {@code request}, booked since the attempt whose outcome is unknown. */
    private Optional<Ticket> earlierBooking(Linked customer, BookingRequests.Book request, Instant previousAttemptAt) {
        Instant since = previousAttemptAt.minus(properties.idempotency().matchWindow());
        Set<String> taken = idempotency.ticketsOf(customer.externalId());
        List<Ticket> newest = skiplino.customerTickets(CustomerKey.byId(customer.skiplinoId()), 1, 10).data();
        return newest.stream()
                .filter(t -> request.serviceId().equals(serviceOf(t)))
                .filter(t -> t.groupOfService() == null || request.groupOfServiceId().equals(t.groupOfService().id()))
                .filter(t -> Objects.equals(request.time(), t.time()))
                .filter(t -> t.bookedAt() != null && !t.bookedAt().isBefore(since))
                .filter(t -> !taken.contains(t.id()))
                .findFirst();
    }

    /** The ticket, if it is one of this customer's: another customer's ticket is a 404, as if unknown. */
    private Ticket owned(Linked customer, String ticketId) {
        Call call = Call.of("read ticket " + ticketId).resource("id", "Ticket " + ticketId)
                .field("id", FieldError.parameter("ticketId", ""));
        Ticket ticket = call(call, () -> skiplino.fetchTicket(ticketId).data());
        if (ticket.customer() == null || !customer.skiplinoId().equals(ticket.customer().id())) {
            throw BookingProblem.of(HttpStatus.NOT_FOUND, "Ticket " + ticketId + " is not a ticket of customer "
                    + customer.externalId() + ".").title("Unknown ticket");
        }
        return ticket;
    }

    private void mirror(Linked customer, Ticket ticket) {
        TicketSightings mirror = sightings.getIfAvailable();
        if (mirror == null) {
            log.warn("Booking for {}: no ticket mirror in this bridge; ticket {} reaches the CRM with the next poll",
                    customer.externalId(), ticket.id());
            return;
        }
        try {
            mirror.seen(customer.externalId(), customer.skiplinoId(), ticket);
        } catch (RuntimeException e) {
            // the Skiplino action happened and is answered; the discovery poll mirrors the ticket later
            log.warn("Booking for {}: ticket {} could not be queued for the CRM now ({}: {}); the ticket poll "
                    + "will mirror it", customer.externalId(), ticket.id(), e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private <T> T call(Call call, Supplier<T> action) {
        try {
            return action.get();
        } catch (SkiplinoException e) {
            throw problem(e, call);
        }
    }

    private BookingProblem problem(SkiplinoException e, Call call) {
        BookingProblem problem = SkiplinoProblems.of(e, call, properties.retryAfter());
        log.info("Booking API: could not {}: {}", call.action(), e.getMessage());
        return problem;
    }

    private static Call bookCall(BookingRequests.Book request) {
        return Call.of("book a ticket").resource("serviceId", "Service " + request.serviceId())
                .field("serviceId", FieldError.pointer("/serviceId", ""))
                .field("groupOfServiceId", FieldError.pointer("/groupOfServiceId", ""))
                .field("time", FieldError.pointer("/time", ""))
                .field("options", FieldError.pointer("/options", ""))
                .field("location", FieldError.pointer("/location", ""))
                .field("customerId", FieldError.parameter("externalId", ""))
                .field("customerExternalId", FieldError.parameter("externalId", ""));
    }

    /** Whether Skiplino may have booked despite the failure: it got the request and its answer was lost or garbled. */
    private static boolean maybeBooked(SkiplinoException e) {
        return e instanceof SkiplinoTransientException t && !t.notSent()
                && t.reason() != SkiplinoTransientException.Reason.RATE_LIMITED;
    }

    private static String serviceOf(Ticket ticket) {
        return ticket.service() == null ? null : ticket.service().id();
    }

    private static String hash(BookingRequests.Book request) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("serviceId", request.serviceId());
        canonical.put("groupOfServiceId", request.groupOfServiceId());
        canonical.put("time", request.time() == null ? null : request.time().toEpochMilli());
        canonical.put("options", request.options());
        canonical.put("location", request.location() == null ? null
                : List.of(request.location().lat(), request.location().lng()));
        try {
            byte[] bytes = CANONICAL.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a booking request", e);
        }
    }
}
