package io.skiplinobridge.sandbox.salesforce;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.salesforce.ControlProblem.FieldProblem;
import io.skiplinobridge.sandbox.salesforce.SalesforceFaults.RecordFailure;
import io.skiplinobridge.sandbox.salesforce.SalesforceFaults.Settings;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /sandbox/control/salesforce/*}: how demos, tests and benchmarks act as the CRM's users and
 * look inside the org (DESIGN.md §4.6), plus faults, token expiry and call counts. No auth: it exists
 * only in sandbox mode.
 */
@RestController
@ConditionalOnSandbox
@RequestMapping("/sandbox/control/salesforce")
class SalesforceControlController {

    private static final String CONTACT = "Contact";
    private static final int MAX_LATENCY_MS = 60_000;

    private final SObjectWriter writer;
    private final SObjectStore store;
    private final SalesforceFaults faults;
    private final SalesforceSandboxAuth auth;
    private final SalesforceCallStats stats;

    SalesforceControlController(SObjectWriter writer, SObjectStore store, SalesforceFaults faults,
                                SalesforceSandboxAuth auth, SalesforceCallStats stats) {
        this.writer = writer;
        this.store = store;
        this.faults = faults;
        this.auth = auth;
        this.stats = stats;
    }

    /** Contacts created as one transaction (one shared {@code SystemModstamp} unless a record brings its own). */
    @PostMapping("/contacts")
    void createContacts(@RequestBody(required = false) byte[] body, HttpServletResponse response) {
        List<Map<String, Object>> inputs = readArrayOfObjects(body);
        List<SObjectRecord> created;
        try {
            created = writer.insertAll(CONTACT, inputs);
        } catch (InvalidRecordsException invalid) {
            List<FieldProblem> problems = new ArrayList<>();
            invalid.errors().forEach((index, error) -> problems.add(new FieldProblem(
                    "[" + index + "]" + (error.fields().isEmpty() ? "" : "." + error.fields().get(0)),
                    error.statusCode(), error.message())));
            problems.sort(Comparator.comparing(FieldProblem::field));
            throw new ControlProblem(400, invalid.getMessage() + "; nothing was stored", problems);
        }
        writeRecords(response, 201, created);
    }

    @PatchMapping("/contacts/{id}")
    void updateContact(@PathVariable String id, @RequestBody(required = false) byte[] body,
                       HttpServletResponse response) {
        Map<String, Object> changes = readObject(body);
        SObjectRecord updated = controlWrite("Contact " + id, () -> writer.update(CONTACT, id, changes));
        writeRecords(response, 200, List.of(updated), false);
    }

    @DeleteMapping("/contacts/{id}")
    ResponseEntity<Void> deleteContact(@PathVariable String id) {
        controlWrite("Contact " + id, () -> writer.delete(CONTACT, id));
        return ResponseEntity.noContent().build();
    }

    /** Every stored record of an sObject, deleted ones included; an unknown object has none. */
    @GetMapping("/sobjects/{name}")
    void records(@PathVariable String name, HttpServletResponse response) {
        List<SObjectRecord> records = store.read(() -> store.table(name)
                .map(table -> List.copyOf(table.records())).orElse(List.of()));
        writeRecords(response, 200, records);
    }

    @GetMapping("/faults")
    Settings faults() {
        return faults.settings();
    }

    /** Replaces the active faults as a whole: what the body leaves out is off. */
    @PutMapping("/faults")
    Settings setFaults(@RequestBody(required = false) byte[] body) {
        Settings settings = readFaults(body);
        return faults.replace(settings);
    }

    @DeleteMapping("/faults")
    ResponseEntity<Void> clearFaults() {
        faults.clear();
        return ResponseEntity.noContent().build();
    }

    /** Every access token stops working now; camel-salesforce logs in again on its next 401. */
    @PostMapping("/tokens/expire")
    ResponseEntity<Void> expireTokens() {
        auth.expireAll();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/stats")
    SalesforceCallStats.Snapshot stats() {
        return stats.snapshot();
    }

    @ExceptionHandler(ControlProblem.class)
    ResponseEntity<ProblemDetail> refused(ControlProblem problem) {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(problem.status()), problem.getMessage());
        detail.setTitle(problem.status() == 404 ? "Not found" : "Invalid sandbox control request");
        detail.setType(URI.create("about:blank"));
        if (!problem.problems().isEmpty()) {
            detail.setProperty("errors", problem.problems());
        }
        return ResponseEntity.status(problem.status()).body(detail);
    }

    private <T> T controlWrite(String what, Supplier<T> write) {
        try {
            return write.get();
        } catch (SalesforceApiException failure) {
            if (failure.status() == 404) {
                throw ControlProblem.notFound(what);
            }
            String field = failure.fields().isEmpty() ? "body" : failure.fields().get(0);
            throw new ControlProblem(400, field + ": " + failure.getMessage(),
                    List.of(new FieldProblem(field, failure.errorCode(), failure.getMessage())));
        }
    }

