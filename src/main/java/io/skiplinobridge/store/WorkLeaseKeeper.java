package io.skiplinobridge.store;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps every {@link WorkLeases} bean alive and hands its rows back on shutdown.
 *
 * <p>Renews each one every third of its lease, so a live instance never loses a row it is working on
 * (two missed renewals still leave a third of the lease). On shutdown it stops after the Camel context
 * (a lower phase stops later), that is once the claim routes stopped and the workers finished or were
 * cut off by {@code camel.main.shutdown-timeout}, and then releases what was claimed but never begun.
 */
@Component
public class WorkLeaseKeeper implements SmartLifecycle {

    /** Below Camel's context ({@code Integer.MAX_VALUE - 2049}): stopped after it. */
    static final int PHASE = Integer.MAX_VALUE - 4096;

    private static final Logger log = LoggerFactory.getLogger(WorkLeaseKeeper.class);

    private final ObjectProvider<WorkLeases> leases;
    private ScheduledExecutorService renewer;

    WorkLeaseKeeper(ObjectProvider<WorkLeases> leases) {
        this.leases = leases;
    }

    @Override
    public synchronized void start() {
        List<WorkLeases> all = leases.orderedStream().toList();
        renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lease-renewer");
            thread.setDaemon(true);
            return thread;
        });
        for (WorkLeases one : all) {
            long every = Math.max(1, one.lease().toMillis() / 3);
            renewer.scheduleWithFixedDelay(() -> renew(one), every, every, TimeUnit.MILLISECONDS);
        }
    }

    private static void renew(WorkLeases one) {
        try {
            one.renew();
        } catch (RuntimeException e) {
            // the next renewal comes well before the lease runs out; if the store stays away, the
            // finish of each apply is lease-fenced anyway
            log.warn("{}: renewing leases failed ({}); retrying in {}", one.name(), e.toString(),
                    one.lease().dividedBy(3));
        }
    }

    @Override
    public synchronized void stop() {
        if (renewer == null) {
            return;
        }
        renewer.shutdownNow();
        for (WorkLeases one : leases.orderedStream().toList()) {
            try {
                one.close();
            } catch (RuntimeException e) {
                log.warn("{}: releasing leases on shutdown failed ({}); they expire within {}", one.name(),
                        e.toString(), one.lease());
            }
        }
        renewer = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return renewer != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
