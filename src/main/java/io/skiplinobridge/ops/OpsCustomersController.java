package io.skiplinobridge.ops;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.sync.FailureFilter;
import io.skiplinobridge.sync.SyncOperations;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ops/api/customers/{externalId}}: one customer's sync state, recent history and open failures. */
@RestController
@ConditionalOnFlows
@RequestMapping("/ops/api")
class OpsCustomersController {

    static final int HISTORY = 20;
    static final int OPEN_FAILURES = 50;

    private final OpsQueries queries;
    private final SyncOperations sync;
    private final OpsJson json;

    OpsCustomersController(OpsQueries queries, SyncOperations sync, OpsJson json) {
        this.queries = queries;
        this.sync = sync;
        this.json = json;
    }

    @GetMapping("/customers/{externalId}")
    CustomerView customer(@PathVariable String externalId) {
        OpsQueries.CustomerState state = queries.customer(externalId).orElseThrow(() -> OpsProblems.notFound(
                "The bridge has received no change for a customer with this externalId."));
        List<Event> events = queries.recentEvents(externalId, HISTORY).stream().map(e -> new Event(e.id(), e.source(),
                e.eventId(), e.type(), e.sourceTs(), e.status(), e.receivedAt(), e.finishedAt(), json.tree(e.payload())))
                .toList();
        List<OpsFailuresController.FailureView> failures = sync.failures(
                        new FailureFilter(FailureFilter.State.OPEN, externalId, null, null), 0, OPEN_FAILURES)
                .items().stream().map(f -> OpsFailuresController.FailureView.of(f, json)).toList();
        return new CustomerView(externalId, state, events, queries.recentAttempts(externalId, HISTORY), failures);
    }

    /**
     * @param state    {@code customer_sync}: Skiplino id, content hash, last applied source time, due time,
     *                 attempts, lease, last error
     * @param events   the latest {@value #HISTORY} changes received, newest first, with their payloads
     * @param attempts the latest {@value #HISTORY} processing attempts, newest first
     */
    record CustomerView(String externalId, OpsQueries.CustomerState state, List<Event> events,
                        List<OpsQueries.Attempt> attempts, List<OpsFailuresController.FailureView> openFailures) {
    }

    record Event(long id, String source, String eventId, String type, Instant sourceTs, String status,
                 Instant receivedAt, Instant finishedAt, JsonNode payload) {
    }
}
