package io.skiplinobridge.sandbox.skiplino;

import static io.skiplinobridge.sandbox.skiplino.SandboxHttp.PUBLIC;
import static io.skiplinobridge.sandbox.skiplino.SandboxHttp.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SkiplinoSandboxCustomersTest extends SandboxApiTestSupport {

    private static final String LAYLA = """
            {"externalId": "crm-7741", "name": "Layla Hassan", "email": "layla.hassan@example.com",
             "mobile": "+97333445566", "metadata": {"tier": "gold", "source": "mobile-app"}}""";

    @Test
    void createAnswers201WithTheStoredCustomerAndServerGeneratedFields() {
        SandboxHttp.Answer created = http.api("POST", "/customers/create", SECRET, LAYLA);

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("message").asText()).isEqualTo("Customer created successfully.");
        JsonNode data = body.get("data");
        assertThat(data.get("_id").asText()).matches("[0-9a-f]{32}");
        assertThat(data.has("id")).isFalse();
        assertThat(data.get("externalId").asText()).isEqualTo("crm-7741");
        assertThat(data.get("companyId").asText()).isEqualTo("cmp_sandbox");
        assertThat(data.get("mobile").asText()).isEqualTo("+97333445566");
        assertThat(data.get("metadata").get("tier").asText()).isEqualTo("gold");
        assertThat(data.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(data.get("updatedAt").asText()).isEqualTo(data.get("createdAt").asText());
    }

    @Test
    void emptyOrOmittedOptionalFieldsAreNotStored() {
        JsonNode data = createCustomer("""
                {"externalId": "crm-1", "name": "", "email": null, "metadata": {}}""");

        assertThat(data.has("name")).isFalse();
        assertThat(data.has("email")).isFalse();
        assertThat(data.has("mobile")).isFalse();
        assertThat(data.has("metadata")).isFalse();
        JsonNode anonymous = createCustomer("{}");
        assertThat(anonymous.has("externalId")).isFalse();
        assertThat(anonymous.get("_id").asText()).matches("[0-9a-f]{32}");
    }

    @Test
    void aDuplicateExternalIdIs422AlreadyTakenAndCreatesNothing() {
        createCustomer(LAYLA);

        SandboxHttp.Answer duplicate = http.api("POST", "/customers/create", SECRET, """
                {"externalId": "crm-7741", "name": "Someone Else"}""");

        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.json().get("error").get("externalId").asText()).isEqualTo("This value is already taken.");
        assertThat(getAll("?limit=100").get("pagination").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void concurrentCreatesOfOneExternalIdStoreExactlyOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                attempts.add(() -> http.api("POST", "/customers/create", SECRET, "{\"externalId\": \"race-1\"}").status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(201, 422);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "email, not-an-email, The email must be a valid email address.",
            "email, layla@localhost, The email must be a valid email address.",
            "mobile, +973 3344 5566, 'The mobile must be a valid phone number in E.164 format, e.g. +97333445566.'",
            "mobile, 97333445566, 'The mobile must be a valid phone number in E.164 format, e.g. +97333445566.'",
            "mobile, +99912345678, 'The mobile must be a valid phone number in E.164 format, e.g. +97333445566.'"})
    void invalidEmailOrMobileIs422UnderTheFieldAndStoresNothing(String field, String value, String message) {
        SandboxHttp.Answer rejected = http.api("POST", "/customers/create", SECRET,
                "{\"externalId\": \"crm-1\", \"" + field + "\": \"" + value + "\"}");

        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.json().get("error").get(field).asText()).isEqualTo(message);
        assertThat(getAll("").get("data")).isEmpty();
    }

    @Test
    void everyBrokenFieldIsReportedAtOnce() {
        SandboxHttp.Answer rejected = http.api("POST", "/customers/create", SECRET, """
                {"externalId": 42, "email": "x", "mobile": "0", "metadata": [1]}""");

        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.json().get("error").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("externalId", "email", "mobile", "metadata");
    }

    @Test
    void aPublicKeyGets401OnEveryCustomerCrudEndpoint() {
        JsonNode layla = createCustomer(LAYLA);
        String id = layla.get("_id").asText();

        assertThat(http.api("POST", "/customers/create", PUBLIC, "{}").status()).isEqualTo(401);
        assertThat(http.api("GET", "/customers/getAll", PUBLIC, null).status()).isEqualTo(401);
        assertThat(http.api("GET", "/customers/getOne?id=" + id, PUBLIC, null).status()).isEqualTo(401);
        assertThat(http.api("PUT", "/customers/update", PUBLIC, "{\"id\": \"" + id + "\", \"name\": \"x\"}").status())
                .isEqualTo(401);
        assertThat(http.api("DELETE", "/customers/delete?id=" + id, PUBLIC, null).status()).isEqualTo(401);
        assertThat(http.api("GET", "/customers/tickets?id=" + id, PUBLIC, null).status()).isEqualTo(200);
        assertThat(getOne("?id=" + id).get("data").get("name").asText()).isEqualTo("Layla Hassan");
    }

    @Test
    void aMissingOrWrongKeyIs401WithoutEchoingTheKey() {
        SandboxHttp.Answer missing = http.api("GET", "/branches", null, null);
        SandboxHttp.Answer wrong = http.api("GET", "/branches", "sk_not_the_key", null);

        assertThat(missing.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("sk_not_the_key").contains("\"message\"");
    }

    @Test
    void getOneFindsByIdOrExternalIdAndIdWins() {
        JsonNode layla = createCustomer(LAYLA);
        JsonNode omar = createCustomer("{\"externalId\": \"crm-2\", \"name\": \"Omar\"}");

        assertThat(getOne("?externalId=crm-2").get("data").get("name").asText()).isEqualTo("Omar");
        JsonNode both = getOne("?id=" + layla.get("_id").asText() + "&externalId=crm-2");
        assertThat(both.get("message").asText()).isEqualTo("Customer fetched successfully.");
        assertThat(both.get("data").get("_id").asText()).isEqualTo(layla.get("_id").asText());
        assertThat(omar.get("_id").asText()).isNotEqualTo(layla.get("_id").asText());
    }

    @Test
    void unknownIdentifiersAre422DoesNotExistUnderTheFieldUsed() {
        assertDoesNotExist(http.api("GET", "/customers/getOne?externalId=nobody", SECRET, null), "externalId");
        assertDoesNotExist(http.api("GET", "/customers/getOne?id=00000000000000000000000000000000", SECRET, null), "id");
        assertDoesNotExist(http.api("DELETE", "/customers/delete?externalId=nobody", SECRET, null), "externalId");
        assertDoesNotExist(http.api("GET", "/customers/tickets?externalId=nobody", SECRET, null), "externalId");
        assertDoesNotExist(http.api("PUT", "/customers/update", SECRET, "{\"externalId\": \"nobody\", \"name\": \"x\"}"),
                "externalId");
        assertThat(http.api("GET", "/customers/getOne", SECRET, null).status()).isEqualTo(422);
    }

    @Test
    void updateChangesOnlyTheFieldsSentAndReplacesMetadataWholesale() {
        JsonNode layla = createCustomer(LAYLA);

        SandboxHttp.Answer updated = http.api("PUT", "/customers/update", SECRET, """
                {"externalId": "crm-7741", "email": "layla.new@example.com", "metadata": {"tier": "platinum"}}""");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("message").asText()).isEqualTo("Customer updated successfully.");
        JsonNode data = getOne("?externalId=crm-7741").get("data");
        assertThat(data.get("email").asText()).isEqualTo("layla.new@example.com");
        assertThat(data.get("name").asText()).isEqualTo("Layla Hassan");
        assertThat(data.get("mobile").asText()).isEqualTo("+97333445566");
        assertThat(data.get("metadata").size()).isEqualTo(1);
        assertThat(data.get("metadata").get("tier").asText()).isEqualTo("platinum");
        assertThat(data.get("createdAt").asText()).isEqualTo(layla.get("createdAt").asText());
    }

    @Test
    void nullAndEmptyStringClearAFieldOnUpdate() {
        createCustomer(LAYLA);

        http.api("PUT", "/customers/update", SECRET, """
                {"externalId": "crm-7741", "email": null, "mobile": "", "metadata": null}""");

        JsonNode data = getOne("?externalId=crm-7741").get("data");
        assertThat(data.has("email")).isFalse();
        assertThat(data.has("mobile")).isFalse();
        assertThat(data.has("metadata")).isFalse();
        assertThat(data.get("name").asText()).isEqualTo("Layla Hassan");
    }

    @Test
    void updateLocatedByIdSetsANewUniqueExternalIdAndFreesTheOldOne() {
        JsonNode layla = createCustomer(LAYLA);
        createCustomer("{\"externalId\": \"crm-2\"}");
        String id = layla.get("_id").asText();

        SandboxHttp.Answer taken = http.api("PUT", "/customers/update", SECRET,
                "{\"id\": \"" + id + "\", \"externalId\": \"crm-2\"}");
        assertThat(taken.status()).isEqualTo(422);
        assertThat(taken.json().get("error").get("externalId").asText()).isEqualTo("This value is already taken.");

        SandboxHttp.Answer renamed = http.api("PUT", "/customers/update", SECRET,
                "{\"id\": \"" + id + "\", \"externalId\": \"crm-9\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(getOne("?externalId=crm-9").get("data").get("_id").asText()).isEqualTo(id);
        assertDoesNotExist(http.api("GET", "/customers/getOne?externalId=crm-7741", SECRET, null), "externalId");
        createCustomer("{\"externalId\": \"crm-7741\"}");
    }

    @Test
    void invalidUpdateChangesNothing() {
        createCustomer(LAYLA);

        SandboxHttp.Answer rejected = http.api("PUT", "/customers/update", SECRET, """
                {"externalId": "crm-7741", "name": "New Name", "mobile": "12"}""");

        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.json().get("error").get("mobile").asText()).contains("E.164");
        assertThat(getOne("?externalId=crm-7741").get("data").get("name").asText()).isEqualTo("Layla Hassan");
    }

    @Test
    void deleteAnswers200WithNullDataAndTheCustomerIsGone() {
        JsonNode layla = createCustomer(LAYLA);

        SandboxHttp.Answer deleted = http.api("DELETE", "/customers/delete?id=" + layla.get("_id").asText(), SECRET, null);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("message").asText()).isEqualTo("Customer deleted successfully.");
        assertThat(deleted.json().has("data")).isTrue();
        assertThat(deleted.json().get("data").isNull()).isTrue();
        assertDoesNotExist(http.api("GET", "/customers/getOne?externalId=crm-7741", SECRET, null), "externalId");
        assertDoesNotExist(http.api("DELETE", "/customers/delete?externalId=crm-7741", SECRET, null), "externalId");
    }

    @Test
    void getAllPagesNewestFirstWithPagination() {
        for (int i = 1; i <= 25; i++) {
            createCustomer("{\"externalId\": \"c-" + i + "\"}");
        }
        http.api("DELETE", "/customers/delete?externalId=c-24", SECRET, null);

        JsonNode first = getAll("?page=1&limit=10");
        assertThat(first.get("message").asText()).isEqualTo("Customers fetched successfully.");
        assertThat(externalIds(first)).containsExactly("c-25", "c-23", "c-22", "c-21", "c-20", "c-19", "c-18", "c-17",
                "c-16", "c-15");
        JsonNode pagination = first.get("pagination");
        assertThat(pagination.get("total").asInt()).isEqualTo(24);
        assertThat(pagination.get("totalPages").asInt()).isEqualTo(3);
        assertThat(pagination.get("hasNextPage").asBoolean()).isTrue();
        assertThat(pagination.get("hasPrevPage").asBoolean()).isFalse();
        JsonNode last = getAll("?page=3&limit=10");
        assertThat(externalIds(last)).containsExactly("c-4", "c-3", "c-2", "c-1");
        assertThat(last.get("pagination").get("hasNextPage").asBoolean()).isFalse();
        assertThat(last.get("pagination").get("hasPrevPage").asBoolean()).isTrue();
        assertThat(getAll("").get("pagination").get("limit").asInt()).isEqualTo(10);
        assertThat(getAll("?page=4&limit=10").get("data")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"page=0, page", "page=x, page", "limit=0, limit", "limit=101, limit", "limit=abc, limit"})
    void getAllRejectsPageAndLimitOutOfRange(String query, String field) {
        SandboxHttp.Answer rejected = http.api("GET", "/customers/getAll?" + query, SECRET, null);

        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.json().get("error").has(field)).isTrue();
    }

    @Test
    void getAllAcceptsTheLimitBoundaries() {
        assertThat(http.api("GET", "/customers/getAll?limit=1", SECRET, null).status()).isEqualTo(200);
        assertThat(http.api("GET", "/customers/getAll?limit=100", SECRET, null).status()).isEqualTo(200);
    }

    private JsonNode getAll(String query) {
        SandboxHttp.Answer answer = http.api("GET", "/customers/getAll" + query, SECRET, null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private JsonNode getOne(String query) {
        SandboxHttp.Answer answer = http.api("GET", "/customers/getOne" + query, SECRET, null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> externalIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(c -> ids.add(c.get("externalId").asText()));
        return ids;
    }

    private static void assertDoesNotExist(SandboxHttp.Answer answer, String field) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.json().get("error").get(field).asText()).isEqualTo("This value does not exist.");
    }
}
