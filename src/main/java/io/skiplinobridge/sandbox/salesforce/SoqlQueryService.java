package io.skiplinobridge.sandbox.salesforce;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.salesforce.SoqlQuery.OrderItem;

import org.springframework.stereotype.Component;

/**
 * Runs queries and serves their pages. A query's result is fixed when it runs (a list of immutable
 * records), so pages fetched later through {@code nextRecordsUrl} are those of the moment of the query,
 * like a real Salesforce cursor.
 */
@Component
@ConditionalOnSandbox
class SoqlQueryService {

    static final int DEFAULT_BATCH_SIZE = 2000;
    static final int MIN_BATCH_SIZE = 200;

    /** One page of a result; {@code fields} are the canonical names of the selected fields. */
    record QueryPage(String type, List<String> fields, int totalSize, boolean done, String nextRecordsUrl,
                     List<SObjectRecord> records) {
    }

    private static final class Cursor {
        final String type;
        final List<String> fields;
        final List<SObjectRecord> records;
        final int batchSize;
        Instant lastUsed;
        int failPage;

        Cursor(String type, List<String> fields, List<SObjectRecord> records, int batchSize, Instant now, int failPage) {
            this.type = type;
            this.fields = fields;
            this.records = records;
            this.batchSize = batchSize;
            this.lastUsed = now;
            this.failPage = failPage;
        }
    }

    private final SObjectStore store;
    private final SalesforceFaults faults;
    private final SalesforceSandboxProperties properties;
    private final Clock clock;
    private final AtomicLong cursorSequence = new AtomicLong();
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();

    SoqlQueryService(SObjectStore store, SalesforceFaults faults, SalesforceSandboxProperties properties, Clock clock) {
        this.store = store;
        this.faults = faults;
        this.properties = properties;
        this.clock = clock;
    }

    /** {@code query} ({@code includeDeleted=false}) or {@code queryAll}; the first page of the result. */
    QueryPage query(String soql, boolean includeDeleted, OptionalInt requestedBatchSize, String apiVersion) {
        SoqlQuery query = SoqlParser.parse(soql);
        SObjectTable table = store.read(() -> store.table(query.object())).orElseThrow(() -> new SalesforceApiException(
                400, "INVALID_TYPE", "sObject type '" + query.object() + "' is not supported."));
        List<String> fields = store.read(() -> query.fields().stream().map(field -> resolve(table, field)).toList());
        List<OrderItem> orderBy = store.read(() -> query.orderBy().stream()
                .map(item -> new OrderItem(resolve(table, item.field()), item.descending(), item.nullsLast()))
                .toList());
        OptionalInt failPage = faults.takeFailPageOfNextQuery();
        if (failPage.isPresent() && failPage.getAsInt() <= 1) {
            throw pageFault();
        }
        Predicate<SObjectRecord> visible = includeDeleted ? record -> true : record -> !record.deleted();
        Predicate<SObjectRecord> filter = query.where().map(where -> visible.and(where::test)).orElse(visible);
        List<SObjectRecord> result = store.snapshot(table, filter);
        if (!orderBy.isEmpty()) {
            result.sort(comparator(orderBy));
        }
        if (query.limit().isPresent() && query.limit().getAsInt() < result.size()) {
            result = new ArrayList<>(result.subList(0, query.limit().getAsInt()));
        }
        int batchSize = batchSize(requestedBatchSize);
        if (result.size() <= batchSize) {
            return new QueryPage(table.name(), fields, result.size(), true, null, List.copyOf(result));
        }
        String locator = open(new Cursor(table.name(), fields, result, batchSize, clock.instant(), failPage.orElse(0)));
        return new QueryPage(table.name(), fields, result.size(), false, nextRecordsUrl(apiVersion, locator, batchSize),
                List.copyOf(result.subList(0, batchSize)));
    }

