package io.skiplinobridge.ops;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.sync.FailureFilter;
import io.skiplinobridge.sync.SyncOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Parked changes: {@code GET /ops/api/failures} (filters and paging), {@code POST /ops/api/failures/{id}/retry}
 * and {@code POST /ops/api/failures/retry} (every open failure matching a filter). A retry hands the
 * change back to the engine (pending again, due now, attempts reset); it never calls Skiplino or the CRM
 * itself. Besides customer changes, the list holds parked ticket deliveries (operation {@code TICKET}) and
 * parked Salesforce write-backs of the Skiplino id (operation {@code WRITE_BACK}); each retries in its own queue.
 */
@RestController
@ConditionalOnFlows
@RequestMapping("/ops/api/failures")
class OpsFailuresController {

    static final int MAX_PAGE_SIZE = 500;
    private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "MAP", "TICKET", "WRITE_BACK");
    private static final Logger log = LoggerFactory.getLogger(OpsFailuresController.class);

    private final SyncOperations sync;
    private final OpsJson json;

    OpsFailuresController(SyncOperations sync, OpsJson json) {
        this.sync = sync;
        this.json = json;
    }

    @GetMapping
    FailureList list(@RequestParam(defaultValue = "open") String state,
                     @RequestParam(required = false) String externalId,
                     @RequestParam(required = false) String operation,
                     @RequestParam(required = false) Integer status,
                     @RequestParam(defaultValue = "0") int page,
                     @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw OpsProblems.badParameter("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw OpsProblems.badParameter("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        FailureFilter filter = new FailureFilter(state(state), blankToNull(externalId),
                operation(operation, "operation"), status(status, "status"));
        SyncOperations.FailurePage found = sync.failures(filter, page, size);
        return new FailureList(found.items().stream().map(f -> FailureView.of(f, json)).toList(), page, size,
                found.total());
    }

    @PostMapping("/{id}/retry")
    RetryView retry(@PathVariable long id) {
        SyncOperations.Retry retry = sync.retryFailure(id);
        if (retry.outcome() == SyncOperations.RetryOutcome.NOT_FOUND) {
            throw OpsProblems.notFound("There is no failure " + id + ".");
        }
        if (retry.outcome() == SyncOperations.RetryOutcome.RETRIED) {
            log.info("Failure {} of customer {} retried from the ops API: the change is pending again", id,
                    OpsText.logSafe(retry.externalId()));
        }
        return new RetryView(id, retry.externalId(), retry.outcome().name(), retry.resolution());
    }

    @PostMapping("/retry")
    RetryAllView retryAll(@RequestBody(required = false) String body) {
        RetryFilter requested = json.read(body, RetryFilter.class, new RetryFilter(null, null, null));
        FailureFilter filter = new FailureFilter(FailureFilter.State.OPEN, blankToNull(requested.externalId()),
                operation(requested.operation(), "/operation"), status(requested.status(), "/status"));
        int retried = sync.retryFailures(filter);
        log.info("{} open failures retried from the ops API (externalId={}, operation={}, status={})", retried,
                OpsText.logSafe(filter.externalId()), filter.operation(), filter.httpStatus());
        return new RetryAllView(retried);
    }

    private static FailureFilter.State state(String state) {
        try {
            return FailureFilter.State.valueOf(state.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw OpsProblems.badParameter("state", "must be open, resolved or all");
        }
    }

    /** @param where the query parameter name, or the body's JSON pointer */
    private static String operation(String operation, String where) {
        if (operation == null || operation.isBlank()) {
            return null;
        }
        String upper = operation.strip().toUpperCase(Locale.ROOT);
        if (!OPERATIONS.contains(upper)) {
            String detail = "must be CREATE, UPDATE, DELETE, MAP, TICKET or WRITE_BACK";
            throw where.startsWith("/") ? OpsProblems.badField(where, detail) : OpsProblems.badParameter(where, detail);
        }
        return upper;
    }

    private static Integer status(Integer status, String where) {
        if (status != null && (status < 100 || status > 599)) {
            String detail = "must be an HTTP status between 100 and 599";
            throw where.startsWith("/") ? OpsProblems.badField(where, detail) : OpsProblems.badParameter(where, detail);
        }
        return status;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** The body of {@code POST /ops/api/failures/retry}: every criterion optional. */
    record RetryFilter(String externalId, String operation, Integer status) {
    }

    record FailureList(List<FailureView> items, int page, int size, long total) {
    }

    /**
     * @param payload   what the bridge tried to send to Skiplino (the mapped customer), the CRM
     *                  payload for a mapping failure, the ticket for a parked CRM write (operation TICKET), or
     *                  the record, field and Skiplino id of a parked Salesforce write-back (operation WRITE_BACK)
     */
    record FailureView(long id, String externalId, Long inboxEventId, String operation, Integer httpStatus,
                       String reason, int attempts, Instant createdAt, Instant resolvedAt, String resolution,
                       JsonNode payload) {

        static FailureView of(SyncOperations.Failure f, OpsJson json) {
            return new FailureView(f.id(), f.externalId(), f.inboxEventId(), f.operation(), f.httpStatus(),
                    f.reason(), f.attempts(), f.createdAt(), f.resolvedAt(), f.resolution(), json.tree(f.payload()));
        }
    }

    /** @param outcome {@code RETRIED}, or {@code ALREADY_RESOLVED} (nothing done; see {@code resolution}) */
    record RetryView(long id, String externalId, String outcome, String resolution) {
    }

    record RetryAllView(int retried) {
    }
}
