package io.skiplinobridge.sandbox.skiplino;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One ticket's state. Its mutable fields are guarded by the ticket's own monitor, so a client's
 * cancel and the activity simulator's next transition never interleave.
 */
final class SandboxTicket {

    static final String WAITING = "waiting";
    static final String UPCOMING = "upcoming";
    static final String SERVING = "serving";
    static final String SERVED = "served";
    static final String CANCELLED = "cancelled";
    static final String TYPE_WALK_IN = "sequential";
    static final String TYPE_APPOINTMENT = "appointment";

    final String id;
    final String ticketNumber;
    final String type;
    final SkiplinoCatalog.Service service;
    final String customerId;
    final String customerName;
    final Instant bookedAt;

    private String status;
    private Instant statusAt;
    private Instant time;
    private InsertionOrder<SandboxTicket> queue;
    private int queuePosition = -1;
    private final List<Change> history = new ArrayList<>();

    SandboxTicket(String id, String ticketNumber, String type, SkiplinoCatalog.Service service, String customerId,
                  String customerName, Instant bookedAt, String status, Instant time) {
        this.id = id;
        this.ticketNumber = ticketNumber;
        this.type = type;
        this.service = service;
        this.customerId = customerId;
        this.customerName = customerName;
        this.bookedAt = bookedAt;
        this.status = status;
        this.statusAt = bookedAt;
        this.time = time;
        history.add(new Change(status, bookedAt, time));
    }

    boolean isAppointment() {
        return TYPE_APPOINTMENT.equals(type);
    }

    synchronized String status() {
        return status;
    }

    synchronized Instant time() {
        return time;
    }

    synchronized void moveTo(String newStatus, Instant at) {
        status = newStatus;
        statusAt = at;
        history.add(new Change(status, at, time));
    }

    synchronized void reschedule(Instant newTime, Instant at) {
        time = newTime;
        statusAt = at;
        history.add(new Change(status, at, time));
    }

    /** Every state the ticket has been in, oldest first (the control API's ticket history, for acceptance checks). */
    synchronized List<Change> history() {
        return List.copyOf(history);
    }

    /** One state of the ticket's life: its status, from {@code at}, with that appointment time. */
    record Change(String status, Instant at, Instant time) {
    }

    /** Puts the ticket at {@code position} of {@code queue}, or takes it out of any queue when {@code queue} is null. */
    synchronized void queuedAt(InsertionOrder<SandboxTicket> queue, int position) {
        this.queue = queue;
        this.queuePosition = queue == null ? -1 : position;
    }

    /** Leaves the queue the ticket is in, if any. */
    synchronized void leaveQueue() {
        if (queue != null) {
            queue.remove(queuePosition);
        }
        queuedAt(null, -1);
    }

    /** A consistent copy of the mutable state, for rendering outside the monitor. */
    synchronized State state() {
        return new State(status, statusAt, time, queue == null ? null : queue.countBefore(queuePosition));
    }

    /** {@code peopleAhead} is null when the ticket is in no queue. */
    record State(String status, Instant statusAt, Instant time, Integer peopleAhead) {
    }
}
