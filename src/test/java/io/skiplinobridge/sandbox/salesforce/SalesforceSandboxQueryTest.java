package io.skiplinobridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.component.salesforce.api.SalesforceException;
import org.junit.jupiter.api.Test;

/** query / queryAll / queryMore through the real component with rawPayload and the bridge's own paging loop. */
class SalesforceSandboxQueryTest extends SalesforceSandboxTestSupport {

    private static final String BY_MODSTAMP = "SELECT Id, Email, SystemModstamp FROM Contact "
            + "WHERE SystemModstamp >= 2000-01-01T00:00:00.000Z ORDER BY SystemModstamp, Id";

    @Test
    void pagesThroughEveryRecordOnceInOrder() {
        List<Map<String, Object>> created = createContacts(450, "paging");
        String sf = component();
        List<Integer> pageSizes = new ArrayList<>();

        Map<String, Object> first = query(sf, "query", BY_MODSTAMP, 200);
        List<Map<String, Object>> all = new ArrayList<>(records(first));
        pageSizes.add(records(first).size());
        Map<String, Object> page = first;
        while (!Boolean.TRUE.equals(page.get("done"))) {
            assertThat((String) page.get("nextRecordsUrl")).matches("/services/data/v\\d+\\.\\d+/query/01g\\w{15}-\\d+");
            page = queryMore(sf, (String) page.get("nextRecordsUrl"));
            all.addAll(records(page));
            pageSizes.add(records(page).size());
        }

        assertThat(first.get("totalSize")).isEqualTo(450);
        assertThat(pageSizes).containsExactly(200, 200, 50);
        assertThat(all).extracting(record -> record.get("Id"))
                .containsExactlyElementsOf(created.stream().map(record -> record.get("Id")).toList());
        Map<String, Object> one = all.get(0);
        assertThat(one).containsOnlyKeys("attributes", "Id", "Email", "SystemModstamp");
        assertThat((String) one.get("SystemModstamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        assertThat(one.get("attributes")).isEqualTo(Map.of("type", "Contact", "url", "/services/data/v56.0/sobjects/Contact/" + one.get("Id")));
    }

    @Test
    void filtersOnSystemModstampAndIdAndHonoursLimit() {
        createContacts(List.of(Map.of("LastName", "Old", "SystemModstamp", "2026-01-01T10:00:00.000Z")));
        List<Map<String, Object>> recent = createContacts(3, "recent");
        String sf = component();

        Map<String, Object> newer = query(sf, "query", "SELECT Id FROM Contact WHERE SystemModstamp > 2026-01-01T10:00:00Z "
                + "AND Id > '" + recent.get(0).get("Id") + "' ORDER BY Id DESC LIMIT 1", 2000);
        Map<String, Object> inList = query(sf, "query", "SELECT Id FROM Contact WHERE Id IN ('"
                + recent.get(0).get("Id") + "', '" + recent.get(2).get("Id") + "')", 2000);

        assertThat(records(newer)).extracting(record -> record.get("Id")).containsExactly(recent.get(2).get("Id"));
        assertThat(newer.get("totalSize")).isEqualTo(1);
        assertThat(records(inList)).extracting(record -> record.get("Id"))
                .containsExactly(recent.get(0).get("Id"), recent.get(2).get("Id"));
    }

    @Test
    void queryHidesDeletedRecordsAndQueryAllShowsThem() {
        List<Map<String, Object>> created = createContacts(3, "deleted");
        String deletedId = (String) created.get(1).get("Id");
        assertStatus(send("DELETE", "/sandbox/control/salesforce/contacts/" + deletedId, null), 204);
        String sf = component();

        Map<String, Object> live = query(sf, "query", "SELECT Id, IsDeleted FROM Contact", 2000);
        Map<String, Object> deletes = query(sf, "queryAll",
                "SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true AND SystemModstamp > 2000-01-01T00:00:00Z", 2000);

        assertThat(records(live)).extracting(record -> record.get("Id")).hasSize(2).doesNotContain(deletedId);
        assertThat(records(deletes)).containsExactly(Map.of(
                "attributes", Map.of("type", "Contact", "url", "/services/data/v56.0/sobjects/Contact/" + deletedId),
                "Id", deletedId, "IsDeleted", true));
    }

    @Test
    void openCursorKeepsTheSnapshotOfQueryTime() {
        List<Map<String, Object>> created = createContacts(300, "snapshot");
        String sf = component();
        Map<String, Object> first = query(sf, "query", "SELECT Id, Email FROM Contact ORDER BY Id", 200);

        String lastId = (String) created.get(299).get("Id");
        assertStatus(send("PATCH", "/sandbox/control/salesforce/contacts/" + lastId, "{\"Email\":\"changed@example.com\"}"), 200);
        assertStatus(send("DELETE", "/sandbox/control/salesforce/contacts/" + created.get(250).get("Id"), null), 204);
        createContacts(5, "late");
        Map<String, Object> second = queryMore(sf, (String) first.get("nextRecordsUrl"));

        assertThat(second.get("done")).isEqualTo(true);
        assertThat(records(second)).hasSize(100);
        assertThat(records(second).get(99)).containsEntry("Id", lastId).containsEntry("Email", "snapshot299@example.com");
        assertThat(records(second)).extracting(record -> record.get("Id")).contains(created.get(250).get("Id"));
        assertThat(query(sf, "query", "SELECT Id FROM Contact", 2000).get("totalSize")).isEqualTo(304);
    }

    @Test
    void reLoginAfterTokenExpiryMidPagingLosesNothing() {
        createContacts(1000, "relogin");
        String sf = component();
        Set<Object> ids = new HashSet<>();

        List<Map<String, Object>> all = queryAllPages(sf, "query", BY_MODSTAMP, 200, page -> {
            if (page == 2) {
                assertStatus(send("POST", "/sandbox/control/salesforce/tokens/expire", null), 204);
            }
        });
        all.forEach(record -> ids.add(record.get("Id")));

        assertThat(all).hasSize(1000);
        assertThat(ids).hasSize(1000);
        assertThat(calls("queryMore", 401)).isEqualTo(1);
        assertThat(calls("token", 200)).isEqualTo(2);
    }

    @Test
    void malformedQueryIsA400WithItsErrorCode() {
        String sf = component();

        for (String soql : List.of("SELECT FROM Contact", "SELECT Id FROM Contact WHERE Email = 'a@b.c'",
                "SELECT Id FROM Contact WHERE SystemModstamp > 2026-01-01T00:00:00Z AND Id > '003000000000001AAA' OR IsDeleted = true",
                "SELECT Id FROM Contact LIMIT 5 OFFSET 5", "SELECT Id FROM Contact WHERE SystemModstamp > '2026-01-01'")) {
            SalesforceException failure = salesforceFailure(() -> query(sf, "query", soql, 2000));

            assertThat(failure.getStatusCode()).as(soql).isEqualTo(400);
            assertThat(failure.getErrors()).as(soql).extracting(error -> error.getErrorCode()).containsExactly("MALFORMED_QUERY");
        }
    }

    @Test
    void unknownFieldIsInvalidFieldAndUnknownObjectIsInvalidType() {
        String sf = component();

        SalesforceException unknownField = salesforceFailure(() -> query(sf, "query", "SELECT Id, Shoe_Size__c FROM Contact", 2000));
        SalesforceException unknownObject = salesforceFailure(() -> query(sf, "query", "SELECT Id FROM Spaceship__c", 2000));

        assertThat(unknownField.getErrors()).extracting(error -> error.getErrorCode()).containsExactly("INVALID_FIELD");
        assertThat(unknownObject.getErrors()).extracting(error -> error.getErrorCode()).containsExactly("INVALID_TYPE");
    }

    @Test
    void requestLimitExceededSurfacesAs403UntilCleared() {
        createContacts(1, "limit");
        String sf = component();
        setFaults("{\"requestLimitExceeded\": true}");

        SalesforceException failure = salesforceFailure(() -> query(sf, "query", "SELECT Id FROM Contact", 2000));
        assertStatus(send("DELETE", "/sandbox/control/salesforce/faults", null), 204);

        assertThat(failure.getStatusCode()).isEqualTo(403);
        assertThat(failure.getErrors()).extracting(error -> error.getErrorCode()).containsExactly("REQUEST_LIMIT_EXCEEDED");
        assertThat(records(query(sf, "query", "SELECT Id FROM Contact", 2000))).hasSize(1);
    }

    @Test
    void serverErrorOnPageThreeOfTheNextQueryOnly() {
        createContacts(700, "page-fault");
        String sf = component();
        setFaults("{\"failPageOfNextQuery\": 3}");

        Map<String, Object> first = query(sf, "query", BY_MODSTAMP, 200);
        Map<String, Object> second = queryMore(sf, (String) first.get("nextRecordsUrl"));
        SalesforceException failure = salesforceFailure(() -> queryMore(sf, (String) second.get("nextRecordsUrl")));
        List<Map<String, Object>> rerun = queryAllPages(sf, "query", BY_MODSTAMP, 200, page -> { });

        assertThat(failure.getStatusCode()).isEqualTo(500);
        assertThat(rerun).hasSize(700);
        assertThat(calls("queryMore", 500)).isEqualTo(1);
    }

    @Test
    void unusedCursorExpiresAsInvalidQueryLocator() {
        createContacts(250, "cursor");
        String sf = component();
        Map<String, Object> first = query(sf, "query", "SELECT Id FROM Contact", 200);

        CLOCK.advance(Duration.ofMinutes(16));
        SalesforceException failure = salesforceFailure(() -> queryMore(sf, (String) first.get("nextRecordsUrl")));

        assertThat(failure.getErrors()).extracting(error -> error.getErrorCode()).containsExactly("INVALID_QUERY_LOCATOR");
    }

    @Test
    void recordsOfOneBatchShareOneSystemModstampAcrossAPageBoundary() {
        createContacts(200, "first-batch");
        createContacts(50, "second-batch");
        String sf = component();

        List<Map<String, Object>> all = queryAllPages(sf, "query", BY_MODSTAMP, 200, page -> { });

        assertThat(all.subList(0, 200)).extracting(record -> record.get("SystemModstamp")).containsOnly(all.get(0).get("SystemModstamp"));
        assertThat(all.subList(200, 250)).extracting(record -> record.get("SystemModstamp")).containsOnly(all.get(200).get("SystemModstamp"));
    }
}
