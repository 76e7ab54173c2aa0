package io.skiplinobridge.sandbox.skiplino;

import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.SandboxResettable;

import org.springframework.stereotype.Component;

/**
 * The Skiplino part of {@code POST /sandbox/control/reset}: activity stopped, customers and tickets
 * gone, stats, request log, faults and rejections cleared; the seeded branches and services stay.
 */
@Component
@ConditionalOnSandbox
class SkiplinoSandboxReset implements SandboxResettable {

    private final ActivitySimulator activity;
    private final TicketBook tickets;
    private final CustomerDirectory customers;
    private final FaultInjector faults;
    private final WriteRejections rejections;
    private final TrafficStats stats;
    private final RequestLog log;

    SkiplinoSandboxReset(ActivitySimulator activity, TicketBook tickets, CustomerDirectory customers,
                         FaultInjector faults, WriteRejections rejections, TrafficStats stats, RequestLog log) {
        this.activity = activity;
        this.tickets = tickets;
        this.customers = customers;
        this.faults = faults;
        this.rejections = rejections;
        this.stats = stats;
        this.log = log;
    }

    @Override
    public void reset() {
        activity.clear();
        faults.clear();
        rejections.clear();
        tickets.clear();
        customers.clear();
        stats.clear();
        log.clear();
    }
}