    /** The page a {@code nextRecordsUrl} names: {@code {locator}-{offset}}. */
    QueryPage more(String locatorAndOffset, String apiVersion) {
        int dash = locatorAndOffset.lastIndexOf('-');
        Cursor cursor;
        int offset;
        synchronized (cursors) {
            expireCursors();
            cursor = dash > 0 ? cursors.get(locatorAndOffset.substring(0, dash)) : null;
            offset = dash > 0 ? parseOffset(locatorAndOffset.substring(dash + 1)) : -1;
            if (cursor == null || offset < 0 || offset >= cursor.records.size()) {
                throw new SalesforceApiException(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
            }
            cursor.lastUsed = clock.instant();
            if (cursor.failPage > 0 && offset / cursor.batchSize + 1 == cursor.failPage) {
                cursor.failPage = 0;
                throw pageFault();
            }
        }
        int end = Math.min(offset + cursor.batchSize, cursor.records.size());
        boolean done = end == cursor.records.size();
        String locator = locatorAndOffset.substring(0, dash);
        return new QueryPage(cursor.type, cursor.fields, cursor.records.size(), done,
                done ? null : nextRecordsUrl(apiVersion, locator, end), List.copyOf(cursor.records.subList(offset, end)));
    }

    void clear() {
        synchronized (cursors) {
            cursors.clear();
        }
    }

    private String open(Cursor cursor) {
        String locator = SalesforceIds.of("01g", cursorSequence.incrementAndGet());
        synchronized (cursors) {
            expireCursors();
            cursors.put(locator, cursor);
            Iterator<String> oldest = cursors.keySet().iterator();
            while (cursors.size() > Math.max(1, properties.maxOpenCursors())) {
                oldest.next();
                oldest.remove();
            }
        }
        return locator;
    }

    private void expireCursors() {
        Instant cutoff = clock.instant().minus(properties.cursorLifetime());
        cursors.values().removeIf(cursor -> cursor.lastUsed.isBefore(cutoff));
    }

    private static int parseOffset(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    private static String nextRecordsUrl(String apiVersion, String locator, int offset) {
        return "/services/data/v" + apiVersion + "/query/" + locator + "-" + offset;
    }

    /** Salesforce treats the batch size as a hint within 200..2000; the sandbox clamps to that range. */
    private static int batchSize(OptionalInt requested) {
        return Math.max(MIN_BATCH_SIZE, Math.min(DEFAULT_BATCH_SIZE, requested.orElse(DEFAULT_BATCH_SIZE)));
    }

    private static String resolve(SObjectTable table, String field) {
        return table.field(field).orElseThrow(() -> new SalesforceApiException(400, "INVALID_FIELD",
                "No such column '" + field + "' on entity '" + table.name() + "'. If you are attempting to use a "
                        + "custom field, be sure to append the '__c' after the custom field name."));
    }

    private static SalesforceApiException pageFault() {
        return new SalesforceApiException(500, "UNKNOWN_EXCEPTION",
                "An unexpected error occurred (fault injected by the sandbox).");
    }

    private static Comparator<SObjectRecord> comparator(List<OrderItem> orderBy) {
        Comparator<SObjectRecord> result = null;
        for (OrderItem item : orderBy) {
            Comparator<Object> values = SObjectRecord.ID.equals(item.field())
                    ? Comparator.comparing(Object::toString) : SoqlQueryService::compareValues;
            if (item.descending()) {
                values = values.reversed();
            }
            Comparator<Object> withNulls = item.nullsLast() ? Comparator.nullsLast(values) : Comparator.nullsFirst(values);
            Comparator<SObjectRecord> byItem = Comparator.comparing(record -> record.value(item.field()), withNulls);
            result = result == null ? byItem : result.thenComparing(byItem);
        }
        return result;
    }

    private static int compareValues(Object a, Object b) {
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        return String.CASE_INSENSITIVE_ORDER.compare(String.valueOf(a), String.valueOf(b));
    }
}
