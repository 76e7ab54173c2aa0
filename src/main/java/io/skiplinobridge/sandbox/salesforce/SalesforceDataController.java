package io.skiplinobridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.salesforce.SObjectWriter.UpsertOutcome;
import io.skiplinobridge.sandbox.salesforce.SoqlQueryService.QueryPage;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The org's REST data API under {@code /sandbox/salesforce/services/data/v{version}}: query, queryAll,
 * queryMore, sObject create/retrieve/update/delete/upsert and sObject Collections upsert, answering
 * with Salesforce's status codes and bodies.
 */
@RestController
@ConditionalOnSandbox
@RequestMapping(SalesforceSandboxWebConfiguration.BASE_PATH + "/services/data/v{version:\\d+\\.\\d+}")
class SalesforceDataController {

    private static final String QUERY_OPTIONS = "Sforce-Query-Options";

    private final SoqlQueryService queries;
    private final SObjectWriter writer;
    private final SObjectStore store;

    SalesforceDataController(SoqlQueryService queries, SObjectWriter writer, SObjectStore store) {
        this.queries = queries;
        this.writer = writer;
        this.store = store;
    }

    @GetMapping({"/query", "/query/"})
    @SalesforceCall("query")
    void query(@PathVariable String version, @RequestParam(name = "q", required = false) String soql,
               @RequestHeader(name = QUERY_OPTIONS, required = false) String options, HttpServletResponse response) {
        page(response, queries.query(soql, false, batchSize(options), version), version);
    }

    @GetMapping({"/queryAll", "/queryAll/"})
    @SalesforceCall("queryAll")
    void queryAll(@PathVariable String version, @RequestParam(name = "q", required = false) String soql,
                  @RequestHeader(name = QUERY_OPTIONS, required = false) String options, HttpServletResponse response) {
        page(response, queries.query(soql, true, batchSize(options), version), version);
    }

    @GetMapping({"/query/{locator}", "/queryAll/{locator}"})
    @SalesforceCall("queryMore")
    void queryMore(@PathVariable String version, @PathVariable String locator, HttpServletResponse response) {
        page(response, queries.more(locator, version), version);
    }

    @PostMapping({"/sobjects/{name}", "/sobjects/{name}/"})
    @SalesforceCall("create")
    void create(@PathVariable String name, @RequestBody(required = false) byte[] body, HttpServletResponse response) {
        SObjectRecord created = writer.create(name, SalesforceJson.readObject(body));
        SalesforceJson.respond(response, 201, result(created.id(), null));
    }

    @GetMapping("/sobjects/{name}/{id}")
    @SalesforceCall("retrieve")
    void retrieve(@PathVariable String version, @PathVariable String name, @PathVariable String id,
                  @RequestParam(name = "fields", required = false) String fields, HttpServletResponse response) {
        SObjectRecord record = writer.find(name, id).filter(found -> !found.deleted())
                .orElseThrow(SalesforceApiException::notFound);
        writeRecord(response, record, fields, version);
    }

    @GetMapping("/sobjects/{name}/{field}/{value}")
    @SalesforceCall("retrieveByExternalId")
    void retrieveByExternalId(@PathVariable String version, @PathVariable String name, @PathVariable String field,
                              @PathVariable String value, @RequestParam(name = "fields", required = false) String fields,
                              HttpServletResponse response) {
        List<SObjectRecord> matches = store.read(() -> store.table(name)
                .map(table -> table.findByExternalId(table.field(field).orElse(field), value)).orElse(List.of()));
        if (matches.isEmpty()) {
            throw SalesforceApiException.notFound();
        }
        if (matches.size() > 1) {
            SalesforceJson.respond(response, 300, urls(version, matches.get(0).type(),
                    matches.stream().map(SObjectRecord::id).toList()));
            return;
        }
        writeRecord(response, matches.get(0), fields, version);
    }

    @PatchMapping("/sobjects/{name}/{id}")
    @SalesforceCall("update")
    void update(@PathVariable String name, @PathVariable String id, @RequestBody(required = false) byte[] body,
                HttpServletResponse response) {
        writer.update(name, id, SalesforceJson.readObject(body));
        response.setStatus(204);
    }

    @DeleteMapping("/sobjects/{name}/{id}")
    @SalesforceCall("delete")
    void delete(@PathVariable String name, @PathVariable String id, HttpServletResponse response) {
        writer.delete(name, id);
        response.setStatus(204);
    }

    @PatchMapping("/sobjects/{name}/{field}/{value}")
    @SalesforceCall("upsert")
    void upsert(@PathVariable String version, @PathVariable String name, @PathVariable String field,
                @PathVariable String value, @RequestBody(required = false) byte[] body, HttpServletResponse response) {
        UpsertOutcome outcome = writer.upsert(name, field, value, SalesforceJson.readObject(body));
        if (outcome.error() != null) {
            throw outcome.error().toApiException();
        }
        if (!outcome.matchingIds().isEmpty()) {
            SalesforceJson.respond(response, 300, urls(version, name, outcome.matchingIds()));
            return;
        }
        Map<String, Object> answer = result(outcome.id(), null);
        answer.put("created", outcome.created());
        SalesforceJson.respond(response, outcome.created() ? 201 : 200, answer);
    }

