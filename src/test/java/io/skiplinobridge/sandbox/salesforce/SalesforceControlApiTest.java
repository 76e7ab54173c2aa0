package io.skiplinobridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The control API over plain HTTP, as demos, benchmarks and acceptance checks drive it. */
class SalesforceControlApiTest extends SalesforceSandboxTestSupport {

    private static final String CONTACTS = "/sandbox/control/salesforce/contacts";

    @Test
    void createdContactsGet18CharacterIdsAndShareOneSystemModstamp() {
        List<Map<String, Object>> created = createContacts(List.of(
                Map.of("FirstName", "Layla", "LastName", "Hassan", "Email", "layla.hassan@example.com", "MobilePhone", "+973 3344 5566"),
                Map.of("FirstName", "أحمد", "LastName", "الجلاهمة", "Phone", "+973 1712 3456", "Loyalty_Tier__c", "gold")));

        assertThat(created).hasSize(2);
        assertThat(created).allSatisfy(contact -> {
            String id = (String) contact.get("Id");
            assertThat(id).hasSize(18).startsWith("003").isEqualTo(SalesforceIds.withSuffix(id.substring(0, 15)));
            assertThat(contact).containsEntry("IsDeleted", false).containsKeys("CreatedDate", "LastModifiedDate");
        });
        assertThat(created.get(0).get("SystemModstamp")).isEqualTo(created.get(1).get("SystemModstamp"));
        assertThat(created.get(0)).containsEntry("Name", "Layla Hassan").containsEntry("MobilePhone", "+973 3344 5566");
        assertThat(created.get(1)).containsEntry("Name", "أحمد الجلاهمة").containsEntry("Loyalty_Tier__c", "gold");
        assertThat(storedRecords("Contact")).hasSize(2);
    }

    @Test
    void explicitSystemModstampSimulatesALateCommit() {
        List<Map<String, Object>> created = createContacts(List.of(
                Map.of("LastName", "Late", "SystemModstamp", "2026-11-26T10:00:00.000Z"), Map.of("LastName", "Now")));

        assertThat(created.get(0)).containsEntry("SystemModstamp", "2026-11-26T10:00:00.000+0000");
        assertThat(created.get(1).get("SystemModstamp")).isNotEqualTo("2026-11-26T10:00:00.000+0000");
    }

    @Test
    void invalidRecordsAreRejectedWholeNamingEachField() {
        HttpResponse<String> response = send("POST", CONTACTS, toJson(List.of(
                Map.of("LastName", "Fine"), Map.of("LastName", "Bad", "Id", "003000000000001AAA"),
                Map.of("LastName", "Worse", "SystemModstamp", "yesterday"))));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        Map<String, Object> problem = parse(response.body());
        assertThat(problem).containsEntry("status", 400);
        assertThat(problem.get("errors").toString()).contains("field=[1].Id", "field=[2].SystemModstamp")
                .doesNotContain("[0]");
        assertThat(storedRecords("Contact")).isEmpty();
    }

