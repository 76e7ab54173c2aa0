package io.skiplinobridge.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.config.ConditionalOnFlows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Learns what Skiplino already holds by reading its customer directory in pages of 100
 * ({@code GET /customers/getAll}) and recording, per customer, its {@code _id} and the content hash of
 * what Skiplino holds ({@link SyncStore#recordDirectory}). The engine then decides every following
 * change by hash as usual: a customer Skiplino already holds unchanged costs no call at all, a changed
 * one costs one update, never the create that fails on "already taken" and the update after it.
 *
 * <p>Used on a cold start ({@code bridge.sync.preload=COLD_START}, the default): a bridge whose store
 * knows no Skiplino customer yet (new installation, or a lost database) facing a Skiplino that an
 * earlier integration already populated. 20,000 customers cost 200 page reads instead of 40,000
 * customer calls. The first claim of the {@code customer-sync-claim} route runs it, so workers start
 * only once it is done; webhooks and CRM polls keep filling the inbox meanwhile.
 *
 * <p>Only facts are recorded: the bridge never writes to Skiplino here, and a customer a worker wrote
 * after the page was read keeps the worker's record. A page that cannot be read after a few attempts
 * ends the preload early; the customers it did not reach are then handled the ordinary way (create,
 * then update on "already taken"), which costs calls but loses nothing.
 */
@Component
@ConditionalOnFlows
public class DirectoryPreload {

    static final int PAGE_SIZE = 100;
    static final int PAGE_ATTEMPTS = 5;
    private static final Duration LONGEST_PAGE_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(DirectoryPreload.class);

    private final SyncStore store;
    private final SkiplinoCustomers skiplino;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SyncProperties.PreloadMode mode;
    private final Backoff backoff;
    private volatile boolean startChecked;

    DirectoryPreload(SyncStore store, SkiplinoCustomers skiplino, TransactionTemplate tx, Clock clock,
                     SyncProperties properties) {
        this.store = store;
        this.skiplino = skiplino;
        this.tx = tx;
        this.clock = clock;
        this.mode = properties.preload();
        this.backoff = new Backoff(Duration.ofSeconds(1), LONGEST_PAGE_WAIT);
    }

    /**
     * Called before each claim. The first call of this process preloads when the mode asks for it;
     * later calls return at once.
     *
     * @return false when the preload was interrupted (the bridge is stopping): claim nothing then
     */
    boolean beforeFirstClaim() {
        if (startChecked) {
            return true;
        }
        synchronized (this) {
            if (startChecked) {
                return true;
            }
            boolean wanted = mode == SyncProperties.PreloadMode.EVERY_START
                    || (mode == SyncProperties.PreloadMode.COLD_START && store.knowsNoSkiplinoCustomer());
            if (wanted) {
                try {
                    reconcile();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            startChecked = true;
            return true;
        }
    }

    /**
     * Reads the whole directory and records what Skiplino holds for each customer listed.
     *
     * @throws InterruptedException when the thread is interrupted while waiting to retry a page
     */
    public Result reconcile() throws InterruptedException {
        Instant started = clock.instant();
        log.info("Reading Skiplino's customer directory in pages of {} to learn what it already holds", PAGE_SIZE);
        int pages = 0;
        int customers = 0;
        for (int page = 1; ; page++) {
            Instant readStartedAt = clock.instant();
            DirectoryRead read = readPage(page);
            if (read instanceof DirectoryRead.Failed failed) {
                log.warn("Skiplino directory preload stopped at page {} after {} customers: {}. Customers not "
                                + "reached are synced the ordinary way (a create, then an update if Skiplino already has them).",
                        page, customers, failed.failure());
                return new Result(pages, customers, false, Duration.between(started, clock.instant()));
            }
            DirectoryRead.Page data = (DirectoryRead.Page) read;
            pages++;
            customers += record(data, readStartedAt);
            if (!data.hasNext()) {
                break;
            }
        }
        Duration took = Duration.between(started, clock.instant());
        log.info("Skiplino directory read: {} customers on {} pages in {} ms; unchanged customers will cost no call",
                customers, pages, took.toMillis());
        return new Result(pages, customers, true, took);
    }

    private DirectoryRead readPage(int page) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            DirectoryRead read = skiplino.directory(page, PAGE_SIZE);
            if (read instanceof DirectoryRead.Failed failed && attempt < PAGE_ATTEMPTS) {
                Duration wait = retryWait(failed.failure(), attempt);
                if (wait != null) {
                    TimeUnit.MILLISECONDS.sleep(wait.toMillis());
                    continue;
                }
            }
            return read;
        }
    }

    /** How long to wait before reading a page again, or null when retrying cannot help. */
    private Duration retryWait(CustomerCall failure, int attempt) {
        if (failure instanceof CustomerCall.Transient t) {
            Duration wait = backoff.next(attempt, t.retryAfter());
            return wait.compareTo(LONGEST_PAGE_WAIT) > 0 ? LONGEST_PAGE_WAIT : wait;
        }
        return failure instanceof CustomerCall.NotPermitted ? backoff.next(attempt, null) : null;
    }

    private int record(DirectoryRead.Page page, Instant readStartedAt) {
        if (page.customers().isEmpty()) {
            return 0;
        }
        try {
            return tx.execute(s -> store.recordDirectory(page.customers(), readStartedAt, clock.instant()));
        } catch (DuplicateKeyException createdConcurrently) {
            // an inbox writer created one of the rows meanwhile; the second pass updates it instead
            return tx.execute(s -> store.recordDirectory(page.customers(), readStartedAt, clock.instant()));
        }
    }

    /**
     * @param pages     directory pages read
     * @param customers customers whose Skiplino state was recorded
     * @param complete  false when a page could not be read and the preload stopped early
     */
    public record Result(int pages, int customers, boolean complete, Duration took) {
    }
}
