package io.skiplinobridge.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.ops.ResyncComparer.Kind;
import io.skiplinobridge.sync.FieldError;

/**
 * One resync run: its request, progress and result. Memory stays bounded whatever the directory size:
 * counts are complete, but each category lists at most {@code listLimit} ids. Written by the run's
 * thread, read by API threads: every access is synchronized.
 */
final class ResyncJob {

    enum State { RUNNING, SUCCEEDED, FAILED }

    enum Phase { QUEUED, READING_SKIPLINO, CHECKING_ABSENT, DONE }

    private final String id;
    private final boolean dryRun;
    private final Integer requested;
    private final String requestedBy;
    private final Instant startedAt;
    private final int listLimit;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<Kind, Category> categories = new EnumMap<>(Kind.class);
    private final List<InvalidCustomer> invalid = new ArrayList<>();
    private final Category notInBridge;
    private final Category unknown;
    private State state = State.RUNNING;
    private Phase phase = Phase.QUEUED;
    private Instant finishedAt;
    private String error;
    private int skiplinoPages;
    private long skiplinoCustomers;
    private long skiplinoTotal;
    private long compared;
    private long refreshed;
    private long enqueued;

    /** @param requested how many externalIds were listed, null for all customers */
    ResyncJob(String id, boolean dryRun, Integer requested, String requestedBy, Instant startedAt, int listLimit) {
        this.id = id;
        this.dryRun = dryRun;
        this.requested = requested;
        this.requestedBy = requestedBy;
        this.startedAt = startedAt;
        this.listLimit = listLimit;
        for (Kind kind : Kind.values()) {
            categories.put(kind, new Category(listLimit));
        }
        this.notInBridge = new Category(listLimit);
        this.unknown = new Category(listLimit);
    }

    String id() {
        return id;
    }

    boolean dryRun() {
        return dryRun;
    }

    synchronized boolean running() {
        return state == State.RUNNING;
    }

    synchronized void phase(Phase phase) {
        this.phase = phase;
    }

    synchronized void pageRead(int customers, long total) {
        skiplinoPages++;
        skiplinoCustomers += customers;
        skiplinoTotal = total;
    }

    synchronized void compared(String externalId, ResyncComparer.Verdict verdict) {
        compared++;
        categories.get(verdict.kind()).add(externalId);
        if (verdict.kind() == Kind.INVALID && invalid.size() < listLimit) {
            invalid.add(new InvalidCustomer(externalId, verdict.errors()));
        }
    }

    /** A Skiplino customer whose externalId the bridge never received a change for. */
    synchronized void notInBridge(String externalId) {
        notInBridge.add(externalId);
    }

    /** A listed externalId the bridge never received a change for. */
    synchronized void unknown(String externalId) {
        unknown.add(externalId);
    }

    synchronized void converged(int refreshedRows, int enqueuedChanges) {
        refreshed += refreshedRows;
        enqueued += enqueuedChanges;
    }

    void succeeded(Instant at) {
        synchronized (this) {
            state = State.SUCCEEDED;
            phase = Phase.DONE;
            finishedAt = at;
        }
        finished.countDown();
    }

    void failed(Instant at, String reason) {
        synchronized (this) {
            state = State.FAILED;
            finishedAt = at;
            error = reason;
        }
        finished.countDown();
    }

    /** Waits up to {@code wait} for the run to end; true when it has. */
    boolean awaitEnd(Duration wait) throws InterruptedException {
        return finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized View view() {
        Result result = new Result(categories.get(Kind.WOULD_CREATE).view(), categories.get(Kind.WOULD_UPDATE).view(),
                categories.get(Kind.UNCHANGED).view(),
                new InvalidList(categories.get(Kind.INVALID).count, List.copyOf(invalid),
                        categories.get(Kind.INVALID).count > invalid.size()),
                categories.get(Kind.DELETED_IN_CRM).view(), notInBridge.view(), requested == null ? null : unknown.view());
        return new View(id, state, phase, dryRun, requested == null ? "all" : "listed", requested, requestedBy,
                startedAt, finishedAt, error,
                new Progress(skiplinoPages, skiplinoCustomers, skiplinoTotal, compared),
                result, dryRun ? null : new Convergence(refreshed, enqueued));
    }

    /** A count and the first {@code limit} ids. */
    private static final class Category {

        private final int limit;
        private final List<String> ids = new ArrayList<>();
        private long count;

        Category(int limit) {
            this.limit = limit;
        }

        void add(String externalId) {
            count++;
            if (ids.size() < limit) {
                ids.add(externalId);
            }
        }

        Listed view() {
            return new Listed(count, List.copyOf(ids), count > ids.size());
        }
    }

    /**
     * @param scope     {@code all} customers the bridge knows, or the {@code listed} externalIds
     * @param requested how many externalIds were listed (null for all)
     * @param applied   what a real run changed (absent for a dry run)
     */
    record View(String id, State state, Phase phase, boolean dryRun, String scope, Integer requested, String requestedBy,
                Instant startedAt, Instant finishedAt, String error, Progress progress, Result result,
                Convergence applied) {
    }

    /**
     * @param skiplinoPages     pages of {@code GET /customers/getAll} read (100 customers each)
     * @param skiplinoCustomers customers those pages held
     * @param skiplinoTotal     Skiplino's own count of its customers, from the last page read
     * @param compared          customers compared so far
     */
    record Progress(int skiplinoPages, long skiplinoCustomers, long skiplinoTotal, long compared) {
    }

    /**
     * @param wouldCreate  the bridge holds a valid CRM state; Skiplino has no such customer
     * @param wouldUpdate  Skiplino holds something else than the latest CRM state
     * @param unchanged    Skiplino holds exactly the latest CRM state
     * @param invalid      the latest CRM state cannot be mapped (with the field errors)
     * @param deletedInCrm the latest CRM change is a delete: left to the engine's delete handling
     * @param notInBridge  Skiplino customers with an externalId the bridge never received (never touched)
     * @param unknown      listed externalIds the bridge never received (only when ids were listed)
     */
    record Result(Listed wouldCreate, Listed wouldUpdate, Listed unchanged, InvalidList invalid, Listed deletedInCrm,
                  Listed notInBridge, Listed unknown) {
    }

    /** @param truncated more ids than the list holds (the count is complete) */
    record Listed(long count, List<String> externalIds, boolean truncated) {
    }

    record InvalidList(long count, List<InvalidCustomer> customers, boolean truncated) {
    }

    record InvalidCustomer(String externalId, List<FieldError> errors) {
    }

    /**
     * @param refreshed customers whose record of what Skiplino holds was corrected
     * @param enqueued  RESYNC changes enqueued for the engine to apply
     */
    record Convergence(long refreshed, long enqueued) {
    }
}