    @PatchMapping({"/composite/sobjects", "/composite/sobjects/"})
    @SalesforceCall("compositeUpdate")
    void updateCollection(@RequestBody(required = false) byte[] body, HttpServletResponse response) {
        CollectionRequest request = CollectionRequest.read(body);
        List<UpsertOutcome> outcomes = writer.updateCollection(request.allOrNone(), request.records());
        List<Map<String, Object>> answer = new ArrayList<>(outcomes.size());
        for (UpsertOutcome outcome : outcomes) {
            answer.add(result(outcome.id(), outcome.error()));
        }
        SalesforceJson.respond(response, 200, answer);
    }

    @PatchMapping("/composite/sobjects/{name}/{field}")
    @SalesforceCall("compositeUpsert")
    void upsertCollection(@PathVariable String name, @PathVariable String field,
                          @RequestBody(required = false) byte[] body, HttpServletResponse response) {
        CollectionRequest request = CollectionRequest.read(body);
        List<UpsertOutcome> outcomes = writer.upsertCollection(name, field, request.allOrNone(), request.records());
        List<Map<String, Object>> answer = new ArrayList<>(outcomes.size());
        for (UpsertOutcome outcome : outcomes) {
            Map<String, Object> item = result(outcome.id(), outcome.error());
            if (outcome.success()) {
                item.put("created", outcome.created());
            }
            answer.add(item);
        }
        SalesforceJson.respond(response, 200, answer);
    }

    /** The body of an sObject Collections call: {@code records} and the optional {@code allOrNone}. */
    private record CollectionRequest(List<?> records, boolean allOrNone) {

        static CollectionRequest read(byte[] body) {
            Map<String, Object> request = SalesforceJson.readObject(body);
            if (!(request.get("records") instanceof List<?> records)) {
                throw new SalesforceApiException(400, "JSON_PARSER_ERROR", "records: a JSON array of records is required");
            }
            if (!(request.getOrDefault("allOrNone", false) instanceof Boolean allOrNone)) {
                throw new SalesforceApiException(400, "JSON_PARSER_ERROR", "allOrNone: true or false expected");
            }
            return new CollectionRequest(records, allOrNone);
        }
    }

    @ExceptionHandler(SalesforceApiException.class)
    void failed(SalesforceApiException failure, HttpServletResponse response) {
        SalesforceJson.errors(response, failure.status(), failure.errorCode(), failure.getMessage(), failure.fields());
    }

    private static void page(HttpServletResponse response, QueryPage page, String version) {
        SalesforceJson.respond(response, 200, json -> {
            json.writeStartObject();
            json.writeNumberField("totalSize", page.totalSize());
            json.writeBooleanField("done", page.done());
            if (page.nextRecordsUrl() != null) {
                json.writeStringField("nextRecordsUrl", page.nextRecordsUrl());
            }
            json.writeArrayFieldStart("records");
            for (SObjectRecord record : page.records()) {
                SalesforceJson.writeRecord(json, record, page.fields(), version);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void writeRecord(HttpServletResponse response, SObjectRecord record, String fields, String version) {
        List<String> selected = store.read(() -> {
            SObjectTable table = store.table(record.type()).orElseThrow();
            if (fields == null || fields.isBlank()) {
                return table.fields();
            }
            return Arrays.stream(fields.split(",")).map(String::trim).map(field -> table.field(field).orElseThrow(() ->
                    new SalesforceApiException(400, "INVALID_FIELD", "No such column '" + field + "' on sobject of type "
                            + table.name()))).toList();
        });
        SalesforceJson.respond(response, 200, json -> SalesforceJson.writeRecord(json, record, selected, version));
    }

    private static Map<String, Object> result(String id, RecordError error) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (id != null) {
            result.put("id", id);
        }
        result.put("success", error == null);
        result.put("errors", error == null ? List.of() : List.of(Map.of(
                "statusCode", error.statusCode(), "message", error.message(), "fields", error.fields())));
        return result;
    }

    private static List<String> urls(String version, String type, List<String> ids) {
        return ids.stream().map(id -> "/services/data/v" + version + "/sobjects/" + type + "/" + id).toList();
    }

    /** {@code Sforce-Query-Options: batchSize=500}; other options are ignored. */
    private static OptionalInt batchSize(String options) {
        if (options != null) {
            for (String option : options.split(",")) {
                String[] pair = option.trim().split("=", 2);
                if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("batchSize")) {
                    try {
                        return OptionalInt.of(Integer.parseInt(pair[1].trim()));
                    } catch (NumberFormatException ignored) {
                        return OptionalInt.empty();
                    }
                }
            }
        }
        return OptionalInt.empty();
    }
}
