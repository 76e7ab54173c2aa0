package io.skiplinobridge.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.skiplino.SkiplinoProperties;
import io.skiplinobridge.store.LockRetry;
import io.skiplinobridge.store.WorkLeases;
import io.skiplinobridge.sync.SyncStore.CustomerState;
import io.skiplinobridge.sync.SyncStore.EventStatus;
import io.skiplinobridge.sync.SyncStore.PendingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one claimed customer's pending changes to Skiplino.
 *
 * <p>Three steps, and no database lock is held while Skiplino is called:
 * <ol>
 *   <li>read the customer's state, its pending changes and the attempt its claim opened in the
 *       processing history (reads only, lease checked; the claim wrote the start of the attempt with
 *       the lease, so a write that reaches Skiplino is always preceded by a committed record of it);</li>
 *   <li>plan and make the Skiplino call(s): create or update keyed by externalId, falling back from
 *       one to the other on "already taken" / "does not exist", or delete;</li>
 *   <li>record the outcome (short transaction, lease checked again: if another instance took the
 *       customer over after our lease expired, nothing is written and the other instance's run, which
 *       is idempotent, counts), with the end of the attempt. Outcomes that workers record at the same
 *       moment share one transaction ({@link GroupCommit}), each under its own savepoint.</li>
 * </ol>
 * The lease is renewed meanwhile ({@link WorkLeases}), so it only runs out when this instance died.
 * Changes that arrive meanwhile stay pending and make the customer due again at once.
 */
@Component
@ConditionalOnFlows
class CustomerSyncProcessor {

    private static final Logger log = LoggerFactory.getLogger(CustomerSyncProcessor.class);
    /** MDC keys of every log line written while a customer is applied (shown by the console pattern, fields in JSON logs). */
    static final String MDC_EXTERNAL_ID = "externalId";
    static final String MDC_EVENT_ID = "eventId";
    static final String RESULTS_METRIC = "bridge.sync.results";
    /** How soon a customer is looked at again when Skiplino's circuit was open for it. */
    private static final Duration NOT_PERMITTED_DELAY = Duration.ofSeconds(5);
    /** Outcomes of one shared transaction at most. */
    static final int MAX_OUTCOMES_PER_COMMIT = 64;
    /**
     * How long the committing worker waits for more outcomes when several arrive together, and how many it
     * waits for: H2 writes every page a transaction changed to its file at each commit, so in a backfill
     * (outcomes 4 to a commit without it) a few milliseconds' wait for 8 to 16 to a commit cut the bridge's
     * CPU per customer by a fifth (docs/benchmarks.md). A lone outcome is committed at once.
     */
    static final Duration OUTCOME_LINGER = Duration.ofMillis(4);
    static final int OUTCOME_LINGER_ITEMS = 16;
    /** How soon held deletes are looked at again while the mass-delete guard is tripped. */
    private static final Duration HELD_DELETE_DELAY = Duration.ofMinutes(1);

    private final SyncStore store;
    private final SyncPlanner planner;
    private final SkiplinoCustomers skiplino;
    private final DeleteGuard deleteGuard;
    private final SyncProperties properties;
    private final MappingProperties mapping;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final InstanceId instance;
    private final ObjectMapper json;
    private final Backoff backoff;
    private final MeterRegistry meters;
    private final WorkLeases leases;
    private final ObjectProvider<SkiplinoLinkListener> linkListeners;
    /** Outcomes recorded by several workers at once share a commit. */
    private final GroupCommit<OutcomeStep, Boolean> outcomes =
            new GroupCommit<>(MAX_OUTCOMES_PER_COMMIT, step -> 1, MAX_OUTCOMES_PER_COMMIT, OUTCOME_LINGER,
                    OUTCOME_LINGER_ITEMS, this::commitTogether);

    CustomerSyncProcessor(SyncStore store, SyncPlanner planner, SkiplinoCustomers skiplino, DeleteGuard deleteGuard,
                          SyncProperties properties, MappingProperties mapping, TransactionTemplate tx, Clock clock,
                          InstanceId instance, ObjectMapper json, MeterRegistry meters, SkiplinoProperties skiplinoProperties,
                          WorkLeases customerSyncWorkLeases, ObjectProvider<SkiplinoLinkListener> linkListeners) {
        requireLeaseOutlastsApply(properties.lease(), skiplinoProperties);
        this.store = store;
        this.planner = planner;
        this.skiplino = skiplino;
        this.deleteGuard = deleteGuard;
        this.properties = properties;
        this.mapping = mapping;
        this.tx = tx;
        this.clock = clock;
        this.instance = instance;
        this.json = json;
        this.backoff = new Backoff(properties.backoffBase(), properties.backoffMax());
        this.meters = meters;
        this.leases = customerSyncWorkLeases;
        this.linkListeners = linkListeners;
        // every outcome is exported from the start, so rates and alerts work before the first one happens
        for (Outcome outcome : Outcome.values()) {
            counter(outcome);
        }
    }

