package io.skiplinobridge.sandbox.skiplino;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.skiplino.CustomerDirectory.Locator;
import io.skiplinobridge.sandbox.skiplino.SkiplinoCatalog.Service;

import org.springframework.stereotype.Component;

/**
 * Tickets, queues and appointment slots of the sandbox company.
 *
 * <ul>
 *   <li>Walk-ins join their service's queue as {@code waiting}; appointments take a place in a slot
 *       and start {@code upcoming}.</li>
 *   <li>{@code queueSize} is the number of tickets of the same service that entered {@code waiting}
 *       earlier and still wait; {@code waitingTime} is that times
 *       {@code minutes-per-waiting-customer}.</li>
 *   <li>Slots run from {@code slots-open-at} to {@code slots-close-at} (company timezone) every
 *       {@code slot-minutes}, each with {@code slot-capacity} places; a cancelled or rescheduled
 *       appointment frees its place.</li>
 * </ul>
 */
@Component
@ConditionalOnSandbox
class TicketBook {

    record Slot(Instant time, int remaining) {
    }

    private static final Localized BRANCH_CLOSED = new Localized("The branch is closed.", "الفرع مغلق حالياً.");
    private static final Localized SERVICE_CLOSED = new Localized("The service is closed.", "الخدمة مغلقة حالياً.");
    private static final Localized SLOT_FULL = new Localized("The selected time slot is fully booked.",
            "الموعد المحدد محجوز بالكامل.");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SkiplinoCatalog catalog;
    private final CustomerDirectory customers;
    private final Clock clock;
    private final SkiplinoSandboxProperties properties;

    private final ConcurrentHashMap<String, SandboxTicket> tickets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<SandboxTicket>> ticketsByCustomer = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, InsertionOrder<SandboxTicket>> queues = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> slotBookings = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> ticketNumbers = new ConcurrentHashMap<>();

    TicketBook(SkiplinoCatalog catalog, CustomerDirectory customers, Clock clock, SkiplinoSandboxProperties properties) {
        this.catalog = catalog;
        this.customers = customers;
        this.clock = clock;
        this.properties = properties;
    }

