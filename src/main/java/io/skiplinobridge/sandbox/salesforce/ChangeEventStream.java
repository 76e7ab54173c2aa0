package io.skiplinobridge.sandbox.salesforce;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * Change Data Capture: every committed record change becomes a change event on
 * {@code /data/{Object}ChangeEvent} (and {@code /data/ChangeEvents}), numbered by a replay id that
 * only grows. The latest {@code change-events-retained} events are kept for replay.
 */
@Component
@ConditionalOnSandbox
class ChangeEventStream {

    static final String ALL_CHANGES = "/data/ChangeEvents";

    /** One changed record: {@code before} is null for a create, {@code after} marked deleted for a delete. */
    record RecordChange(SObjectRecord before, SObjectRecord after) {
    }

    /**
     * One change event. Its Bayeux {@code data} is built when a subscriber needs it, so bulk loads that
     * nobody listens to cost little.
     */
    record ChangeEvent(long replayId, RecordChange change, String transactionKey, long commitNumber, int sequence) {

        String entity() {
            return change.after().type();
        }

        String channel() {
            return channel(entity());
        }

        /** {@code schema}, {@code payload} (with its {@code ChangeEventHeader}) and {@code event.replayId}. */
        Map<String, Object> data() {
            return ChangeEventStream.data(this);
        }

        static String channel(String entity) {
            String base = entity.endsWith("__c") ? entity.substring(0, entity.length() - 1) : entity;
            return "/data/" + base + "ChangeEvent";
        }
    }

    /** A replay id outside the retained window: Salesforce's {@code 400::The replayId ... was invalid}. */
    static class InvalidReplayIdException extends RuntimeException {
        InvalidReplayIdException(long replayId) {
            super("400::The replayId {" + replayId + "} you provided was invalid.  Please provide a valid ID, -2 to "
                    + "replay all events, or -1 to replay only new events.");
        }
    }

    private final int retained;
    private final Deque<ChangeEvent> events = new ArrayDeque<>();
    private final List<Consumer<List<ChangeEvent>>> listeners = new CopyOnWriteArrayList<>();
    private long lastReplayId;
    private long commitNumber;

    ChangeEventStream(SalesforceSandboxProperties properties) {
        this.retained = Math.max(1, properties.changeEventsRetained());
    }

    void onEvents(Consumer<List<ChangeEvent>> listener) {
        listeners.add(listener);
    }

    /** Publishes the changes of one committed transaction, in order. */
    void publish(List<RecordChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<ChangeEvent> published = new ArrayList<>(changes.size());
        synchronized (this) {
            String transactionKey = UUID.randomUUID().toString();
            long commit = ++commitNumber;
            int sequence = 0;
            for (RecordChange change : changes) {
                ChangeEvent event = new ChangeEvent(++lastReplayId, change, transactionKey, commit, ++sequence);
                events.addLast(event);
                published.add(event);
            }
            while (events.size() > retained) {
                events.removeFirst();
            }
        }
        listeners.forEach(listener -> listener.accept(published));
    }

    /**
     * Retained events after {@code replayId} for a channel: {@code -1} none (new events only), {@code -2}
     * all retained, a replay id every event after it.
     */
    synchronized List<ChangeEvent> replay(String channel, long replayId) {
        if (replayId == -1) {
            return List.of();
        }
        long oldest = events.isEmpty() ? lastReplayId + 1 : events.peekFirst().replayId();
        if (replayId != -2 && (replayId < oldest - 1 || replayId > lastReplayId)) {
            throw new InvalidReplayIdException(replayId);
        }
        return events.stream().filter(event -> event.replayId() > replayId && matches(channel, event)).toList();
    }

    /** Events are gone, as after a reset of the org; replay ids keep growing. */
    synchronized void clear() {
        events.clear();
    }

    static boolean matches(String channel, ChangeEvent event) {
        return ALL_CHANGES.equals(channel) || event.channel().equals(channel);
    }

    private static Map<String, Object> data(ChangeEvent event) {
        RecordChange change = event.change();
        SObjectRecord after = change.after();
        String changeType = change.before() == null ? "CREATE" : after.deleted() ? "DELETE" : "UPDATE";
        Map<String, Object> payload = new LinkedHashMap<>();
        Set<String> changedFields = new TreeSet<>();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("entityName", after.type());
        header.put("recordIds", List.of(after.id()));
        header.put("changeType", changeType);
        header.put("changeOrigin", "com/salesforce/api/rest/59.0");
        header.put("transactionKey", event.transactionKey());
        header.put("sequenceNumber", event.sequence());
        header.put("commitTimestamp", after.systemModstamp().toEpochMilli());
        header.put("commitNumber", event.commitNumber());
        header.put("commitUser", SalesforceSandboxAuth.USER_ID);
        header.put("changedFields", changedFields);
        payload.put("ChangeEventHeader", header);
        if ("CREATE".equals(changeType)) {
            new TreeSet<>(after.fields().keySet()).forEach(field -> payload.put(field, after.fields().get(field)));
            payload.put(SObjectRecord.CREATED_DATE, SalesforceDateTimes.format(after.createdDate()));
        } else if ("UPDATE".equals(changeType)) {
            Set<String> fields = new TreeSet<>(after.fields().keySet());
            fields.addAll(change.before().fields().keySet());
            for (String field : fields) {
                if (!Objects.equals(change.before().fields().get(field), after.fields().get(field))) {
                    payload.put(field, after.fields().get(field));
                    changedFields.add(field);
                }
            }
            changedFields.add(SObjectRecord.LAST_MODIFIED_DATE);
        }
        if (!"DELETE".equals(changeType)) {
            payload.put(SObjectRecord.LAST_MODIFIED_DATE, SalesforceDateTimes.format(after.lastModifiedDate()));
        }
        header.put("changedFields", List.copyOf(changedFields));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schema", "sandbox-" + after.type() + "-change-event");
        data.put("payload", payload);
        data.put("event", Map.of("replayId", event.replayId()));
        return data;
    }
}
