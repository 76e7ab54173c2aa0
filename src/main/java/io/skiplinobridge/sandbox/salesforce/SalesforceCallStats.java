package io.skiplinobridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/** What was sent to the sandbox's Salesforce API since start or the last reset, for tests to assert on. */
@Component
@ConditionalOnSandbox
class SalesforceCallStats {

    record CallCount(String kind, int status, long count) {
    }

    record RecordCount(String sObject, long count) {
    }

    record Snapshot(List<CallCount> calls, List<RecordCount> upsertedRecords) {
    }

    private record CallKey(String kind, int status) {
    }

    private final Map<CallKey, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> upsertedRecords = new ConcurrentHashMap<>();

    void call(String kind, int status) {
        calls.computeIfAbsent(new CallKey(kind, status), key -> new LongAdder()).increment();
    }

    /** Records received by upsert calls (single and collections), successful or not. */
    void upsertedRecords(String sObject, int count) {
        upsertedRecords.computeIfAbsent(sObject, key -> new LongAdder()).add(count);
    }

    Snapshot snapshot() {
        List<CallCount> callCounts = new ArrayList<>();
        calls.forEach((key, count) -> callCounts.add(new CallCount(key.kind(), key.status(), count.sum())));
        callCounts.sort(Comparator.comparing(CallCount::kind).thenComparing(CallCount::status));
        List<RecordCount> recordCounts = new ArrayList<>();
        upsertedRecords.forEach((sObject, count) -> recordCounts.add(new RecordCount(sObject, count.sum())));
        recordCounts.sort(Comparator.comparing(RecordCount::sObject));
        return new Snapshot(callCounts, recordCounts);
    }

    void clear() {
        calls.clear();
        upsertedRecords.clear();
    }
}
