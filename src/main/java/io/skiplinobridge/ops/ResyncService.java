package io.skiplinobridge.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.CallPurpose;
import io.skiplinobridge.skiplino.Customer;
import io.skiplinobridge.skiplino.SkiplinoClient;
import io.skiplinobridge.skiplino.SkiplinoException;
import io.skiplinobridge.skiplino.SkiplinoPage;
import io.skiplinobridge.skiplino.SkiplinoTransientException;
import io.skiplinobridge.sync.SyncOperations;
import io.skiplinobridge.sync.SyncOperations.Convergence;
import io.skiplinobridge.sync.SyncOperations.KnownState;
import io.skiplinobridge.sync.SyncOperations.LatestChange;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Resync: compares the latest CRM state the bridge holds for each customer with what Skiplino actually
 * holds, and (unless it is a dry run) makes the engine converge.
 *
 * <p>Skiplino is read only through {@code GET /customers/getAll} in pages of 100, never one call per
 * customer. Each page is compared at once with the bridge's latest stored change of its customers;
 * afterwards, the customers the bridge knows that no page held are the ones Skiplino lacks. A real run
 * then, per page: records in {@code customer_sync} what Skiplino really holds (the drift repair) and
 * enqueues a {@code RESYNC} change for every customer that differs, so the normal engine applies it;
 * there is no second write path. A dry run writes nothing, to Skiplino or to the database.
 *
 * <p>Memory: one page at a time, the set of externalIds already seen (to find the absent ones and to
 * skip a customer a shifting page shows twice), and bounded id lists in the report. One run at a time.
 */
@Component
@ConditionalOnFlows
class ResyncService {

    static final int PAGE_SIZE = 100;
    private static final int PAGE_ATTEMPTS = 6;
    private static final int ABSENT_CHUNK = 500;
    private static final Logger log = LoggerFactory.getLogger(ResyncService.class);