    /**
     * An apply makes at most two Skiplino calls (create then update, or the reverse), each waiting at most
     * for a permit, a connection and an answer. A lease shorter than that could expire mid-apply and let
     * another instance apply the same customer at the same time.
     */
    static void requireLeaseOutlastsApply(Duration lease, SkiplinoProperties skiplino) {
        Duration oneCall = skiplino.rateLimit().maxWait().multipliedBy(2).plus(skiplino.connectTimeout())
                .plus(skiplino.readTimeout());
        Duration longestApply = oneCall.multipliedBy(2).plusSeconds(5);
        if (lease.compareTo(longestApply) <= 0) {
            throw new IllegalArgumentException("bridge.sync.lease (" + lease + ") must be longer than the slowest apply ("
                    + longestApply + ": two Skiplino calls, each up to twice skiplino.rate-limit.max-wait plus the connect "
                    + "and read timeouts); raise the lease or lower those timeouts");
        }
    }

    /** Applies the customer's pending work; returns the outcome recorded (for logs and tests). */
    public Outcome apply(String externalId) {
        if (!leases.begin(externalId)) {
            // shutting down: the lease was (or is being) handed back to other instances
            return count(Outcome.LEASE_LOST);
        }
        try (MDC.MDCCloseable customer = MDC.putCloseable(MDC_EXTERNAL_ID, externalId)) {
            return applyPending(externalId);
        } finally {
            MDC.remove(MDC_EVENT_ID);
            leases.finished(externalId);
        }
    }

    private Outcome applyPending(String externalId) {
        Instant started = clock.instant();
        String owner = instance.value();
        Work work = LockRetry.run("reading customer " + externalId, () -> tx.execute(s -> {
            CustomerState state = store.stateIfLeased(externalId, owner);
            if (state == null) {
                return null;
            }
            Long opened = store.openAttempt(externalId, owner);
            long attemptId = opened != null ? opened : store.startAttempt(externalId, owner, started);
            return new Work(state, store.pendingEvents(externalId), attemptId,
                    store.writeMayHaveReachedSkiplino(externalId, attemptId), started);
        }));
        if (work == null) {
            // another instance took the customer over after this one's lease expired; the attempt this
            // instance's claim opened ends here, unused
            endOpenAttempt(externalId);
            return count(Outcome.LEASE_LOST);
        }
        try {
            return applyWork(work);
        } catch (RuntimeException e) {
            endAttemptOutsideLease(work, "ERROR", e.toString());
            throw e;
        }
    }

    private Outcome applyWork(Work work) {
        String externalId = work.externalId();
        if (work.events().isEmpty()) {
            return finish(work, null, Outcome.NOTHING, s -> store.release(externalId, dueIfMore(externalId), null, now()));
        }
        SyncPlan plan = planner.plan(work.state(), work.events(), work.mayBeInSkiplino());
        if (plan.decided().eventId() != null) {
            MDC.put(MDC_EVENT_ID, plan.decided().eventId());
        }
        if (plan instanceof SyncPlan.Write write) {
            return applyWrite(work, write);
        }
        if (plan instanceof SyncPlan.Delete delete) {
            return applyDelete(work, delete);
        }
        if (plan instanceof SyncPlan.Invalid invalid) {
            return park(work, invalid, "MAP", null, describe(invalid.errors()), invalid.payload());
        }
        if (plan instanceof SyncPlan.Stale) {
            return finish(work, plan, Outcome.STALE, s -> {
                store.finishEvents(work.events(), plan.decided().id(), EventStatus.STALE, now());
                store.release(externalId, dueIfMore(externalId), null, now());
            });
        }
        EventStatus status = plan instanceof SyncPlan.Unchanged ? EventStatus.UNCHANGED : EventStatus.SKIPPED;
        return finish(work, plan, status == EventStatus.UNCHANGED ? Outcome.UNCHANGED : Outcome.SKIPPED, s -> {
            store.finishEvents(work.events(), plan.decided().id(), status, now());
            store.recordSeen(externalId, plan.decided().sourceTs());
            if (status == EventStatus.UNCHANGED && work.state().skiplinoId() != null && !work.state().deleted()) {
                linked(externalId, work.state().skiplinoId(), plan.decided().source());
            }
            store.resolveOpenFailures(externalId, "SUPERSEDED", now());
            store.release(externalId, dueIfMore(externalId), null, now());
        });
    }

