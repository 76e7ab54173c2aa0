package io.skiplinobridge.sandbox.skiplino;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Skiplino sandbox's control API (no auth; it exists only in sandbox mode), which demos, tests
 * and benchmarks drive it through. DESIGN.md §4.6 fixes the faults, stats and activity calls; the
 * rest are documented in docs/sandbox-skiplino.md. Bad bodies get RFC 9457 problem+json.
 */
@RestController
@ConditionalOnSandbox
@RequestMapping("/sandbox/control/skiplino")
class SkiplinoControlController {

    private final FaultInjector faults;
    private final TrafficStats stats;
    private final RequestLog log;
    private final CustomerDirectory customers;
    private final TicketBook tickets;
    private final WriteRejections rejections;
    private final ActivitySimulator activity;
    private final ObjectMapper strictJson;

    SkiplinoControlController(FaultInjector faults, TrafficStats stats, RequestLog log, CustomerDirectory customers,
                              TicketBook tickets, WriteRejections rejections, ActivitySimulator activity,
                              ObjectMapper json) {
        this.faults = faults;
        this.stats = stats;
        this.log = log;
        this.customers = customers;
        this.tickets = tickets;
        this.rejections = rejections;
        this.activity = activity;
        this.strictJson = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    record StatsView(List<TrafficStats.Row> requests, int inFlight, int maxInFlight) {
    }

    record RequestLogView(List<RequestLog.Entry> requests) {
    }

    // ---- faults

    @PutMapping("/faults")
    FaultSettings setFaults(@RequestBody(required = false) String body) {
        FaultSettings settings = read(body, FaultSettings.class);
        rejectIf(settings.problems());
        return faults.set(settings);
    }

    @GetMapping("/faults")
    FaultSettings faults() {
        return faults.current();
    }

    @DeleteMapping("/faults")
    ResponseEntity<Void> clearFaults() {
        faults.clear();
        return ResponseEntity.noContent().build();
    }

    // ---- traffic

    @GetMapping("/stats")
    StatsView stats() {
        return new StatsView(stats.rows(), stats.inFlight(), stats.maxInFlight());
    }

    /** Clears the stats and the request log, leaving data and faults alone. */
    @DeleteMapping("/stats")
    ResponseEntity<Void> clearStats() {
        stats.clear();
        log.clear();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/requests")
    RequestLogView requests(@RequestParam(required = false) String since) {
        Instant from = null;
        if (since != null && !since.isBlank()) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw problem(HttpStatus.BAD_REQUEST, "since must be an ISO-8601 instant, e.g. 2026-11-26T10:00:00Z");
            }
        }
        return new RequestLogView(log.since(from));
    }

    // ---- data

    @GetMapping("/customers")
    List<CustomerView> customers() {
        return customers.all().stream().map(StoredCustomer::view).toList();
    }

    @GetMapping("/tickets")
    List<TicketView> tickets() {
        return tickets.all().stream().map(t -> tickets.view(t, Localized.ENGLISH)).toList();
    }

    /**
     * Every ticket's states in order, from booking to now: what a mirror should have seen (a sandbox
     * extension for acceptance checks; Skiplino itself keeps no such history).
     */
    @GetMapping("/tickets/history")
    List<TicketHistory> ticketHistory() {
        return tickets.all().stream().map(t -> new TicketHistory(t.id, t.customerId, t.history())).toList();
    }

    record TicketHistory(String id, String customerId, List<SandboxTicket.Change> changes) {
    }

    // ---- rejections

    @PostMapping("/rejections")
    ResponseEntity<WriteRejections.Rejection> reject(@RequestBody(required = false) String body) {
        WriteRejections.Rejection requested = read(body, WriteRejections.Rejection.class);
        if (requested.externalId() == null || requested.externalId().isEmpty()) {
            throw problem(HttpStatus.BAD_REQUEST, "externalId is required");
        }
        int status = requested.status() == 0 ? HttpStatus.UNPROCESSABLE_ENTITY.value() : requested.status();
        if (status < 400 || status > 599) {
            throw problem(HttpStatus.BAD_REQUEST, "status must be an HTTP error status between 400 and 599");
        }
        WriteRejections.Rejection rejection = new WriteRejections.Rejection(requested.externalId(), status,
                requested.field() == null ? "externalId" : requested.field(),
                requested.message() == null ? "This customer is rejected by the sandbox." : requested.message());
        rejections.add(rejection);
        return ResponseEntity.status(HttpStatus.CREATED).body(rejection);
    }

    @GetMapping("/rejections")
    List<WriteRejections.Rejection> rejections() {
        return rejections.all();
    }

    @DeleteMapping("/rejections")
    ResponseEntity<Void> clearRejections() {
        rejections.clear();
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/rejections/{externalId}")
    ResponseEntity<Void> clearRejection(@PathVariable String externalId) {
        return rejections.remove(externalId) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    // ---- activity

    @PostMapping("/activity")
    ResponseEntity<ActivitySimulator.Progress> startActivity(@RequestBody(required = false) String body) {
        ActivitySettings settings = read(body, ActivitySettings.class);
        rejectIf(settings.problems());
        try {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(activity.start(settings));
        } catch (IllegalStateException e) {
            throw problem(HttpStatus.CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw problem(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
        }
    }

    @GetMapping("/activity")
    ActivitySimulator.Progress activity() {
        return activity.progress();
    }

    @DeleteMapping("/activity")
    ResponseEntity<Void> stopActivity() {
        activity.stop();
        return ResponseEntity.noContent().build();
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return strictJson.readValue(body == null || body.isBlank() ? "{}" : body, type);
        } catch (UnrecognizedPropertyException e) {
            throw problem(HttpStatus.BAD_REQUEST, "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonProcessingException e) {
            throw problem(HttpStatus.BAD_REQUEST, "the body is not valid JSON of the expected shape");
        }
    }

    private static void rejectIf(List<String> problems) {
        if (!problems.isEmpty()) {
            ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, String.join("; ", problems));
            detail.setProperty("errors", problems);
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, detail, null);
        }
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
