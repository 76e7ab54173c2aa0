package io.skiplinobridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * Faults the control API switches on, so tests can reproduce what a real org does on a bad day.
 * Settings are replaced as a whole ({@code PUT}) and cleared by {@code DELETE} or a reset.
 */
@Component
@ConditionalOnSandbox
class SalesforceFaults {

    /**
     * @param requestLimitExceeded every data API call answers 403 {@code REQUEST_LIMIT_EXCEEDED} until cleared
     * @param failPageOfNextQuery the next query answers 500 when page N of it is fetched (1 = the query itself)
     * @param recordFailures per-record upsert failures by external id value
     * @param latencyMs added to every call to the sandbox's Salesforce API, login included
     * @param callFaults the next calls of a kind that answer a transport or HTTP fault, in order
     */
    record Settings(Boolean requestLimitExceeded, Integer failPageOfNextQuery, List<RecordFailure> recordFailures,
                    Long latencyMs, List<CallFault> callFaults) {

        static final Settings NONE = new Settings(false, null, List.of(), 0L, List.of());

        Settings {
            requestLimitExceeded = Boolean.TRUE.equals(requestLimitExceeded);
            recordFailures = recordFailures == null ? List.of() : List.copyOf(recordFailures);
            latencyMs = latencyMs == null ? 0L : latencyMs;
            callFaults = callFaults == null ? List.of() : List.copyOf(callFaults);
        }
    }

    /** What a faulted call gets instead of its normal answer. */
    enum Fault {
        /** 500 {@code UNKNOWN_EXCEPTION}; nothing applied. */
        HTTP_500(false),
        /** 503 with an HTML page, as Salesforce's edge answers when the server is unavailable; nothing applied. */
        HTTP_503(false),
        /** 429 with {@code Retry-After} in seconds; nothing applied. */
        HTTP_429_RETRY_AFTER_SECONDS(false),
        /** 429 with {@code Retry-After} as an HTTP date; nothing applied. */
        HTTP_429_RETRY_AFTER_DATE(false),
        /** The call is applied, then the answer is held for {@code delayMs} (longer than the client waits). */
        TIMEOUT(true),
        /** The call is applied, then the connection is reset (TCP RST) instead of answering. */
        CONNECTION_RESET(true),
        /** The call is applied, then answered 200 with a body that is not JSON. */
        MALFORMED_JSON(true),
        /** The call is applied, then answered 200 with the first half of its JSON body. */
        TRUNCATED_JSON(true),
        /** The call is applied, then answered 200 with a proxy's HTML error page. */
        HTML_PAGE_200(true);

        private final boolean afterApplying;

        Fault(boolean afterApplying) {
            this.afterApplying = afterApplying;
        }

        /** Whether the call runs first and only its answer is spoilt. */
        boolean afterApplying() {
            return afterApplying;
        }
    }

    /**
     * The next {@code times} calls of {@code kind} (as counted in the stats: {@code query}, {@code queryAll},
     * {@code queryMore}, {@code compositeUpsert}, …) answer {@code fault}.
     *
     * @param kind the call kind
     * @param fault what they answer
     * @param times how many calls meet it; default 1
     * @param retryAfterSeconds the 429's {@code Retry-After} (seconds, or that far ahead as a date); default 1
     * @param delayMs how long a {@code TIMEOUT} holds the answer; default 30,000
     */
    record CallFault(String kind, Fault fault, Integer times, Integer retryAfterSeconds, Long delayMs) {

        CallFault {
            times = times == null ? 1 : times;
            retryAfterSeconds = retryAfterSeconds == null ? 1 : retryAfterSeconds;
            delayMs = delayMs == null ? 30_000L : delayMs;
        }
    }

    /**
     * @param externalIds the external id values whose upserts fail
     * @param errorCode the Salesforce status code reported, e.g. {@code UNABLE_TO_LOCK_ROW}
     * @param message the error message reported
     * @param times how many upserts of each value fail before they succeed; {@code null} means always
     */
    record RecordFailure(List<String> externalIds, String errorCode, String message, Integer times) {

        RecordFailure {
            externalIds = externalIds == null ? List.of() : List.copyOf(externalIds);
        }
    }

    private Settings settings = Settings.NONE;
    private final List<ArmedRecordFailure> armed = new ArrayList<>();
    private final List<ArmedCallFault> armedCalls = new ArrayList<>();

    private static final class ArmedCallFault {
        final CallFault fault;
        int remaining;

        ArmedCallFault(CallFault fault) {
            this.fault = fault;
            this.remaining = fault.times();
        }
    }

    private static final class ArmedRecordFailure {
        final String externalId;
        final RecordFailure failure;
        int remaining;

        ArmedRecordFailure(String externalId, RecordFailure failure) {
            this.externalId = externalId;
            this.failure = failure;
            this.remaining = failure.times() == null ? -1 : failure.times();
        }
    }

    synchronized Settings settings() {
        return settings;
    }

    synchronized Settings replace(Settings newSettings) {
        settings = newSettings;
        armed.clear();
        armedCalls.clear();
        newSettings.callFaults().forEach(fault -> armedCalls.add(new ArmedCallFault(fault)));
        newSettings.recordFailures().forEach(failure ->
                failure.externalIds().forEach(externalId -> armed.add(new ArmedRecordFailure(externalId, failure))));
        return settings;
    }

    synchronized void clear() {
        replace(Settings.NONE);
    }

    synchronized boolean requestLimitExceeded() {
        return settings.requestLimitExceeded();
    }

    synchronized long latencyMs() {
        return settings.latencyMs();
    }

    /** The page of the next query that must fail, consumed by that query. */
    synchronized OptionalInt takeFailPageOfNextQuery() {
        Integer page = settings.failPageOfNextQuery();
        if (page == null) {
            return OptionalInt.empty();
        }
        settings = new Settings(settings.requestLimitExceeded(), null, settings.recordFailures(), settings.latencyMs(),
                settings.callFaults());
        return OptionalInt.of(page);
    }

    /** The fault this call of {@code kind} meets, counting it against {@code times}. */
    synchronized Optional<CallFault> takeCallFault(String kind) {
        for (ArmedCallFault candidate : armedCalls) {
            if (candidate.fault.kind().equals(kind) && candidate.remaining > 0) {
                candidate.remaining--;
                return Optional.of(candidate.fault);
            }
        }
        return Optional.empty();
    }

    /** The injected failure of one upsert of this external id value, counting it against {@code times}. */
    synchronized Optional<RecordError> recordFailure(String externalId) {
        for (ArmedRecordFailure candidate : armed) {
            if (candidate.externalId.equals(externalId) && candidate.remaining != 0) {
                if (candidate.remaining > 0) {
                    candidate.remaining--;
                }
                RecordFailure failure = candidate.failure;
                return Optional.of(RecordError.of(
                        failure.errorCode() == null ? "UNABLE_TO_LOCK_ROW" : failure.errorCode(),
                        failure.message() == null ? "unable to obtain exclusive access to this record" : failure.message()));
            }
        }
        return Optional.empty();
    }
}
