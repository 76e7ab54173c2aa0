package io.skiplinobridge.ops;

import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ops/api/flows}, {@code POST /ops/api/flows/{flow}/pause} and {@code /resume}: every
 * operated flow (customer-sync, deletes, and those other features declare), paused and resumed with a
 * reason that is kept with who and when.
 */
@RestController
@ConditionalOnFlows
@RequestMapping("/ops/api/flows")
class OpsFlowsController {

    static final int MAX_REASON = 1000;
    static final int MAX_BY = 60;
    static final String CHANGED_BY_PREFIX = "ops-api";

    private final FlowControl flows;
    private final OpsJson json;

    OpsFlowsController(FlowControl flows, OpsJson json) {
        this.flows = flows;
        this.json = json;
    }

    @GetMapping
    List<FlowControl.FlowState> list() {
        return flows.states();
    }

    @PostMapping("/{flow}/pause")
    FlowControl.FlowState pause(@PathVariable String flow, @RequestBody(required = false) String body) {
        OperatedFlow operated = find(flow);
        Switch request = json.read(body, Switch.class, new Switch(null, null));
        if (request.reason() == null || request.reason().isBlank()) {
            throw OpsProblems.badField("/reason", "is required: say why the flow is paused");
        }
        return flows.pause(operated, reason(request.reason()), by(request.by()));
    }

    @PostMapping("/{flow}/resume")
    FlowControl.FlowState resume(@PathVariable String flow, @RequestBody(required = false) String body) {
        OperatedFlow operated = find(flow);
        Switch request = json.read(body, Switch.class, new Switch(null, null));
        String reason = request.reason() == null || request.reason().isBlank() ? "resumed" : reason(request.reason());
        return flows.resume(operated, reason, by(request.by()));
    }

    private OperatedFlow find(String name) {
        return flows.find(name).orElseThrow(() -> OpsProblems.notFound("There is no flow named '"
                + OpsText.logSafe(name) + "'; the flows are " + String.join(", ", flows.names()) + "."));
    }

    private static String reason(String reason) {
        String text = reason.strip();
        if (text.length() > MAX_REASON) {
            throw OpsProblems.badField("/reason", "is longer than " + MAX_REASON + " characters");
        }
        if (OpsText.hasControlCharacters(text)) {
            throw OpsProblems.badField("/reason", "contains control characters (line breaks included)");
        }
        return text;
    }

    /** Who asked, as recorded in the flag: {@code ops-api} or {@code ops-api:<by>}. */
    private static String by(String by) {
        if (by == null || by.isBlank()) {
            return CHANGED_BY_PREFIX;
        }
        String text = by.strip();
        if (text.length() > MAX_BY || OpsText.hasControlCharacters(text)) {
            throw OpsProblems.badField("/by", "must be at most " + MAX_BY + " characters without control characters");
        }
        return CHANGED_BY_PREFIX + ":" + text;
    }

    /**
     * @param reason why (required to pause)
     * @param by     who asks, e.g. a name or a ticket number; recorded with the switch
     */
    record Switch(String reason, String by) {
    }
}
