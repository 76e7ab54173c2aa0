package io.skiplinobridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.store.LockRetry;
import io.skiplinobridge.store.WorkLeases;
import org.apache.camel.Exchange;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims customers with due work for this instance's workers (route {@code customer-sync-claim}).
 *
 * <p>It claims no more than the workers can start soon ({@code 4 × workers} in flight), so a lease
 * never runs out while its customer waits in the in-memory queue, and only once at least {@code workers}
 * slots are free: a busy bridge then claims in batches (one commit for many customers) while the queue
 * still holds work for every worker, instead of claiming each freed slot alone, and an idle one claims at
 * once (all slots are free). It claims nothing at all while the flow is
 * paused or Skiplino's circuit is open (the backlog waits in the database instead of burning retry
 * attempts), or once the instance is shutting down. Its first claim waits for the {@link DirectoryPreload}
 * on a cold start. Its leases are renewed while the customers wait or run ({@link WorkLeases}), and those
 * never started are handed back on shutdown.
 */
@Component("customerSyncClaimer")
@ConditionalOnFlows
public class CustomerSyncClaimer {

    public static final String PAUSE_FLAG = "customer-sync.paused";

    private final SyncStore store;
    private final SkiplinoCustomers skiplino;
    private final DirectoryPreload preload;
    private final BridgeFlags flags;
    private final SyncProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final InstanceId instance;
    private final WorkLeases leases;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int capacity;
    private final int batch;

    CustomerSyncClaimer(SyncStore store, SkiplinoCustomers skiplino, DirectoryPreload preload, BridgeFlags flags,
                        SyncProperties properties, TransactionTemplate tx, Clock clock, InstanceId instance,
                        WorkLeases customerSyncWorkLeases) {
        this.store = store;
        this.skiplino = skiplino;
        this.preload = preload;
        this.flags = flags;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
        this.instance = instance;
        this.leases = customerSyncWorkLeases;
        this.capacity = properties.workers() * 4;
        this.batch = properties.workers();
    }

    /**
     * The externalIds claimed now (possibly none). Tells the scheduler to poll again at once when it
     * filled every free slot, since more work is probably waiting.
     */
    public List<String> claim(Exchange exchange) {
        // until a claim succeeded: a claim that fails (store unreachable) must leave the pause to the
        // scheduler's delay, not make the greedy scheduler poll again at once (its default) in a tight loop
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, false);
        int free = capacity - inFlight.get();
        List<String> claimed = List.of();
        // with fewer free slots the queue still holds at least 3 x workers customers: no worker waits
        if (free >= batch && properties.enabled() && skiplino.acceptingWork() && !flags.isActive(PAUSE_FLAG)
                && preload.beforeFirstClaim()) {
            claimed = leases.claim(() -> LockRetry.run("claiming customers", () -> tx.execute(s -> {
                Instant now = clock.instant();
                return store.claim(instance.value(), free, now, now.plus(properties.lease()));
            })));
            inFlight.addAndGet(claimed.size());
        }
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, !claimed.isEmpty() && claimed.size() == free);
        return claimed;
    }

    /** A claimed customer left the workers (applied, failed, or given up): its lease is no longer renewed. */
    public void released(String externalId) {
        leases.released(externalId);
        inFlight.decrementAndGet();
    }

    /** Customers claimed by this instance and not yet released. */
    public int inFlight() {
        return inFlight.get();
    }
}
