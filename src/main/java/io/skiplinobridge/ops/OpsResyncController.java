package io.skiplinobridge.ops;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /ops/api/resync} and {@code GET /ops/api/resync/{id}}. A run answers 200 with its report
 * when it finishes within {@code bridge.ops.resync.answer-within}, else 202 with the job to poll.
 * {@code "source": "salesforce"} starts the Salesforce connector's full re-read instead, when it offers one.
 */
@RestController
@ConditionalOnFlows
@RequestMapping("/ops/api/resync")
class OpsResyncController {

    static final String INBOX = "inbox";
    private static final int MAX_EXTERNAL_ID = 255;

    private final ResyncService resyncs;
    private final ObjectProvider<CrmFullRead> crmReads;
    private final OpsProperties.Resync settings;
    private final OpsJson json;

    OpsResyncController(ResyncService resyncs, ObjectProvider<CrmFullRead> crmReads, OpsProperties properties,
                        OpsJson json) {
        this.resyncs = resyncs;
        this.crmReads = crmReads;
        this.settings = properties.resync();
        this.json = json;
    }

    @PostMapping
    ResponseEntity<?> start(@RequestBody(required = false) String body) throws InterruptedException {
        ResyncRequest request = json.read(body, ResyncRequest.class, new ResyncRequest(null, null, null, null));
        String source = request.source() == null ? INBOX : request.source().strip().toLowerCase(Locale.ROOT);
        String by = request.by() == null || request.by().isBlank() ? "ops-api" : "ops-api:" + OpsText.logSafe(request.by().strip());
        if (!INBOX.equals(source)) {
            return ResponseEntity.accepted().body(crmRead(source, request, by));
        }
        List<String> externalIds = validIds(request.externalIds());
        boolean dryRun = request.dryRun() == null || request.dryRun();
        ResyncJob job = resyncs.start(externalIds, dryRun, by);
        URI location = URI.create("/ops/api/resync/" + job.id());
        if (job.awaitEnd(settings.answerWithin())) {
            return ResponseEntity.ok().location(location).body(job.view());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(location).body(job.view());
    }

    @GetMapping("/{id}")
    ResyncJob.View job(@PathVariable String id) {
        return resyncs.find(id).map(ResyncJob::view).orElseThrow(() -> OpsProblems.notFound(
                "There is no resync " + OpsText.logSafe(id) + " (the last " + settings.keepJobs() + " are kept, until a restart)."));
    }

    @GetMapping
    List<ResyncJob.View> recent() {
        return resyncs.recent().stream().map(ResyncJob::view).toList();
    }

    private CrmReadStarted crmRead(String source, ResyncRequest request, String by) {
        if (request.externalIds() != null) {
            throw OpsProblems.badField("/externalIds", "cannot be combined with source " + source
                    + ": a CRM re-read covers every record");
        }
        if (Boolean.TRUE.equals(request.dryRun())) {
            throw OpsProblems.badField("/dryRun", "cannot be true with source " + source + ": a CRM re-read only "
                    + "enqueues the records it reads (unchanged ones cost nothing); use the inbox dry run to preview");
        }
        CrmFullRead read = crmReads.orderedStream().filter(r -> r.source().equals(source)).findFirst()
                .orElseThrow(() -> OpsProblems.unprocessable("No connector offers a full re-read for source '"
                        + OpsText.logSafe(source) + "' (use \"inbox\", or enable the connector)."));
        return new CrmReadStarted(source, read.start(by));
    }

    private List<String> validIds(List<String> ids) {
        if (ids == null) {
            return null;
        }
        if (ids.isEmpty()) {
            throw OpsProblems.badField("/externalIds", "is empty: leave it out to resync every customer");
        }
        if (ids.size() > settings.maxExternalIds()) {
            throw OpsProblems.badField("/externalIds", "lists more than " + settings.maxExternalIds()
                    + " ids; leave it out to resync every customer");
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isBlank() || id.length() > MAX_EXTERNAL_ID || OpsText.hasControlCharacters(id)) {
                throw OpsProblems.badField("/externalIds/" + i, "must be a non-blank externalId of at most "
                        + MAX_EXTERNAL_ID + " characters without control characters");
            }
        }
        return ids;
    }

    /**
     * @param externalIds the customers to compare; absent for every customer the bridge knows
     * @param dryRun      report only, write nothing (the default when absent)
     * @param source      {@code inbox} (the default: compare the CRM state the bridge holds) or a connector
     *                    offering a full re-read, e.g. {@code salesforce}
     * @param by          who asks, for the logs
     */
    record ResyncRequest(List<String> externalIds, Boolean dryRun, String source, String by) {
    }

    record CrmReadStarted(String source, String detail) {
    }
}
