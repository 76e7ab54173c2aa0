package io.skiplinobridge.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.ops.SalesforcePollMetrics;
import io.skiplinobridge.salesforce.PollRun.Result;
import io.skiplinobridge.salesforce.SalesforceWatermarks.Stream;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.sync.AppendResult;
import io.skiplinobridge.sync.CustomerChange;
import io.skiplinobridge.sync.InboxStore;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The Salesforce poll: reads the configured object's changed records by {@code SystemModstamp}
 * ({@code query}) and its deleted ones ({@code queryAll ... IsDeleted = true}), page by page with
 * {@code nextRecordsUrl}, into the inbox. Called by the {@code salesforce-poll} route on each firing.
 *
 * <ul>
 *   <li>Each page's changes and the watermark it reaches are committed in one transaction; a failure
 *       anywhere leaves the watermark at the last committed page, and the next firing goes on from there.</li>
 *   <li>Every poll reads again from {@code overlap} before the watermark: records sharing a timestamp
 *       across pages, or committed late with an older timestamp, are read; the inbox drops the ones it
 *       already holds ({@code <Id>:<SystemModstamp>} event ids).</li>
 *   <li>Only one page is held in memory, whatever the size of the object (a backfill of 200,000
 *       records needs the memory of one page).</li>
 *   <li>{@code REQUEST_LIMIT_EXCEEDED} ends the run, keeps the watermark and holds firings for
 *       {@code api-limit-retry-after}; health and {@code bridge.salesforce.api.limit.paused} show it.</li>
 *   <li>Never two runs at once in one instance; in a cluster, Quartz fires each poll on one instance (and
 *       a rare overlap would only produce duplicates the inbox drops).</li>
 * </ul>
 */
@Component("salesforcePoll")
@ConditionalOnSalesforce
public class SalesforcePoll {

    public static final String PAUSE_FLAG = "salesforce-poll.paused";
    static final String REQUEST_LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED";
    private static final Logger log = LoggerFactory.getLogger(SalesforcePoll.class);

    /** Called after each page is committed; tests use it to inject faults between pages. */
    interface PageListener {
        PageListener NONE = (stream, page) -> { };

        void committed(Stream stream, int page);

        /**
         * Called with everything one page consists of in memory (the Camel exchange that carried it, its
         * parsed tree and the changes made of it) just after they are committed and before the next page is
         * fetched. A test keeps weak references to them to prove that no page outlives its turn.
         */
        default void held(Stream stream, int page, Exchange exchange, JsonNode tree, List<CustomerChange> changes) {
        }
    }

    private final SalesforceCalls salesforce;
    private final InboxStore inbox;
    private final SalesforceWatermarks watermarks;
    private final BridgeFlags flags;
    private final SalesforcePollMetrics metrics;
    private final Clock clock;
    private final SalesforceProperties.Poll settings;
    private final SalesforceRecords records;
    private final ObjectMapper json = new ObjectMapper();
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicReference<PollRun> lastRun = new AtomicReference<>();
    private final AtomicReference<PollRun> lastSuccess = new AtomicReference<>();
    private final AtomicReference<Instant> apiLimitUntil = new AtomicReference<>();

    SalesforcePoll(SalesforceCalls salesforce, InboxStore inbox, SalesforceWatermarks watermarks, BridgeFlags flags,
                   SalesforcePollMetrics metrics, Clock clock, SalesforceProperties properties) {
        this.salesforce = salesforce;
        this.inbox = inbox;
        this.watermarks = watermarks;
        this.flags = flags;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = properties.poll();
        this.records = new SalesforceRecords(settings);
    }

    /** One scheduled firing: changes since the watermark (everything on the very first run), then deletes. */
    public PollRun poll() {
        return pollObserved(PageListener.NONE, Duration.ZERO);
    }

