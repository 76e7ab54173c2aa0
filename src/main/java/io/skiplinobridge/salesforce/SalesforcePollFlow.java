package io.skiplinobridge.salesforce;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.skiplinobridge.ops.CrmFullRead;
import io.skiplinobridge.ops.FlowReport;
import io.skiplinobridge.ops.OperatedFlow;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The Salesforce poll as operators see it: {@code salesforce-poll} on the dashboard, in health and in
 * {@code /ops/api/flows} (pause and resume hold its firings), and the {@code salesforce} full re-read of
 * {@code POST /ops/api/resync}.
 */
@Component
@ConditionalOnSalesforce
class SalesforcePollFlow implements OperatedFlow, CrmFullRead {

    static final String NAME = "salesforce-poll";
    static final String FULL_READ_ENDPOINT = "seda:salesforce-full-read";
    private static final Logger log = LoggerFactory.getLogger(SalesforcePollFlow.class);

    private final SalesforcePoll poll;
    private final SalesforceProperties properties;
    private final ProducerTemplate producer;
    private final SalesforceWriteBacks writeBacks;

    SalesforcePollFlow(SalesforcePoll poll, SalesforceProperties properties, ProducerTemplate producer,
                       SalesforceWriteBacks writeBacks) {
        this.poll = poll;
        this.properties = properties;
        this.producer = producer;
        this.writeBacks = writeBacks;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String pauseFlag() {
        return SalesforcePoll.PAUSE_FLAG;
    }

    @Override
    public String description() {
        return "Salesforce " + properties.poll().object() + " changes and deletes polled into the inbox";
    }

    @Override
    public FlowReport report() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("object", properties.poll().object());
        details.put("enabled", properties.poll().enabled());
        details.put("cron", properties.poll().cron());
        poll.lastRun().ifPresent(run -> {
            details.put("lastRunKind", run.kind());
            details.put("lastRunResult", run.result().name());
            details.put("lastRunRecords", run.changed() + run.deleted());
            details.put("lastRunNewChanges", run.newEvents());
            if (run.changesFrom() != null) {
                details.put("lastRunReadFrom", run.changesFrom().toString());
            }
        });
        if (writeBacks.enabled()) {
            // the write-back outbox (salesforce-write-back route): how many _ids wait, were written, were given up
            details.put("writeBackField", writeBacks.field());
            writeBacks.counts().forEach((status, count) -> details.put("writeBack" + status.charAt(0)
                    + status.substring(1).toLowerCase(Locale.ROOT), count));
        }
        String degraded = null;
        if (!properties.poll().enabled()) {
            degraded = "switched off by bridge.salesforce.poll.enabled=false";
        } else if (poll.apiLimitReached()) {
            degraded = "Salesforce answered REQUEST_LIMIT_EXCEEDED (the org's API request limit): polls are held"
                    + poll.heldForApiLimitUntil().map(until -> " until " + until).orElse(" until a poll succeeds again")
                    + "; the watermark is kept and the next poll continues from it";
        }
        PollRun last = poll.lastRun().orElse(null);
        PollRun success = poll.lastSuccess().orElse(null);
        String lastError = last == null || last.result() == PollRun.Result.SUCCESS ? null : last.error();
        return new FlowReport(last == null ? null : last.endedAt(), success == null ? null : success.endedAt(),
                lastError, degraded, details);
    }

    @Override
    public String source() {
        return "salesforce";
    }

    @Override
    public String start(String requestedBy) {
        log.info("Salesforce full re-read of {} requested by {}", properties.poll().object(), requestedBy);
        producer.asyncSendBody(FULL_READ_ENDPOINT, requestedBy);
        return "Every Salesforce " + properties.poll().object() + " record is read again into the inbox, page by page; "
                + "unchanged customers cost no Skiplino call. Watch the salesforce-poll flow on the ops dashboard.";
    }
}
