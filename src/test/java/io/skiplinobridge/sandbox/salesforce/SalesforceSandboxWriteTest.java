package io.skiplinobridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.SalesforceMultipleChoicesException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.UpsertSObjectResult;
import org.junit.jupiter.api.Test;

/** sObject upserts and sObject Collections upserts through the real component. */
class SalesforceSandboxWriteTest extends SalesforceSandboxTestSupport {

    private static final String COLLECTION_UPSERT = ":compositeUpsertSObjectCollections?sObjectName=Skiplino_Ticket__c"
            + "&sObjectIdName=Skiplino_Ticket_Id__c";

    @Test
    void upsertCreatesThenUpdatesByExternalId() {
        String contactId = (String) createContacts(List.of(Map.of("LastName", "Hassan", "Bridge_Key__c", "crm-1"))).get(0).get("Id");
        String sf = component();

        Map<String, Object> created = upsert(sf, "T-1", "{\"Status__c\":\"waiting\",\"Contact__r\":{\"Bridge_Key__c\":\"crm-1\"}}");
        Map<String, Object> updated = upsert(sf, "T-1", "{\"Status__c\":\"served\"}");

        assertThat(created).containsEntry("success", true).containsEntry("created", true);
        assertThat(updated).containsEntry("success", true).containsEntry("created", false).containsEntry("id", created.get("id"));
        List<Map<String, Object>> stored = storedRecords(TestTicket.TYPE);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).containsEntry("Skiplino_Ticket_Id__c", "T-1").containsEntry("Status__c", "served")
                .containsEntry("Contact__c", contactId);
        String id = (String) stored.get(0).get("Id");
        assertThat(id).hasSize(18).startsWith("a0").isEqualTo(SalesforceIds.withSuffix(id.substring(0, 15)));
    }

    @Test
    void upsertMatchingSeveralRecordsIsMultipleChoices() {
        createContacts(List.of(Map.of("LastName", "One", "Bridge_Key__c", "dup"), Map.of("LastName", "Two", "Bridge_Key__c", "dup")));
        String sf = component();

        CamelExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(CamelExecutionException.class,
                () -> producer.requestBodyAndHeader(sf + ":upsertSObject?sObjectName=Contact&sObjectIdName=Bridge_Key__c"
                        + "&rawPayload=true", "{\"Title\":\"x\"}", "sObjectIdValue", "dup"));

        assertThat(failure.getCause()).isInstanceOf(SalesforceMultipleChoicesException.class);
        assertThat(((SalesforceMultipleChoicesException) failure.getCause()).getChoices()).hasSize(2);
    }

    @Test
    void collectionUpsertReportsInjectedFailuresPerRecordAndTheRetrySendsOnlyThose() {
        createContactsWithKeys(200);
        String sf = component();
        setFaults("{\"recordFailures\": [{\"externalIds\": [\"T-7\", \"T-8\", \"T-9\"], \"errorCode\": \"UNABLE_TO_LOCK_ROW\","
                + " \"message\": \"unable to obtain exclusive access to this record\", \"times\": 1}]}");
        List<TestTicket> tickets = IntStream.range(0, 200)
                .mapToObj(i -> TestTicket.forContactKey("T-" + i, "waiting", "crm-" + i)).toList();

        List<UpsertSObjectResult> results = collectionUpsert(sf, tickets, false);
        List<TestTicket> failed = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).getSuccess()) {
                failed.add(tickets.get(i));
            }
        }
        List<UpsertSObjectResult> retried = collectionUpsert(sf, failed, false);

        assertThat(results).hasSize(200);
        assertThat(failed).extracting(TestTicket::getTicketId).containsExactly("T-7", "T-8", "T-9");
        assertThat(results.get(7).getErrors()).extracting(RestError::getErrorCode).containsExactly("UNABLE_TO_LOCK_ROW");
        assertThat(results.get(0).getCreated()).isTrue();
        assertThat(retried).allSatisfy(result -> assertThat(result.getSuccess()).isTrue());
        List<Map<String, Object>> stored = storedRecords(TestTicket.TYPE);
        assertThat(stored).hasSize(200);
        assertThat(stored).allSatisfy(ticket -> assertThat((String) ticket.get("Contact__c")).startsWith("003"));
        assertThat(upsertedRecordCount(TestTicket.TYPE)).isEqualTo(203);
    }

    @Test
    void allOrNoneRollsBackEveryRecordWhenOneFails() {
        createContactsWithKeys(2);
        String sf = component();
        List<TestTicket> tickets = List.of(TestTicket.forContactKey("T-1", "waiting", "crm-0"),
                TestTicket.forContactKey("T-2", "waiting", "crm-unknown"), TestTicket.forContactKey("T-3", "waiting", "crm-1"));

        List<UpsertSObjectResult> results = collectionUpsert(sf, tickets, true);

        assertThat(results).extracting(UpsertSObjectResult::getSuccess).containsExactly(false, false, false);
        assertThat(results.get(1).getErrors()).extracting(RestError::getErrorCode).containsExactly("INVALID_FIELD");
        assertThat(results.get(1).getErrors().get(0).getMessage())
                .isEqualTo("Foreign key external ID: crm-unknown not found for field Bridge_Key__c in entity Contact");
        assertThat(results.get(0).getErrors()).extracting(RestError::getErrorCode).containsExactly("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(storedRecords(TestTicket.TYPE)).isEmpty();
    }

    @Test
    void lookupHoldingAnIdMustNameAnExistingRecord() {
        List<Map<String, Object>> contacts = createContacts(2, "lookup");
        String deletedId = (String) contacts.get(1).get("Id");
        assertStatus(send("DELETE", "/sandbox/control/salesforce/contacts/" + deletedId, null), 204);
        String sf = component();
        String missingId = SalesforceIds.of("003", 999_999);

        List<UpsertSObjectResult> results = collectionUpsert(sf, List.of(
                TestTicket.forContactId("T-1", "waiting", (String) contacts.get(0).get("Id")),
                TestTicket.forContactId("T-2", "waiting", missingId),
                TestTicket.forContactId("T-3", "waiting", deletedId)), false);

        assertThat(results.get(0).getSuccess()).isTrue();
        assertThat(results.get(1).getErrors()).extracting(RestError::getErrorCode).containsExactly("INVALID_CROSS_REFERENCE_KEY");
        assertThat(results.get(2).getErrors()).extracting(RestError::getErrorCode).containsExactly("ENTITY_IS_DELETED");
        assertThat(storedRecords(TestTicket.TYPE)).extracting(record -> record.get("Skiplino_Ticket_Id__c")).containsExactly("T-1");
    }

    @Test
    void duplicateExternalIdsInOneCallFailBothRecords() {
        createContactsWithKeys(1);
        String sf = component();

        List<UpsertSObjectResult> results = collectionUpsert(sf, List.of(TestTicket.forContactKey("T-1", "a", "crm-0"),
                TestTicket.forContactKey("t-1", "b", "crm-0"), TestTicket.forContactKey("T-2", "c", "crm-0")), false);

        assertThat(results).extracting(UpsertSObjectResult::getSuccess).containsExactly(false, false, true);
        assertThat(results.get(0).getErrors()).extracting(RestError::getErrorCode).containsExactly("DUPLICATE_VALUE");
    }

    @Test
    void moreThan200RecordsIsRejectedWhole() {
        createContactsWithKeys(1);
        String sf = component();
        List<TestTicket> tickets = IntStream.range(0, 201).mapToObj(i -> TestTicket.forContactKey("T-" + i, "w", "crm-0")).toList();

        SalesforceException failure = salesforceFailure(() -> collectionUpsert(sf, tickets, false));

        assertThat(failure.getStatusCode()).isEqualTo(400);
        assertThat(failure.getErrors()).extracting(RestError::getErrorCode).containsExactly("EXCEEDED_ID_LIMIT");
        assertThat(storedRecords(TestTicket.TYPE)).isEmpty();
    }

    @Test
    void recordsOfOneCollectionCallShareOneSystemModstamp() {
        createContactsWithKeys(3);
        String sf = component();

        collectionUpsert(sf, IntStream.range(0, 3).mapToObj(i -> TestTicket.forContactKey("T-" + i, "w", "crm-" + i)).toList(), false);

        List<Map<String, Object>> stored = storedRecords(TestTicket.TYPE);
        assertThat(stored).extracting(record -> record.get("SystemModstamp")).containsOnly(stored.get(0).get("SystemModstamp"));
        assertThat(stored).extracting(record -> record.get("CreatedDate")).containsOnly(stored.get(0).get("SystemModstamp"));
    }

    @Test
    void updateByIdAndRetrieveOverHttp() throws Exception {
        String contactId = (String) createContacts(1, "by-id").get(0).get("Id");
        String token = (String) parse(send(HttpRequest.newBuilder(URI.create(loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox-client-id"
                        + "&client_secret=sandbox-client-secret")).build()).body()).get("access_token");
        String url = loginUrl() + "/services/data/v59.0/sobjects/Contact/" + contactId;

        HttpResponse<String> patched = send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"Skiplino_Id__c\":\"64f1c0ffee\"}")).build());
        HttpResponse<String> retrieved = send(HttpRequest.newBuilder(URI.create(url + "?fields=Id,Skiplino_Id__c,Phone"))
                .header("Authorization", "Bearer " + token).GET().build());

        assertThat(patched.statusCode()).isEqualTo(204);
        assertThat(parse(retrieved.body())).containsEntry("Skiplino_Id__c", "64f1c0ffee").containsEntry("Phone", null)
                .containsKeys("attributes", "Id");
    }

    private Map<String, Object> upsert(String sf, String ticketId, String json) {
        Exchange exchange = producer.request(sf + ":upsertSObject?sObjectName=Skiplino_Ticket__c"
                + "&sObjectIdName=Skiplino_Ticket_Id__c&rawPayload=true", request -> {
                    request.getIn().setBody(json);
                    request.getIn().setHeader("sObjectIdValue", ticketId);
                });
        if (exchange.getException() != null) {
            throw new AssertionError(exchange.getException());
        }
        return parse(exchange.getMessage().getBody());
    }

    /** {@code allOrNone} goes in a header: camel-salesforce 4.17 ignores the URI option for this operation. */
    @SuppressWarnings("unchecked")
    private List<UpsertSObjectResult> collectionUpsert(String sf, List<TestTicket> tickets, boolean allOrNone) {
        return producer.requestBodyAndHeader(sf + COLLECTION_UPSERT, tickets, "allOrNone", allOrNone, List.class);
    }

    private void createContactsWithKeys(int count) {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            contacts.add(Map.of("LastName", "Contact " + i, "Bridge_Key__c", "crm-" + i));
        }
        createContacts(contacts);
    }

    private long upsertedRecordCount(String sObject) {
        Map<String, Object> stats = parse(send("GET", "/sandbox/control/salesforce/stats", null).body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> counts = (List<Map<String, Object>>) stats.get("upsertedRecords");
        return counts.stream().filter(count -> sObject.equals(count.get("sObject")))
                .mapToLong(count -> ((Number) count.get("count")).longValue()).sum();
    }
}
