package io.skiplinobridge.tickets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.CallPurpose;
import io.skiplinobridge.skiplino.CustomerKey;
import io.skiplinobridge.skiplino.SkiplinoClient;
import io.skiplinobridge.skiplino.SkiplinoException;
import io.skiplinobridge.skiplino.SkiplinoGuard;
import io.skiplinobridge.skiplino.SkiplinoPage;
import io.skiplinobridge.skiplino.SkiplinoPermanentException;
import io.skiplinobridge.skiplino.SkiplinoValidationException;
import io.skiplinobridge.skiplino.Ticket;
import io.skiplinobridge.store.BridgeFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One discovery cycle (route {@code ticket-discovery}, one firing at a time): reads Skiplino for new and
 * changed tickets of synced customers, inside the ticket mirror's request budget, most urgent first:
 * <ol>
 *   <li>customers with open tickets: the first page of their ticket list (newest first), then
 *       {@code GET /tickets/{id}} for each open ticket that page did not show;</li>
 *   <li>recently active customers, at least every {@code recent-interval};</li>
 *   <li>every other synced customer, round-robin, with what is left of this cycle's even share of the
 *       per-minute budget.</li>
 * </ol>
 * A customer's pages are read until the first page with nothing new. Whatever the budget does not allow
 * now waits for a later cycle; a transient Skiplino failure ends that customer's poll for the cycle.
 */
@Component("ticketDiscovery")
@ConditionalOnFlows
public class TicketDiscovery implements DisposableBean {

    public static final String PAUSE_FLAG = "ticket-mirror.paused";
    static final int PAGE_SIZE = 10;
    /** Cycles kept in memory for the status page and for checks of what discovery could have seen. */
    static final int HISTORY = 1000;

    private static final Logger log = LoggerFactory.getLogger(TicketDiscovery.class);

    private final TicketStore store;
    private final TicketMirror mirror;
    private final SkiplinoClient skiplino;
    private final SkiplinoGuard guard;
    private final BridgeFlags flags;
    private final TicketProperties properties;
    private final TicketProperties.Discovery settings;
    private final Clock clock;
    private final RequestBudget budget;
    private final ExecutorService workers;
    private final AtomicReference<CycleReport> lastCycle = new AtomicReference<>();
    private final Deque<CycleReport> history = new ArrayDeque<>();
    private final AtomicReference<Instant> lastSuccessAt = new AtomicReference<>();