    private Outcome applyWrite(Work work, SyncPlan.Write write) {
        MappedCustomer customer = write.customer();
        CustomerCall result;
        Outcome success;
        if (write.known()) {
            result = skiplino.update(customer, mapping.clearedFields());
            success = Outcome.UPDATED;
            if (result instanceof CustomerCall.NotFound) {
                result = skiplino.create(customer);
                success = Outcome.CREATED;
            }
        } else {
            result = skiplino.create(customer);
            success = Outcome.CREATED;
            if (result instanceof CustomerCall.AlreadyExists) {
                result = skiplino.update(customer, mapping.clearedFields());
                success = Outcome.UPDATED;
            }
        }
        String payload = toJson(customer);
        if (result instanceof CustomerCall.Done done) {
            Outcome outcome = success;
            return finish(work, write, outcome, s -> {
                store.finishEvents(work.events(), write.decided().id(), EventStatus.APPLIED, now());
                store.recordApplied(work.externalId(), done.skiplinoId(), customer.contentHash(),
                        write.decided().sourceTs(), false, dueIfMore(work.externalId()), now());
                String skiplinoId = done.skiplinoId() != null ? done.skiplinoId() : work.state().skiplinoId();
                if (skiplinoId != null) {
                    linked(work.externalId(), skiplinoId, write.decided().source());
                }
                store.resolveOpenFailures(work.externalId(), "SUPERSEDED", now());
            });
        }
        return failed(work, write, write.operation(), result, payload);
    }

    private Outcome applyDelete(Work work, SyncPlan.Delete delete) {
        if (!deleteGuard.tryAcquire()) {
            return finish(work, delete, Outcome.HELD, s -> store.reschedule(work.externalId(),
                    now().plus(HELD_DELETE_DELAY), work.state().attempts(), "delete held by the mass-delete guard", now()));
        }
        try {
            CustomerCall result = skiplino.delete(work.externalId());
            if (result instanceof CustomerCall.Done || result instanceof CustomerCall.NotFound) {
                return finish(work, delete, Outcome.DELETED, s -> {
                    store.finishEvents(work.events(), delete.decided().id(), EventStatus.APPLIED, now());
                    store.recordApplied(work.externalId(), null, null, delete.decided().sourceTs(), true,
                            dueIfMore(work.externalId()), now());
                    store.resolveOpenFailures(work.externalId(), "SUPERSEDED", now());
                });
            }
            return failed(work, delete, "DELETE", result, null);
        } finally {
            deleteGuard.done();
        }
    }

    private Outcome failed(Work work, SyncPlan plan, String operation, CustomerCall result,
                           String payload) {
        String id = work.externalId();
        if (result instanceof CustomerCall.Transient t) {
            String reason = reason(operation, t.status(), t.reason());
            // a failure counts only while Skiplino looks healthy as a whole: one that opened the circuit, a probe
            // of the open circuit or a call that met a 429 pause says nothing about this change and, like a call
            // the open circuit held back, uses up no attempt (DESIGN rule 5; else a long outage's probes park)
            boolean counted = skiplino.acceptingWork();
            int attempts = work.state().attempts() + (counted ? 1 : 0);
            if (attempts >= properties.maxAttempts()) {
                return park(work, plan, operation, t.status(),
                        reason + " (gave up after " + attempts + " attempts)", payload);
            }
            Instant due = now().plus(backoff.next(work.state().attempts() + 1, t.retryAfter()));
            return finish(work, plan, Outcome.RETRY, t.status(),
                    counted ? reason : reason + " (Skiplino unavailable: no attempt used)",
                    s -> store.reschedule(id, due, attempts, reason, now()));
        }
        if (result instanceof CustomerCall.NotPermitted n) {
            // the circuit is open: nothing was sent, so no attempt is used up
            return finish(work, plan, Outcome.NOT_PERMITTED, null, n.reason(),
                    s -> store.reschedule(id, now().plus(NOT_PERMITTED_DELAY), work.state().attempts(), n.reason(), now()));
        }
        if (result instanceof CustomerCall.AuthFailed a) {
            log.error("Skiplino refused the API key while applying customer {}: {}. Check SKIPLINO_API_KEY; "
                    + "the change stays pending.", id, a.reason());
            return finish(work, plan, Outcome.AUTH_FAILED, 401, a.reason(),
                    s -> store.reschedule(id, now().plus(properties.authBackoff()), work.state().attempts(),
                            a.reason(), now()));
        }
        if (result instanceof CustomerCall.Rejected r) {
            return park(work, plan, operation, r.status(), reason(operation, r.status(), r.reason()), payload);
        }
        // "already exists" after an update fell back to create, or "not found" after a create fell back to
        // update: the customer changed identity under us; a person has to look
        String message = result instanceof CustomerCall.AlreadyExists e ? e.message()
                : result instanceof CustomerCall.NotFound nf ? nf.message() : String.valueOf(result);
        return park(work, plan, operation, 422, reason(operation, 422, message), payload);
    }

