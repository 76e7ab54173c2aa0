package io.skiplinobridge.sandbox.skiplino;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.skiplino.CustomerDirectory.Locator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Simulated branch activity: books tickets over time for existing customers and moves each through
 * its lifecycle (walk-in {@code waiting → serving → served}, appointment
 * {@code upcoming → waiting → serving → served}, some cancelled from {@code waiting} or
 * {@code upcoming}), each intermediate status lasting a random time within its dwell range, never
 * less than the minimum. Appointment times are real free slots of the coming days, but the
 * simulation moves them on its own clock rather than waiting for the appointment time. A client's
 * own cancel wins over the simulation, which then leaves that ticket alone.
 */
@Component
@ConditionalOnSandbox
class ActivitySimulator implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ActivitySimulator.class);

    record Progress(boolean running, boolean finished, int requested, int booked, int skipped, long transitions,
                    int served, int cancelled, Instant startedAt, Instant finishedAt) {
    }

    private final class Run {
        final ActivitySettings settings;
        final Random random;
        final List<StoredCustomer> customers;
        final Instant startedAt;
        final AtomicInteger nextCustomer = new AtomicInteger();
        final AtomicInteger booked = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final AtomicLong transitions = new AtomicLong();
        volatile boolean stopped;
        volatile Instant finishedAt;

        Run(ActivitySettings settings, List<StoredCustomer> customers, Instant startedAt) {
            this.settings = settings;
            this.startedAt = startedAt;
            this.random = settings.seed() == null ? new Random() : new Random(settings.seed());
            if (settings.eachCustomerOnce()) {
                customers = new ArrayList<>(customers);
                Collections.shuffle(customers, random);
            }
            this.customers = customers;
        }

        void ticketEnded() {
            if (ended.incrementAndGet() == settings.tickets()) {
                finishedAt = clock.instant();
            }
        }

        Progress progress() {
            boolean finished = finishedAt != null;
            return new Progress(!finished && !stopped, finished, settings.tickets(), booked.get(), skipped.get(),
                    transitions.get(), served.get(), cancelled.get(), startedAt, finishedAt);
        }
    }

    private final CustomerDirectory customers;
    private final TicketBook tickets;
    private final SkiplinoCatalog catalog;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "skiplino-sandbox-activity");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<Run> current = new AtomicReference<>();

    ActivitySimulator(CustomerDirectory customers, TicketBook tickets, SkiplinoCatalog catalog, Clock clock) {
        this.customers = customers;
        this.tickets = tickets;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * Starts a run.
     *
     * @throws IllegalStateException when a run is still going
     * @throws IllegalArgumentException when there is no customer to book for, or an externalId is unknown
     */
    Progress start(ActivitySettings requested) {
        ActivitySettings settings = requested.withDefaults();
        List<StoredCustomer> chosen = chooseCustomers(settings);
        Run run = new Run(settings, chosen, clock.instant());
        Run previous = current.get();
        if (previous != null && previous.progress().running()) {
            throw new IllegalStateException("an activity run is still going; DELETE it first or wait for it to finish");
        }
        if (!current.compareAndSet(previous, run)) {
            throw new IllegalStateException("another activity run was started at the same time");
        }
        long delay = 0;
        for (int i = 0; i < settings.tickets(); i++) {
            scheduler.schedule(() -> book(run), delay, TimeUnit.MILLISECONDS);
            delay += pick(run, settings.bookingIntervalMs());
        }
        return run.progress();
    }

    Progress progress() {
        Run run = current.get();
        return run == null ? new Progress(false, false, 0, 0, 0, 0, 0, 0, null, null) : run.progress();
    }

    void stop() {
        Run run = current.get();
        if (run != null) {
            run.stopped = true;
        }
    }

    /** Stops the run and forgets it (sandbox reset). */
    void clear() {
        stop();
        current.set(null);
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }

    private List<StoredCustomer> chooseCustomers(ActivitySettings settings) {
        List<StoredCustomer> chosen;
        if (settings.externalIds() == null || settings.externalIds().isEmpty()) {
            chosen = customers.all();
        } else {
            chosen = new ArrayList<>();
            for (String externalId : settings.externalIds()) {
                chosen.add(customers.find(Locator.externalId(Locator.EXTERNAL_ID, externalId))
                        .orElseThrow(() -> new IllegalArgumentException("no customer has externalId " + externalId)));
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("there is no customer to book tickets for; create customers first");
        }
        if (settings.eachCustomerOnce() && settings.tickets() > chosen.size()) {
            throw new IllegalArgumentException("eachCustomerOnce needs at least as many customers as tickets: "
                    + settings.tickets() + " tickets, " + chosen.size() + " customers");
        }
        return chosen;
    }

    private void book(Run run) {
        if (run.stopped) {
            return;
        }
        try {
            StoredCustomer chosen;
            boolean appointment;
            double cancelDraw;
            boolean cancelEarly;
            SkiplinoCatalog.Service service;
            synchronized (run.random) {
                chosen = run.settings.eachCustomerOnce() ? run.customers.get(run.nextCustomer.getAndIncrement())
                        : run.customers.get(run.random.nextInt(run.customers.size()));
                appointment = run.random.nextDouble() < run.settings.appointmentShare();
                cancelDraw = run.random.nextDouble();
                cancelEarly = run.random.nextBoolean();
                List<SkiplinoCatalog.Service> services = catalog.bookableServices().stream()
                        .filter(s -> catalog.isOpen(s) && s.appointment() == appointment)
                        .toList();
                service = services.get(run.random.nextInt(services.size()));
            }
            StoredCustomer customer = customers.find(Locator.id(Locator.ID, chosen.id())).orElse(null);
            if (customer == null) {
                run.skipped.incrementAndGet();
                run.ticketEnded();
                return;
            }
            SandboxTicket ticket = tickets.bookForSimulation(service, customer, appointment);
            run.booked.incrementAndGet();
            String cancelFrom = null;
            if (cancelDraw < run.settings.cancelShare()) {
                cancelFrom = appointment && cancelEarly ? SandboxTicket.UPCOMING : SandboxTicket.WAITING;
            }
            scheduleStep(run, ticket, ticket.status(), cancelFrom);
        } catch (RuntimeException e) {
            LOG.warn("Simulated booking failed: {}", e.getMessage());
            run.skipped.incrementAndGet();
            run.ticketEnded();
        }
    }

    private void scheduleStep(Run run, SandboxTicket ticket, String status, String cancelFrom) {
        long dwell = pick(run, run.settings.dwellOf(status));
        scheduler.schedule(() -> step(run, ticket, status, cancelFrom), dwell, TimeUnit.MILLISECONDS);
    }

    private void step(Run run, SandboxTicket ticket, String status, String cancelFrom) {
        if (run.stopped) {
            return;
        }
        String next = status.equals(cancelFrom) ? SandboxTicket.CANCELLED : successor(status);
        if (!tickets.advance(ticket, status, next)) {
            // someone else (a client's cancel) moved the ticket on; the simulation leaves it there
            run.ticketEnded();
            return;
        }
        run.transitions.incrementAndGet();
        switch (next) {
            case SandboxTicket.SERVED -> {
                run.served.incrementAndGet();
                run.ticketEnded();
            }
            case SandboxTicket.CANCELLED -> {
                run.cancelled.incrementAndGet();
                run.ticketEnded();
            }
            default -> scheduleStep(run, ticket, next, cancelFrom);
        }
    }

    private static String successor(String status) {
        return switch (status) {
            case SandboxTicket.UPCOMING -> SandboxTicket.WAITING;
            case SandboxTicket.WAITING -> SandboxTicket.SERVING;
            default -> SandboxTicket.SERVED;
        };
    }

    private static long pick(Run run, ActivitySettings.Range range) {
        if (range.max() == range.min()) {
            return range.min();
        }
        synchronized (run.random) {
            return range.min() + (long) (run.random.nextDouble() * (range.max() - range.min() + 1));
        }
    }
}