    /** A poll that waits up to {@code waitForRunning} for a running one to end; tests observe its pages. */
    PollRun pollObserved(PageListener listener, Duration waitForRunning) {
        try {
            if (!running.tryLock(waitForRunning.toMillis(), TimeUnit.MILLISECONDS)) {
                return idle("poll", Result.BUSY);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return idle("poll", Result.BUSY);
        }
        try {
            return run("poll", false, listener);
        } finally {
            running.unlock();
        }
    }

    /**
     * An ops-triggered full re-read: every live record again into the inbox as a new event, so the
     * engine compares each with what Skiplino holds. Waits for a running poll to end first.
     */
    public PollRun fullRead() {
        try {
            if (!running.tryLock(10, TimeUnit.MINUTES)) {
                return idle("full-read", Result.BUSY);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return idle("full-read", Result.BUSY);
        }
        try {
            return run("full-read", true, PageListener.NONE);
        } finally {
            running.unlock();
        }
    }

    Optional<PollRun> lastRun() {
        return Optional.ofNullable(lastRun.get());
    }

    Optional<PollRun> lastSuccess() {
        return Optional.ofNullable(lastSuccess.get());
    }

    /** Until when polls are held by a REQUEST_LIMIT_EXCEEDED, if they are. */
    Optional<Instant> heldForApiLimitUntil() {
        Instant until = apiLimitUntil.get();
        return until != null && clock.instant().isBefore(until) ? Optional.of(until) : Optional.empty();
    }

    boolean apiLimitReached() {
        return apiLimitUntil.get() != null;
    }

    String object() {
        return settings.object();
    }

    private PollRun run(String kind, boolean full, PageListener listener) {
        if (flags.isActive(PAUSE_FLAG)) {
            return idle(kind, Result.PAUSED);
        }
        if (heldForApiLimitUntil().isPresent()) {
            return idle(kind, Result.HELD_FOR_API_LIMIT);
        }
        Counts counts = new Counts();
        Instant started = clock.instant();
        Optional<Instant> changesMark = watermarks.get(settings.object(), Stream.CHANGES);
        Instant changesFrom = full ? null : changesMark.map(w -> w.minus(settings.overlap())).orElse(null);
        try {
            String eventSuffix = full ? ":full-" + started.toEpochMilli() : "";
            boolean completed = readStream(Stream.CHANGES, "query", records.changesQuery(changesFrom),
                    record -> records.upsert(record, eventSuffix), counts, listener);
            if (completed && settings.readDeletes()) {
                Optional<Instant> deletesMark = watermarks.get(settings.object(), Stream.DELETES);
                // the first time, deletes count from where the changes began (a backfill: from now)
                Instant deletesStart = deletesMark.or(() -> changesMark).orElse(started);
                completed = readStream(Stream.DELETES, "queryAll", records.deletesQuery(deletesStart.minus(settings.overlap())),
                        records::delete, counts, listener);
                if (completed) {
                    // Deletes older than the changes watermark minus the overlap would be late commits beyond
                    // the overlap, the same assumption the changes stream makes: so a quiet deletes stream
                    // follows the changes one instead of re-reading the recycle bin from an old mark.
                    Instant floor = watermarks.get(settings.object(), Stream.CHANGES)
                            .filter(deletesStart::isBefore).orElse(deletesStart);
                    inbox.append(List.of(), () -> watermarks.advance(settings.object(), Stream.DELETES, floor));
                }
            }
            if (!completed) {
                return finish(counts.run(kind, Result.PAUSED, started, clock.instant(), changesFrom, null));
            }
            apiLimitUntil.set(null);
            metrics.apiLimitPaused(false);
            return finish(counts.run(kind, Result.SUCCESS, started, clock.instant(), changesFrom, null));
        } catch (RuntimeException failure) {
            SalesforceException salesforce = salesforceCause(failure);
            if (salesforce != null && isRequestLimit(salesforce)) {
                Instant until = clock.instant().plus(settings.apiLimitRetryAfter());
                apiLimitUntil.set(until);
                metrics.apiLimitPaused(true);
                log.warn("Salesforce answered {} (the org's API request limit): poll stopped, watermark kept, "
                        + "polls held until {}", REQUEST_LIMIT_EXCEEDED, until);
                return finish(counts.run(kind, Result.API_LIMIT, started, clock.instant(), changesFrom,
                        "Salesforce API request limit exceeded (" + REQUEST_LIMIT_EXCEEDED + ")"));
            }
            String reason = describe(failure, salesforce);
            log.warn("Salesforce {} failed after {} page(s); the next firing continues from the stored watermark: {}",
                    kind, counts.pages, reason);
            return finish(counts.run(kind, Result.FAILED, started, clock.instant(), changesFrom, reason));
        }
    }

    /**
     * Reads one stream page by page, committing each page's changes with its watermark.
     *
     * @return false when an operator paused the flow between two pages
     */
    private boolean readStream(Stream stream, String operation, String soql, Function<JsonNode, CustomerChange> toChange,
                               Counts counts, PageListener listener) {
        Exchange exchange = fetch("salesforce:" + operation + "?rawPayload=true", soql, true);
        JsonNode page = tree(exchange);
        int number = 1;
        while (true) {
            counts.pages++;
            List<CustomerChange> changes = commit(stream, page.path("records"), toChange, counts);
            if (listener != PageListener.NONE) {
                listener.held(stream, number, exchange, page, changes);
            }
            changes = null;
            listener.committed(stream, number);
            if (page.path("done").asBoolean(true)) {
                return true;
            }
            String next = page.path("nextRecordsUrl").asText("");
            if (next.isEmpty()) {
                throw new IllegalStateException("Salesforce answered done=false without a nextRecordsUrl");
            }
            if (flags.isActive(PAUSE_FLAG)) {
                return false;
            }
            // the previous page is dropped before the next is fetched: only one page is ever reachable
            page = null;
            exchange = null;
            exchange = fetch("salesforce:queryMore?rawPayload=true", next, false);
            page = tree(exchange);
            number++;
        }
    }

    /** Stores one page's changes with the watermark they reach; returns the changes (for the page listener). */
    private List<CustomerChange> commit(Stream stream, JsonNode pageRecords, Function<JsonNode, CustomerChange> toChange,
                                        Counts counts) {
        List<CustomerChange> changes = new ArrayList<>(pageRecords.size());
        Instant highest = null;
        for (JsonNode record : pageRecords) {
            Instant modstamp = SalesforceRecords.modstamp(record);
            highest = highest == null || modstamp.isAfter(highest) ? modstamp : highest;
            CustomerChange change = toChange.apply(record);
            if (change == null) {
                counts.withoutKey++;
                log.warn("Salesforce {} {} has no value in its external id field; it cannot be synced",
                        settings.object(), SalesforceRecords.text(record, SalesforceRecords.ID));
            } else {
                changes.add(change);
            }
        }
        counts.largestPage = Math.max(counts.largestPage, pageRecords.size());
        if (stream == Stream.CHANGES) {
            counts.changed += pageRecords.size();
        } else {
            counts.deleted += pageRecords.size();
        }
        if (highest == null) {
            return changes;
        }
        Instant reached = highest;
        AppendResult stored = inbox.append(changes, () -> watermarks.advance(settings.object(), stream, reached));
        counts.newEvents += stored.accepted();
        counts.duplicates += stored.duplicates();
        return changes;
    }

    /** One page: the exchange that carried it (its body is read by {@link #tree}). */
    private Exchange fetch(String uri, String body, boolean firstPage) {
        Exchange exchange = salesforce.request(uri, request -> {
            request.setBody(body);
            if (firstPage) {
                request.setHeader("Sforce-Query-Options", "batchSize=" + settings.batchSize());
            }
        });
        if (exchange.getException() != null) {
            Exception failure = exchange.getException();
            throw failure instanceof RuntimeException runtime ? runtime : new SalesforceCallException(failure);
        }
        return exchange;
    }

    /** The page as a tree; the body stream is read and closed here. */
    private JsonNode tree(Exchange exchange) {
        Object answer = exchange.getMessage().getBody();
        try {
            if (answer instanceof InputStream stream) {
                try (stream) {
                    return json.readTree(stream);
                }
            }
            if (answer instanceof String text) {
                return json.readTree(text);
            }
            throw new IllegalStateException("unexpected Salesforce answer " + (answer == null ? "null" : answer.getClass()));
        } catch (IOException e) {
            throw new SalesforceCallException(e);
        }
    }

    private static SalesforceException salesforceCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException salesforce) {
                return salesforce;
            }
        }
        return null;
    }

    private static boolean isRequestLimit(SalesforceException failure) {
        List<RestError> errors = failure.getErrors();
        if (errors != null && errors.stream().anyMatch(e -> REQUEST_LIMIT_EXCEEDED.equals(e.getErrorCode()))) {
            return true;
        }
        return failure.getStatusCode() == 403 && String.valueOf(failure.getMessage()).contains(REQUEST_LIMIT_EXCEEDED);
    }

    /** A reason for operators: status and error codes, never the request (it carries no secret, but keep it short). */
    private static String describe(RuntimeException failure, SalesforceException salesforce) {
        // status 0: no answer at all (a timeout, a reset connection); the root cause says which
        if (salesforce != null && salesforce.getStatusCode() != 0) {
            List<RestError> errors = salesforce.getErrors();
            String codes = errors == null ? "" : errors.stream().map(RestError::getErrorCode).distinct()
                    .reduce((a, b) -> a + ", " + b).orElse("");
            return "Salesforce answered " + salesforce.getStatusCode() + (codes.isEmpty() ? "" : " " + codes);
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return (salesforce != null ? "no answer from Salesforce: " : "") + root.getClass().getSimpleName() + ": "
                + root.getMessage();
    }

    private PollRun idle(String kind, Result result) {
        Instant now = clock.instant();
        return new PollRun(kind, result, now, now, null, 0, 0, 0, 0, 0, 0, 0, null);
    }

    private PollRun finish(PollRun run) {
        lastRun.set(run);
        if (run.result() == Result.SUCCESS) {
            lastSuccess.set(run);
        }
        metrics.polled(Duration.between(run.startedAt(), run.endedAt()), run.result() == Result.SUCCESS,
                run.changed(), run.deleted());
        if (run.newEvents() > 0 || run.result() != Result.SUCCESS) {
            log.info("Salesforce {} {}: {} page(s), {} changed and {} deleted record(s) read, {} new change(s) stored, "
                            + "{} already held", run.kind(), run.result(), run.pages(), run.changed(), run.deleted(),
                    run.newEvents(), run.duplicates());
        }
        return run;
    }

    private static final class Counts {
        int pages;
        int changed;
        int deleted;
        int newEvents;
        int duplicates;
        int withoutKey;
        int largestPage;

        PollRun run(String kind, Result result, Instant started, Instant ended, Instant changesFrom, String error) {
            return new PollRun(kind, result, started, ended, changesFrom, pages, changed, deleted, newEvents, duplicates,
                    withoutKey, largestPage, error);
        }
    }

    /** A Salesforce call failed outside the component's own exception types. */
    static final class SalesforceCallException extends RuntimeException {
        SalesforceCallException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