    private final SkiplinoClient skiplino;
    private final SyncOperations sync;
    private final ResyncComparer comparer;
    private final OpsMetrics metrics;
    private final OpsProperties.Resync settings;
    private final Clock clock;
    private final Deque<ResyncJob> jobs = new ConcurrentLinkedDeque<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ops-resync");
        thread.setDaemon(true);
        return thread;
    });

    ResyncService(SkiplinoClient skiplino, SyncOperations sync, ResyncComparer comparer, OpsMetrics metrics,
                  OpsProperties properties, Clock clock) {
        this.skiplino = skiplino.forPurpose(CallPurpose.SYNC);
        this.sync = sync;
        this.comparer = comparer;
        this.metrics = metrics;
        this.settings = properties.resync();
        this.clock = clock;
    }

    /**
     * Starts a run in the background.
     *
     * @param externalIds the customers to compare, null for every customer the bridge knows
     * @throws org.springframework.web.ErrorResponseException 409 while another run is going
     */
    synchronized ResyncJob start(List<String> externalIds, boolean dryRun, String requestedBy) {
        Optional<ResyncJob> running = jobs.stream().filter(ResyncJob::running).findFirst();
        if (running.isPresent()) {
            throw OpsProblems.conflict("Resync " + running.get().id() + " is still running; follow it on GET /ops/api/resync/"
                    + running.get().id() + " and start another when it has finished.");
        }
        Set<String> scope = externalIds == null ? null : new LinkedHashSet<>(externalIds);
        ResyncJob job = new ResyncJob("rs-" + UUID.randomUUID().toString().substring(0, 8), dryRun,
                scope == null ? null : scope.size(), requestedBy, clock.instant(), settings.listLimit());
        jobs.addFirst(job);
        while (jobs.size() > settings.keepJobs()) {
            jobs.removeLast();
        }
        log.info("Resync {} started by {}: {} {}", job.id(), requestedBy, dryRun ? "dry run over" : "run over",
                scope == null ? "every customer" : scope.size() + " listed customers");
        runner.execute(() -> run(job, scope));
        return job;
    }

    Optional<ResyncJob> find(String id) {
        return jobs.stream().filter(j -> j.id().equals(id)).findFirst();
    }

    List<ResyncJob> recent() {
        return List.copyOf(jobs);
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    private void run(ResyncJob job, Set<String> scope) {
        try {
            Set<String> seen = new HashSet<>();
            job.phase(ResyncJob.Phase.READING_SKIPLINO);
            for (int page = 1; ; page++) {
                SkiplinoPage<Customer> customers = page(page);
                List<Customer> data = customers.data() == null ? List.of() : customers.data();
                job.pageRead(data.size(), customers.pagination().total());
                comparePage(job, scope, seen, data);
                if (data.isEmpty() || !customers.pagination().hasNextPage()) {
                    break;
                }
            }
            job.phase(ResyncJob.Phase.CHECKING_ABSENT);
            checkAbsent(job, scope, seen);
            job.succeeded(clock.instant());
            ResyncJob.View view = job.view();
            log.info("Resync {} finished: {} would be created, {} updated, {} unchanged, {} invalid{}", job.id(),
                    view.result().wouldCreate().count(), view.result().wouldUpdate().count(),
                    view.result().unchanged().count(), view.result().invalid().count(),
                    job.dryRun() ? " (dry run: nothing written)" : "; " + view.applied().enqueued() + " changes enqueued");
        } catch (SkiplinoException e) {
            job.failed(clock.instant(), "Skiplino could not be read: " + e.getMessage());
            log.warn("Resync {} failed: Skiplino could not be read: {}", job.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.failed(clock.instant(), "stopped: the bridge is shutting down");
        } catch (RuntimeException e) {
            job.failed(clock.instant(), e.getClass().getSimpleName() + ": " + e.getMessage());
            log.error("Resync {} failed", job.id(), e);
        }
    }

    /** One page of Skiplino's directory; transient failures (429, 5xx, timeouts, open circuit) are waited out a few times. */
    private SkiplinoPage<Customer> page(int page) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return skiplino.listCustomers(page, PAGE_SIZE);
            } catch (SkiplinoTransientException e) {
                if (attempt == PAGE_ATTEMPTS) {
                    throw e;
                }
                Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1L << (attempt - 1)));
                TimeUnit.MILLISECONDS.sleep(Math.min(wait.toMillis(), Duration.ofMinutes(1).toMillis()));
            }
        }
    }

    private void comparePage(ResyncJob job, Set<String> scope, Set<String> seen, List<Customer> page) {
        List<Customer> fresh = new ArrayList<>();
        for (Customer customer : page) {
            String id = customer.externalId();
            if (id != null && (scope == null || scope.contains(id)) && !seen.contains(id)) {
                fresh.add(customer);
            }
        }
        List<String> ids = fresh.stream().map(Customer::externalId).toList();
        Map<String, LatestChange> latest = sync.latestChanges(ids);
        Map<String, KnownState> known = job.dryRun() ? Map.of() : sync.knownStates(ids);
        List<Convergence> convergences = new ArrayList<>();
        for (Customer customer : fresh) {
            String id = customer.externalId();
            LatestChange change = latest.get(id);
            seen.add(id);
            if (change == null) {
                if (scope == null) {
                    job.notInBridge(id);
                }
                continue;
            }
            ResyncComparer.Verdict verdict = comparer.compare(change, customer);
            job.compared(id, verdict);
            if (!job.dryRun() && verdict.kind() != ResyncComparer.Kind.DELETED_IN_CRM) {
                String hash = ResyncComparer.hash(customer);
                LatestChange reassert = verdict.kind() == ResyncComparer.Kind.WOULD_UPDATE ? change : null;
                if (reassert != null || differs(known.get(id), customer.id(), hash)) {
                    convergences.add(new Convergence(id, customer.id(), hash, reassert));
                }
            }
        }
        converge(job, convergences);
    }

    /** The customers the bridge knows (or the listed ones) that no Skiplino page held. */
    private void checkAbsent(ResyncJob job, Set<String> scope, Set<String> seen) {
        if (scope != null) {
            List<String> absent = scope.stream().filter(id -> !seen.contains(id)).toList();
            for (int i = 0; i < absent.size(); i += ABSENT_CHUNK) {
                compareAbsent(job, absent.subList(i, Math.min(absent.size(), i + ABSENT_CHUNK)), true);
            }
            return;
        }
        String after = null;
        while (true) {
            List<String> chunk = sync.customersAfter(after, ABSENT_CHUNK);
            if (chunk.isEmpty()) {
                return;
            }
            compareAbsent(job, chunk.stream().filter(id -> !seen.contains(id)).toList(), false);
            after = chunk.get(chunk.size() - 1);
        }
    }

    private void compareAbsent(ResyncJob job, List<String> ids, boolean listed) {
        Map<String, LatestChange> latest = sync.latestChanges(ids);
        Map<String, KnownState> known = job.dryRun() ? Map.of() : sync.knownStates(ids);
        List<Convergence> convergences = new ArrayList<>();
        for (String id : ids) {
            LatestChange change = latest.get(id);
            if (change == null) {
                if (listed) {
                    job.unknown(id);
                }
                continue;
            }
            ResyncComparer.Verdict verdict = comparer.compare(change, null);
            job.compared(id, verdict);
            if (!job.dryRun() && verdict.kind() != ResyncComparer.Kind.DELETED_IN_CRM) {
                LatestChange reassert = verdict.kind() == ResyncComparer.Kind.WOULD_CREATE ? change : null;
                if (reassert != null || differs(known.get(id), null, null)) {
                    convergences.add(new Convergence(id, null, null, reassert));
                }
            }
        }
        converge(job, convergences);
    }

    private void converge(ResyncJob job, List<Convergence> convergences) {
        if (job.dryRun() || convergences.isEmpty()) {
            return;
        }
        int enqueued = sync.converge(job.id(), convergences);
        metrics.resyncEnqueued(enqueued);
        job.converged(convergences.size(), enqueued);
    }

    private static boolean differs(KnownState known, String skiplinoId, String hash) {
        return known == null || known.deleted() || !Objects.equals(known.skiplinoId(), skiplinoId)
                || !Objects.equals(known.contentHash(), hash);
    }
}