    private Outcome park(Work work, SyncPlan plan, String operation, Integer status, String reason,
                         String payload) {
        String id = work.externalId();
        return finish(work, plan, Outcome.PARKED, status, reason, s -> {
            store.finishEvents(work.events(), plan.decided().id(), EventStatus.PARKED, now());
            store.insertFailure(id, plan.decided().id(), operation, status, reason, payload,
                    work.state().attempts() + 1, now());
            store.release(id, dueIfMore(id), reason, now());
        });
    }

    private Outcome finish(Work work, SyncPlan plan, Outcome outcome, TxStep step) {
        return finish(work, plan, outcome, null, null, step);
    }

    private Outcome finish(Work work, SyncPlan plan, Outcome outcome, Integer status, String detail,
                           TxStep step) {
        String id = work.externalId();
        Boolean kept = LockRetry.run("recording customer " + id, () -> outcomes.submit(new OutcomeStep(id, s -> {
            if (store.lockIfLeased(id, instance.value()) == null) {
                return false;
            }
            step.run(s);
            store.finishAttempt(work.attemptId(), work.started(), now(), operation(plan), outcome.name(), status, detail);
            return true;
        })));
        if (!Boolean.TRUE.equals(kept)) {
            log.warn("Lease on customer {} expired while applying it; another instance has taken it over", id);
            endAttemptOutsideLease(work, Outcome.LEASE_LOST.name(), "lease expired before the outcome was recorded");
            return count(Outcome.LEASE_LOST);
        }
        log(outcome, id, plan, detail);
        return count(outcome);
    }

    /**
     * The outcomes of one group commit in one transaction, in key order (the order every writer of
     * {@code customer_sync} locks rows in), each under its own savepoint: an outcome that fails is rolled
     * back alone and its worker gets the failure (and runs it again, or gives up, as it would alone).
     */
    private void commitTogether(List<GroupCommit.Entry<OutcomeStep, Boolean>> group) {
        List<GroupCommit.Entry<OutcomeStep, Boolean>> ordered = new ArrayList<>(group);
        ordered.sort(Comparator.comparing(entry -> entry.item.externalId()));
        Map<GroupCommit.Entry<OutcomeStep, Boolean>, Boolean> kept = new HashMap<>();
        Map<GroupCommit.Entry<OutcomeStep, Boolean>, RuntimeException> failed = new HashMap<>();
        tx.executeWithoutResult(status -> {
            if (ordered.size() == 1) {
                kept.put(ordered.get(0), ordered.get(0).item.work().doInTransaction(status));
                return;
            }
            for (GroupCommit.Entry<OutcomeStep, Boolean> entry : ordered) {
                Object savepoint = status.createSavepoint();
                try {
                    kept.put(entry, entry.item.work().doInTransaction(status));
                    status.releaseSavepoint(savepoint);
                } catch (RuntimeException e) {
                    try {
                        status.rollbackToSavepoint(savepoint);
                    } catch (RuntimeException lost) {
                        // the store ended the whole transaction (a deadlock victim, say): every worker in it
                        // gets the failure and runs its outcome again
                        e.addSuppressed(lost);
                        throw e;
                    }
                    failed.put(entry, e);
                }
            }
        });
        for (GroupCommit.Entry<OutcomeStep, Boolean> entry : ordered) {
            RuntimeException failure = failed.get(entry);
            if (failure != null) {
                entry.fail(failure);
            } else {
                entry.complete(kept.get(entry));
            }
        }
    }