    @Test
    void bodyThatIsNotAnArrayOfObjectsIsRejected() {
        for (String body : List.of("{\"LastName\":\"x\"}", "[1, 2]", "not json", "")) {
            HttpResponse<String> response = send("POST", CONTACTS, body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(parse(response.body())).as(body).containsKey("errors");
        }
    }

    @Test
    void patchChangesFieldsAndStampsANewSystemModstamp() {
        Map<String, Object> created = createContacts(1, "patch").get(0);
        CLOCK.advance(Duration.ofSeconds(5));

        HttpResponse<String> response = send("PATCH", CONTACTS + "/" + created.get("Id"),
                "{\"Email\": \"new@example.com\", \"MobilePhone\": null, \"FirstName\": \"Noora\"}");

        assertStatus(response, 200);
        Map<String, Object> updated = parse(response.body());
        assertThat(updated).containsEntry("Email", "new@example.com").containsEntry("Name", "Noora Contact 0")
                .doesNotContainKey("MobilePhone").containsEntry("CreatedDate", created.get("CreatedDate"));
        assertThat(instant(updated.get("SystemModstamp"))).isAfter(instant(created.get("SystemModstamp")));
    }

    @Test
    void patchOfReadOnlyFieldOrUnknownContactIsRefused() {
        String id = (String) createContacts(1, "readonly").get(0).get("Id");

        HttpResponse<String> readOnly = send("PATCH", CONTACTS + "/" + id, "{\"SystemModstamp\": \"2026-01-01T00:00:00Z\"}");
        HttpResponse<String> unknown = send("PATCH", CONTACTS + "/003000000000999AAA", "{\"Email\": \"x@example.com\"}");

        assertThat(readOnly.statusCode()).isEqualTo(400);
        assertThat(readOnly.body()).contains("SystemModstamp");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void deletedContactStaysVisibleWithIsDeleted() {
        Map<String, Object> created = createContacts(1, "delete").get(0);
        CLOCK.advance(Duration.ofSeconds(5));

        assertStatus(send("DELETE", CONTACTS + "/" + created.get("Id"), null), 204);
        assertThat(send("DELETE", CONTACTS + "/" + created.get("Id"), null).statusCode()).isEqualTo(404);

        List<Map<String, Object>> stored = storedRecords("Contact");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).containsEntry("IsDeleted", true);
        assertThat(instant(stored.get(0).get("SystemModstamp"))).isAfter(instant(created.get("SystemModstamp")));
    }

    @Test
    void unknownSObjectHasNoRecords() {
        assertThat(storedRecords("Nothing_Here__c")).isEmpty();
    }

    @Test
    void resetEmptiesEveryObjectAndClearsFaultsAndStats() {
        createContacts(3, "reset");
        setFaults("{\"requestLimitExceeded\": true, \"latencyMs\": 1}");
        component();

        assertStatus(send("POST", "/sandbox/control/reset", null), 204);

        assertThat(storedRecords("Contact")).isEmpty();
        assertThat(parse(send("GET", "/sandbox/control/salesforce/faults", null).body()))
                .containsEntry("requestLimitExceeded", false).containsEntry("latencyMs", 0);
        assertThat(calls("token", 200)).isZero();
    }

    @Test
    void faultSettingsAreValidated() {
        HttpResponse<String> unknown = send("PUT", "/sandbox/control/salesforce/faults", "{\"explode\": true}");
        HttpResponse<String> badPage = send("PUT", "/sandbox/control/salesforce/faults", "{\"failPageOfNextQuery\": 0}");
        HttpResponse<String> noIds = send("PUT", "/sandbox/control/salesforce/faults", "{\"recordFailures\": [{\"errorCode\": \"X\"}]}");

        assertThat(List.of(unknown, badPage, noIds)).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(400));
        assertThat(parse(unknown.body()).toString()).contains("explode");
        assertThat(parse(noIds.body()).toString()).contains("recordFailures[0].externalIds");
    }

    @Test
    void callFaultsAreValidatedAndNamedInTheAnswer() {
        HttpResponse<String> badFault = send("PUT", "/sandbox/control/salesforce/faults",
                "{\"callFaults\": [{\"kind\": \"query\", \"fault\": \"EXPLODE\"}]}");
        HttpResponse<String> noKind = send("PUT", "/sandbox/control/salesforce/faults",
                "{\"callFaults\": [{\"fault\": \"HTTP_500\"}]}");
        HttpResponse<String> zeroTimes = send("PUT", "/sandbox/control/salesforce/faults",
                "{\"callFaults\": [{\"kind\": \"query\", \"fault\": \"HTTP_500\", \"times\": 0}]}");
        HttpResponse<String> ok = send("PUT", "/sandbox/control/salesforce/faults",
                "{\"callFaults\": [{\"kind\": \"queryMore\", \"fault\": \"CONNECTION_RESET\"}]}");

        assertThat(List.of(badFault, noKind, zeroTimes)).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(400));
        assertThat(parse(badFault.body()).toString()).contains("callFaults[0].fault");
        assertThat(parse(noKind.body()).toString()).contains("callFaults[0].kind");
        assertThat(parse(zeroTimes.body()).toString()).contains("callFaults[0].times");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(parse(ok.body()).get("callFaults")).asList().singleElement().asString()
                .contains("fault=CONNECTION_RESET").contains("times=1");
        send("DELETE", "/sandbox/control/salesforce/faults", null);
    }

    @Test
    void statsCountCallsByKindAndStatus() {
        createContacts(1, "stats");
        String sf = component();
        query(sf, "query", "SELECT Id FROM Contact", 2000);
        query(sf, "queryAll", "SELECT Id FROM Contact", 2000);
        salesforceFailure(() -> query(sf, "query", "SELECT nonsense", 2000));

        assertThat(calls("token", 200)).isEqualTo(1);
        assertThat(calls("query", 200)).isEqualTo(1);
        assertThat(calls("queryAll", 200)).isEqualTo(1);
        assertThat(calls("query", 400)).isEqualTo(1);
    }

    @Test
    void takesTwentyThousandContactsInOneCall() {
        List<Map<String, Object>> created = createContacts(20_000, "bulk");

        assertThat(created).hasSize(20_000);
        assertThat(created).extracting(contact -> contact.get("Id")).doesNotHaveDuplicates();
    }

    private static Instant instant(Object salesforceDateTime) {
        return SalesforceDateTimes.parse((String) salesforceDateTime).orElseThrow();
    }
}