    private void writeRecords(HttpServletResponse response, int status, List<SObjectRecord> records) {
        writeRecords(response, status, records, true);
    }

    /** Each record with its system fields and the fields it has set, as an array (or one object). */
    private void writeRecords(HttpServletResponse response, int status, List<SObjectRecord> records, boolean array) {
        Map<String, List<String>> fieldsByType = store.read(() -> {
            Map<String, List<String>> fields = new HashMap<>();
            records.forEach(record -> fields.computeIfAbsent(record.type(),
                    type -> store.table(type).map(SObjectTable::fields).orElse(SObjectRecord.SYSTEM_FIELDS)));
            return fields;
        });
        SalesforceJson.respond(response, status, json -> {
            if (array) {
                json.writeStartArray();
            }
            for (SObjectRecord record : records) {
                List<String> present = fieldsByType.get(record.type()).stream()
                        .filter(field -> record.value(field) != null).toList();
                SalesforceJson.writeRecord(json, record, present, SalesforceJson.DEFAULT_API_VERSION);
            }
            if (array) {
                json.writeEndArray();
            }
        });
    }

    private static List<Map<String, Object>> readArrayOfObjects(byte[] body) {
        List<Object> items;
        try {
            items = SalesforceJson.MAPPER.readValue(nonEmpty(body), new TypeReference<List<Object>>() { });
        } catch (IOException notAnArray) {
            throw ControlProblem.badField("body", "a JSON array of contact records is required");
        }
        List<Map<String, Object>> records = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> map)) {
                throw ControlProblem.badField("[" + i + "]", "each record must be a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) map;
            records.add(record);
        }
        return records;
    }

    private static Map<String, Object> readObject(byte[] body) {
        try {
            return SalesforceJson.MAPPER.readValue(nonEmpty(body), new TypeReference<Map<String, Object>>() { });
        } catch (IOException notAnObject) {
            throw ControlProblem.badField("body", "a JSON object of fields to change is required");
        }
    }

    private static Settings readFaults(byte[] body) {
        Settings settings;
        try {
            settings = SalesforceJson.MAPPER.readValue(nonEmpty(body), Settings.class);
        } catch (UnrecognizedPropertyException unknown) {
            throw ControlProblem.badField(unknown.getPropertyName(), "unknown setting; known: requestLimitExceeded, "
                    + "failPageOfNextQuery, recordFailures, latencyMs, callFaults");
        } catch (com.fasterxml.jackson.databind.exc.InvalidFormatException badValue) {
            StringBuilder field = new StringBuilder();
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference step : badValue.getPath()) {
                if (step.getFieldName() != null) {
                    field.append(field.isEmpty() ? "" : ".").append(step.getFieldName());
                } else {
                    field.append('[').append(step.getIndex()).append(']');
                }
            }
            throw ControlProblem.badField(field.toString(), "not a valid value: " + badValue.getValue());
        } catch (IOException malformed) {
            throw ControlProblem.badField("body", "a JSON object of fault settings is required");
        }
        if (settings.failPageOfNextQuery() != null && settings.failPageOfNextQuery() < 1) {
            throw ControlProblem.badField("failPageOfNextQuery", "must be 1 or more (1 is the query itself)");
        }
        if (settings.latencyMs() < 0 || settings.latencyMs() > MAX_LATENCY_MS) {
            throw ControlProblem.badField("latencyMs", "must be between 0 and " + MAX_LATENCY_MS);
        }
        for (int i = 0; i < settings.recordFailures().size(); i++) {
            RecordFailure failure = settings.recordFailures().get(i);
            if (failure.externalIds().isEmpty()) {
                throw ControlProblem.badField("recordFailures[" + i + "].externalIds", "at least one value is required");
            }
            if (failure.times() != null && failure.times() < 1) {
                throw ControlProblem.badField("recordFailures[" + i + "].times", "must be 1 or more, or absent for always");
            }
        }
        for (int i = 0; i < settings.callFaults().size(); i++) {
            SalesforceFaults.CallFault fault = settings.callFaults().get(i);
            if (fault.kind() == null || fault.kind().isBlank()) {
                throw ControlProblem.badField("callFaults[" + i + "].kind", "a call kind is required, e.g. query");
            }
            if (fault.fault() == null) {
                throw ControlProblem.badField("callFaults[" + i + "].fault", "a fault is required, one of "
                        + java.util.Arrays.toString(SalesforceFaults.Fault.values()));
            }
            if (fault.times() < 1) {
                throw ControlProblem.badField("callFaults[" + i + "].times", "must be 1 or more");
            }
            if (fault.retryAfterSeconds() < 0) {
                throw ControlProblem.badField("callFaults[" + i + "].retryAfterSeconds", "must be 0 or more");
            }
            if (fault.delayMs() < 0 || fault.delayMs() > MAX_LATENCY_MS) {
                throw ControlProblem.badField("callFaults[" + i + "].delayMs", "must be between 0 and " + MAX_LATENCY_MS);
            }
        }
        return settings;
    }

    private static byte[] nonEmpty(byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            throw new IOException("empty body");
        }
        return body;
    }
}