    TicketDiscovery(TicketStore store, TicketMirror mirror, SkiplinoClient skiplino, SkiplinoGuard guard,
                    BridgeFlags flags, TicketProperties properties, Clock clock) {
        this.store = store;
        this.mirror = mirror;
        this.skiplino = skiplino.forPurpose(CallPurpose.TICKETS);
        this.guard = guard;
        this.flags = flags;
        this.properties = properties;
        this.settings = properties.discovery();
        this.clock = clock;
        this.budget = new RequestBudget(settings.requestsPerMinute(), Duration.ofMinutes(1), System::nanoTime);
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.parallelism(), runnable -> {
            Thread thread = new Thread(runnable, "ticket-discovery-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The quartz trigger's repeat interval (route {@code ticket-discovery}). */
    public long pollIntervalMillis() {
        return settings.pollInterval().toMillis();
    }

    /** Runs one cycle, unless the mirror is switched off or paused, or Skiplino takes no work now. */
    public void cycle() {
        if (!properties.enabled() || !settings.enabled() || flags.isActive(PAUSE_FLAG) || !guard.acceptingWork()) {
            return;
        }
        Instant startedAt = clock.instant();
        Cycle cycle = new Cycle();
        try {
            List<TicketStore.OpenTicket> open = store.openTickets(startedAt.minus(settings.stopFollowingAfter()));
            Map<String, String> withOpen = new LinkedHashMap<>();
            open.forEach(t -> withOpen.putIfAbsent(t.externalId(), t.skiplinoCustomer()));
            runAll(withOpen.entrySet().stream().map(c -> (Runnable) () -> pollCustomer(cycle, c.getKey(),
                    c.getValue())).toList());
            runAll(open.stream().filter(t -> !cycle.sighted.contains(t.ticketId()))
                    .map(t -> (Runnable) () -> fetchTicket(cycle, t)).toList());

            List<TicketStore.SyncedCustomer> recent = store.recentlyActive(startedAt.minus(settings.recentWindow()),
                    startedAt.minus(settings.recentInterval()), Math.max(1, budget.available()));
            runAll(recent.stream().filter(c -> !cycle.polled.contains(c.externalId()))
                    .map(c -> (Runnable) () -> pollCustomer(cycle, c.externalId(), c.skiplinoId())).toList());

            int share = evenShare() - cycle.requests.get();
            if (share > 0) {
                List<TicketStore.SyncedCustomer> rest = store.roundRobin(share + cycle.polled.size());
                runAll(rest.stream().filter(c -> !cycle.polled.contains(c.externalId())).limit(share)
                        .map(c -> (Runnable) () -> pollCustomer(cycle, c.externalId(), c.skiplinoId())).toList());
            }
            if (cycle.failure.get() == null) {
                lastSuccessAt.set(clock.instant());
            }
        } finally {
            store.polled(cycle.completed, clock.instant());
            CycleReport report = new CycleReport(startedAt, clock.instant(), cycle.requests.get(), cycle.polled.size(),
                    cycle.queued.get(), cycle.failure.get());
            lastCycle.set(report);
            synchronized (history) {
                history.addLast(report);
                if (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
            log.debug("Discovery cycle: {} requests, {} customers, {} tickets queued in {} ms", report.requests(),
                    report.customers(), report.queued(), Duration.between(startedAt, report.endedAt()).toMillis());
        }
    }

    /** Requests one cycle may spend on round-robin polling: the budget spread evenly over the minute. */
    private int evenShare() {
        double cyclesPerMinute = 60_000.0 / Math.max(1, settings.pollInterval().toMillis());
        return (int) Math.ceil(settings.requestsPerMinute() / cyclesPerMinute);
    }

    private void pollCustomer(Cycle cycle, String externalId, String skiplinoId) {
        if (!cycle.polled.add(externalId)) {
            return;
        }
        MDC.put("externalId", externalId);
        try {
            String id = skiplinoId != null ? skiplinoId : store.skiplinoId(externalId);
            CustomerKey key = id != null ? CustomerKey.byId(id) : CustomerKey.byExternalId(externalId);
            for (int page = 1; page <= settings.maxPagesPerCustomer(); page++) {
                if (!budget.tryAcquire()) {
                    cycle.polled.remove(externalId);
                    return;
                }
                SkiplinoPage<Ticket> tickets;
                try {
                    cycle.requests.incrementAndGet();
                    tickets = skiplino.customerTickets(key, page, PAGE_SIZE);
                } finally {
                    budget.release();
                }
                List<Ticket> onPage = tickets.data() == null ? List.of() : tickets.data();
                Set<String> unchanged = mirror.unchanged(externalId, onPage);
                boolean anythingNew = false;
                for (Ticket ticket : onPage) {
                    cycle.sighted.add(ticket.id());
                    if (!unchanged.contains(ticket.id()) && sight(cycle, externalId, id, ticket)) {
                        anythingNew = true;
                    }
                }
                if (!anythingNew || tickets.pagination() == null || !tickets.pagination().hasNextPage()) {
                    break;
                }
            }
            cycle.completed.add(externalId);
        } catch (SkiplinoException failure) {
            if (failure.isTransient()) {
                cycle.failure.compareAndSet(null, failure.getMessage());
                log.debug("Ticket poll of {} deferred: {}", externalId, failure.getMessage());
            } else {
                // the customer is gone from Skiplino or refused: nothing to read now, try again in its turn
                cycle.completed.add(externalId);
                log.info("Ticket poll of {} refused by Skiplino: {}", externalId, failure.getMessage());
            }
        } finally {
            MDC.remove("externalId");
        }
    }

    private void fetchTicket(Cycle cycle, TicketStore.OpenTicket open) {
        if (!budget.tryAcquire()) {
            return;
        }
        Ticket ticket;
        try {
            cycle.requests.incrementAndGet();
            ticket = skiplino.fetchTicket(open.ticketId()).data();
        } catch (SkiplinoException failure) {
            if (failure.isTransient()) {
                cycle.failure.compareAndSet(null, failure.getMessage());
            } else if (failure instanceof SkiplinoPermanentException refused && refused.isNotFound()
                    || failure instanceof SkiplinoValidationException invalid && invalid.isDoesNotExist()) {
                // Skiplino no longer knows the ticket: its last mirrored state stays, and it is not fetched again
                store.stopFollowing(open.ticketId());
                log.info("Ticket {} of {} is unknown to Skiplino ({}): no longer followed", open.ticketId(),
                        open.externalId(), failure.status());
            } else {
                log.info("Ticket {} of {} could not be read: {}", open.ticketId(), open.externalId(), failure.getMessage());
            }
            return;
        } finally {
            budget.release();
        }
        if (ticket != null) {
            sight(cycle, open.externalId(), open.skiplinoCustomer(), ticket);
        }
    }

    private boolean sight(Cycle cycle, String externalId, String skiplinoId, Ticket ticket) {
        if (ticket.id() == null || ticket.status() == null) {
            log.warn("Skiplino returned a ticket of {} without id or status; it is not mirrored", externalId);
            return false;
        }
        boolean queued = mirror.seen(externalId, skiplinoId, ticket);
        if (queued) {
            cycle.queued.incrementAndGet();
        }
        return queued;
    }

    private void runAll(List<Runnable> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        List<Future<?>> running = new ArrayList<>(tasks.size());
        tasks.forEach(task -> running.add(workers.submit(task)));
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(f -> f.cancel(true));
                return;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    /** The last cycle, or null before the first. */
    CycleReport lastCycle() {
        return lastCycle.get();
    }

    /** The last {@value #HISTORY} cycles, oldest first. */
    List<CycleReport> recentCycles() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    Instant lastSuccessAt() {
        return lastSuccessAt.get();
    }

    /** Budget slots free right now. */
    int budgetAvailable() {
        return budget.available();
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }

    /**
     * @param requests Skiplino requests the cycle sent
     * @param customers customers whose ticket list it read
     * @param queued    new or changed tickets it queued for the CRM
     * @param failure   the first transient failure it met, null when none
     */
    record CycleReport(Instant startedAt, Instant endedAt, int requests, int customers, int queued, String failure) {
    }

    private static final class Cycle {
        final Set<String> polled = ConcurrentHashMap.newKeySet();
        final Set<String> completed = ConcurrentHashMap.newKeySet();
        final Set<String> sighted = ConcurrentHashMap.newKeySet();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger queued = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
    }
}