    /**
     * Closes the history row of an attempt whose outcome could not be recorded under the lease, so the
     * history shows when this instance stopped working on the customer. Best effort: if the store is
     * away the row stays open, ending at its lease.
     */
    private void endAttemptOutsideLease(Work work, String outcome, String detail) {
        // a worker interrupted by a forced shutdown still records its end (the pool refuses interrupted threads)
        boolean interrupted = Thread.interrupted();
        try {
            tx.executeWithoutResult(s -> store.finishAttempt(work.attemptId(), work.started(), now(), null, outcome,
                    null, detail));
        } catch (RuntimeException e) {
            log.warn("Could not close the attempt record of customer {}: {}", work.externalId(), e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void endOpenAttempt(String externalId) {
        try {
            tx.executeWithoutResult(s -> {
                Long opened = store.openAttempt(externalId, instance.value());
                if (opened != null) {
                    store.endAttemptAtLeaseEnd(opened, Outcome.LEASE_LOST.name(),
                            "the lease ran out before a worker started; another instance took the customer over");
                }
            });
        } catch (RuntimeException e) {
            log.warn("Could not close the attempt record of customer {}: {}", externalId, e.toString());
        }
    }

    private void linked(String externalId, String skiplinoId, ChangeSource source) {
        linkListeners.orderedStream().forEach(listener -> listener.linked(externalId, skiplinoId, source));
    }

    private Instant dueIfMore(String externalId) {
        return store.hasPendingEvents(externalId) ? now() : null;
    }

    private static String operation(SyncPlan plan) {
        if (plan instanceof SyncPlan.Write write) {
            return write.operation();
        }
        return plan instanceof SyncPlan.Delete ? "DELETE" : "NONE";
    }

    private void log(Outcome outcome, String externalId, SyncPlan plan, String detail) {
        String eventId = plan == null ? null : plan.decided().eventId();
        switch (outcome) {
            case CREATED, UPDATED, DELETED -> log.info("customer {} {} in Skiplino (event {})", externalId,
                    outcome.name().toLowerCase(), eventId);
            case PARKED -> log.warn("customer {} parked (event {}): {}", externalId, eventId, detail);
            case RETRY, NOT_PERMITTED -> log.info("customer {} will be retried (event {}): {}", externalId, eventId, detail);
            case HELD -> log.warn("customer {} delete held by the mass-delete guard (event {})", externalId, eventId);
            default -> log.debug("customer {} {} (event {})", externalId, outcome, eventId);
        }
    }

    private Outcome count(Outcome outcome) {
        counter(outcome).increment();
        return outcome;
    }

    private Counter counter(Outcome outcome) {
        return Counter.builder(RESULTS_METRIC).tag("outcome", outcome.name().toLowerCase())
                .description("Customers whose pending changes were applied, by outcome").register(meters);
    }

    private static String reason(String operation, Integer status, String reason) {
        return operation.toLowerCase() + " failed" + (status == null ? "" : " with HTTP " + status) + ": " + reason;
    }

    private static String describe(List<FieldError> errors) {
        return "invalid CRM data: " + errors.stream().map(e -> e.field() + " " + e.message())
                .collect(Collectors.joining("; "));
    }

    private String toJson(MappedCustomer customer) {
        try {
            return json.writeValueAsString(customer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant now() {
        return clock.instant();
    }

    /** A worker's outcome transaction for one customer, as handed to the group commit. */
    private record OutcomeStep(String externalId, TransactionCallback<Boolean> work) {
    }

    /** One step of the outcome transaction. */
    @FunctionalInterface
    private interface TxStep {
        void run(org.springframework.transaction.TransactionStatus status);
    }

    /** @param mayBeInSkiplino an earlier write may have reached Skiplino without being recorded */
    private record Work(CustomerState state, List<PendingEvent> events, long attemptId, boolean mayBeInSkiplino,
                        Instant started) {

        String externalId() {
            return state.externalId();
        }
    }

    /** How applying a customer's pending work ended. */
    enum Outcome {
        CREATED, UPDATED, DELETED, UNCHANGED, STALE, SKIPPED, PARKED, RETRY, NOT_PERMITTED, AUTH_FAILED, HELD,
        NOTHING, LEASE_LOST
    }
}