    /** Stated: {@code date} defaults to today in the company timezone and may not be in the past (422). */
    List<Slot> slots(String serviceId, String date) {
        Service service = catalog.bookableService(serviceId)
                .orElseThrow(() -> SkiplinoApiException.invalid("id", SkiplinoApiException.DOES_NOT_EXIST));
        if (!service.appointment()) {
            throw SkiplinoApiException.invalid("id", "This service does not support appointment booking.");
        }
        LocalDate today = LocalDate.now(clock.withZone(properties.timezone()));
        LocalDate day = today;
        if (date != null && !date.isEmpty()) {
            try {
                day = LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                throw SkiplinoApiException.invalid("date", "The date must be a date in YYYY-MM-DD format.");
            }
            if (day.isBefore(today)) {
                throw SkiplinoApiException.invalid("date", "The date must be today or a later date.");
            }
        }
        if (!catalog.branchOf(service).open()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Slot> slots = new ArrayList<>();
        for (Instant time : slotTimes(day)) {
            if (time.isAfter(now)) {
                int remaining = properties.slotCapacity() - booked(service.id(), time);
                if (remaining > 0) {
                    slots.add(new Slot(time, remaining));
                }
            }
        }
        return slots;
    }

    SandboxTicket book(TicketRequests.Booking booking, String locale) {
        Service service = catalog.bookableService(booking.serviceId())
                .orElseThrow(() -> SkiplinoApiException.invalid("serviceId", SkiplinoApiException.DOES_NOT_EXIST));
        if (!catalog.group(service).id().equals(booking.groupOfServiceId())) {
            throw SkiplinoApiException.invalid("groupOfServiceId", "The service does not belong to this group of services.");
        }
        StoredCustomer customer = booking.customer() == null ? null : customers.require(booking.customer());
        if (booking.appointment()) {
            if (!service.appointment()) {
                throw SkiplinoApiException.invalid("serviceId", "This service does not support appointment booking.");
            }
            if (!booking.time().isAfter(clock.instant())) {
                throw SkiplinoApiException.invalid("time", "The time must be in the future.");
            }
        }
        if (!catalog.branchOf(service).open()) {
            throw SkiplinoApiException.businessRule(BRANCH_CLOSED.in(locale));
        }
        if (!booking.appointment() && !catalog.isOpen(service)) {
            throw SkiplinoApiException.businessRule(SERVICE_CLOSED.in(locale));
        }
        if (booking.appointment()) {
            requireSlot(service, booking.time());
            reserve(service.id(), booking.time(), locale);
        }
        return register(service, customer, booking.time());
    }

    /**
     * Books for the activity simulator: the same rules as a client's booking, on the first free slot
     * of the coming days for appointments.
     */
    SandboxTicket bookForSimulation(Service service, StoredCustomer customer, boolean appointment) {
        if (!appointment) {
            return register(service, customer, null);
        }
        LocalDate day = LocalDate.now(clock.withZone(properties.timezone()));
        for (int d = 0; d < 366; d++, day = day.plusDays(1)) {
            for (Instant time : slotTimes(day)) {
                if (time.isAfter(clock.instant()) && tryReserve(service.id(), time)) {
                    return register(service, customer, time);
                }
            }
        }
        throw new IllegalStateException("no free appointment slot in the coming year for service " + service.id());
    }

    Optional<SandboxTicket> find(String id) {
        return Optional.ofNullable(id == null ? null : tickets.get(id));
    }

    /** Unknown ticket ids are rejected at validation (422 on {@code id}), as the customer endpoints do. */
    SandboxTicket require(String id) {
        return find(id).orElseThrow(() -> SkiplinoApiException.invalid("id", SkiplinoApiException.DOES_NOT_EXIST));
    }

    /** Stated: only {@code waiting} and {@code upcoming} tickets can be cancelled; anything else is 409. */
    SandboxTicket cancel(String id) {
        SandboxTicket ticket = require(id);
        synchronized (ticket) {
            String status = ticket.status();
            if (!SandboxTicket.WAITING.equals(status) && !SandboxTicket.UPCOMING.equals(status)) {
                throw SkiplinoApiException.conflict("Only waiting or upcoming tickets can be cancelled; this ticket is "
                        + status + ".");
            }
            moveTo(ticket, SandboxTicket.CANCELLED);
        }
        return ticket;
    }

    /**
     * Reschedules an appointment. The docs say only {@code waiting} appointments can be, while new
     * appointments are {@code upcoming}; {@code change-time-statuses} decides which are accepted.
     */
    SandboxTicket changeTime(String id, TicketRequests.ChangeTime request, String locale) {
        SandboxTicket ticket = require(id);
        StoredCustomer customer = customers.require(request.customer());
        synchronized (ticket) {
            if (!ticket.isAppointment()) {
                throw SkiplinoApiException.invalid("id", "This ticket is not an appointment.");
            }
            if (!properties.changeTimeStatuses().contains(ticket.status())) {
                throw SkiplinoApiException.invalid("id", "Only appointments in " + String.join(" or ",
                        properties.changeTimeStatuses().stream().sorted().toList()) + " status can be rescheduled.");
            }
            if (!customer.id().equals(ticket.customerId)) {
                throw SkiplinoApiException.invalid(request.customer().field(), "The customer does not match the ticket.");
            }
            if (!request.time().isAfter(clock.instant())) {
                throw SkiplinoApiException.invalid("time", "The time must be in the future.");
            }
            Instant previous = ticket.time();
            if (!previous.equals(request.time())) {
                requireSlot(ticket.service, request.time());
                reserve(ticket.service.id(), request.time(), locale);
                release(ticket.service.id(), previous);
            }
            ticket.reschedule(request.time(), now());
        }
        return find(id).orElseThrow(() -> SkiplinoApiException.notFound("Not Found.", "Ticket not found."));
    }

    /**
     * Moves a ticket on in its lifecycle if it is still in {@code expected}; the activity simulator's
     * step, which loses quietly to a client's cancel.
     */
    boolean advance(SandboxTicket ticket, String expected, String next) {
        synchronized (ticket) {
            if (!expected.equals(ticket.status())) {
                return false;
            }
            moveTo(ticket, next);
            return true;
        }
    }

    /** One customer's tickets, newest first. */
    List<SandboxTicket> ofCustomer(String customerId, int page, int limit) {
        List<SandboxTicket> all = ticketsByCustomer.getOrDefault(customerId, List.of());
        synchronized (all) {
            int size = all.size();
            int from = size - (page - 1) * limit - 1;
            List<SandboxTicket> result = new ArrayList<>(limit);
            for (int i = from; i >= 0 && result.size() < limit; i--) {
                result.add(all.get(i));
            }
            return result;
        }
    }

    int countOfCustomer(String customerId) {
        List<SandboxTicket> all = ticketsByCustomer.getOrDefault(customerId, List.of());
        synchronized (all) {
            return all.size();
        }
    }

    List<SandboxTicket> all() {
        return tickets.values().stream().sorted((a, b) -> b.bookedAt.compareTo(a.bookedAt)).toList();
    }

    TicketView view(SandboxTicket ticket, String locale) {
        SandboxTicket.State state = ticket.state();
        Service service = ticket.service;
        SkiplinoCatalog.ServiceGroup group = catalog.group(service);
        SkiplinoCatalog.Branch branch = catalog.branchOf(service);
        Integer queueSize = null;
        Integer waitingTime = null;
        if (SandboxTicket.WAITING.equals(state.status()) && state.peopleAhead() != null) {
            queueSize = state.peopleAhead();
            waitingTime = queueSize * properties.minutesPerWaitingCustomer();
        }
        return new TicketView(ticket.id, ticket.ticketNumber, state.status(), SkiplinoTime.format(state.statusAt()),
                ticket.type, SkiplinoTime.format(state.time()),
                new TicketView.Ref(branch.id(), branch.name().in(locale)),
                new TicketView.Ref(service.id(), service.name().in(locale)),
                new TicketView.Ref(group.id(), group.name().in(locale)),
                ticket.customerId == null ? null : new TicketView.Ref(ticket.customerId, ticket.customerName),
                SkiplinoTime.format(ticket.bookedAt), queueSize, waitingTime);
    }

    void clear() {
        tickets.clear();
        ticketsByCustomer.clear();
        queues.clear();
        slotBookings.clear();
        ticketNumbers.clear();
    }

    private SandboxTicket register(Service service, StoredCustomer customer, Instant time) {
        boolean appointment = time != null;
        String branchId = catalog.branchOf(service).id();
        int number = ticketNumbers.computeIfAbsent(branchId + (appointment ? "A" : "Q"), k -> new AtomicInteger())
                .incrementAndGet() % 1000;
        String ticketNumber = String.format(Locale.ROOT, "%s%03d", appointment ? "A" : "Q", number);
        Instant now = now();
        while (true) {
            SandboxTicket ticket = new SandboxTicket(newTicketId(), ticketNumber,
                    appointment ? SandboxTicket.TYPE_APPOINTMENT : SandboxTicket.TYPE_WALK_IN, service,
                    customer == null ? null : customer.id(), customer == null ? null : customer.name(), now,
                    appointment ? SandboxTicket.UPCOMING : SandboxTicket.WAITING, time);
            if (tickets.putIfAbsent(ticket.id, ticket) == null) {
                synchronized (ticket) {
                    if (!appointment) {
                        joinQueue(ticket);
                    }
                }
                if (customer != null) {
                    List<SandboxTicket> own = ticketsByCustomer.computeIfAbsent(customer.id(),
                            k -> Collections.synchronizedList(new ArrayList<>()));
                    own.add(ticket);
                }
                return ticket;
            }
        }
    }

    /** Called holding the ticket's monitor. */
    private void moveTo(SandboxTicket ticket, String status) {
        String previous = ticket.status();
        if (SandboxTicket.WAITING.equals(previous)) {
            ticket.leaveQueue();
        }
        if (SandboxTicket.CANCELLED.equals(status) && ticket.isAppointment()) {
            release(ticket.service.id(), ticket.time());
        }
        ticket.moveTo(status, now());
        if (SandboxTicket.WAITING.equals(status)) {
            joinQueue(ticket);
        }
    }

    private void joinQueue(SandboxTicket ticket) {
        InsertionOrder<SandboxTicket> queue = queues.computeIfAbsent(ticket.service.id(), k -> new InsertionOrder<>());
        ticket.queuedAt(queue, queue.add(ticket));
    }

    private void requireSlot(Service service, Instant time) {
        LocalDate day = time.atZone(properties.timezone()).toLocalDate();
        if (!catalog.branchOf(service).open() || !slotTimes(day).contains(time)) {
            throw SkiplinoApiException.invalid("time", "This time is not an available slot of the service.");
        }
    }

    private void reserve(String serviceId, Instant time, String locale) {
        if (!tryReserve(serviceId, time)) {
            throw SkiplinoApiException.businessRule(SLOT_FULL.in(locale));
        }
    }

    private boolean tryReserve(String serviceId, Instant time) {
        AtomicInteger count = slotBookings.computeIfAbsent(slotKey(serviceId, time), k -> new AtomicInteger());
        while (true) {
            int current = count.get();
            if (current >= properties.slotCapacity()) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void release(String serviceId, Instant time) {
        AtomicInteger count = slotBookings.get(slotKey(serviceId, time));
        if (count != null) {
            count.updateAndGet(c -> Math.max(0, c - 1));
        }
    }

    private int booked(String serviceId, Instant time) {
        AtomicInteger count = slotBookings.get(slotKey(serviceId, time));
        return count == null ? 0 : count.get();
    }

    private List<Instant> slotTimes(LocalDate day) {
        List<Instant> times = new ArrayList<>();
        for (LocalTime t = properties.slotsOpenAt(); t.isBefore(properties.slotsCloseAt());
             t = t.plusMinutes(properties.slotMinutes())) {
            times.add(ZonedDateTime.of(day, t, properties.timezone()).toInstant());
            if (t.plusMinutes(properties.slotMinutes()).isBefore(t)) {
                break;
            }
        }
        return times;
    }

    private static String slotKey(String serviceId, Instant time) {
        return serviceId + '|' + time.toEpochMilli();
    }

    private Instant now() {
        return SkiplinoTime.millis(clock.instant());
    }

    private static String newTicketId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[10];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(id);
    }
}
