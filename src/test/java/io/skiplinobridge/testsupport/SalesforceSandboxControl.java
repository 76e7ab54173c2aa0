package io.skiplinobridge.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drives a Salesforce sandbox through its public control API (DESIGN.md §4.6, docs/sandbox-salesforce.md),
 * in-process or in another process, exactly as acceptance checks and benchmarks do.
 */
public final class SalesforceSandboxControl {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** @param base e.g. {@code http://127.0.0.1:8080} */
    public SalesforceSandboxControl(String base) {
        this.base = base;
    }

    public static SalesforceSandboxControl forLocalPort(int port) {
        return new SalesforceSandboxControl("http://127.0.0.1:" + port);
    }

    /** Creates contacts as one transaction (one SystemModstamp); the stored records with Id and SystemModstamp. */
    public List<JsonNode> createContacts(List<? extends Map<String, ?>> contacts) {
        List<JsonNode> stored = new ArrayList<>();
        send("POST", "/sandbox/control/salesforce/contacts", contacts, 201).forEach(stored::add);
        return stored;
    }

    /** Changes fields of a contact (null clears); the record with its new SystemModstamp. */
    public JsonNode updateContact(String id, Map<String, ?> fields) {
        return send("PATCH", "/sandbox/control/salesforce/contacts/" + id, fields, 200);
    }

    public void deleteContact(String id) {
        send("DELETE", "/sandbox/control/salesforce/contacts/" + id, null, 204);
    }

    /** Every stored record of an sObject, deleted ones included. */
    public List<JsonNode> records(String sObject) {
        List<JsonNode> records = new ArrayList<>();
        send("GET", "/sandbox/control/salesforce/sobjects/" + sObject, null, 200).forEach(records::add);
        return records;
    }

    /** Replaces every fault setting (see docs/sandbox-salesforce.md). */
    public JsonNode setFaults(Map<String, ?> faults) {
        return send("PUT", "/sandbox/control/salesforce/faults", faults, 200);
    }

    public void clearFaults() {
        send("DELETE", "/sandbox/control/salesforce/faults", null, 204);
    }

    /** Every access token expires now: the next call of a client gets 401 INVALID_SESSION_ID. */
    public void expireTokens() {
        send("POST", "/sandbox/control/salesforce/tokens/expire", null, 204);
    }

    /** Calls by kind and status since start or the last reset, as {@code kind status → count}. */
    public Map<String, Long> calls() {
        Map<String, Long> counts = new HashMap<>();
        for (JsonNode row : send("GET", "/sandbox/control/salesforce/stats", null, 200).path("calls")) {
            counts.merge(row.get("kind").asText() + " " + row.get("status").asInt(), row.get("count").asLong(), Long::sum);
        }
        return counts;
    }

    /** Calls of one kind ({@code query}, {@code queryMore}, {@code token}, ...) with one status. */
    public long calls(String kind, int status) {
        return calls().getOrDefault(kind + " " + status, 0L);
    }

    private JsonNode send(String method, String path, Object body, int expectedStatus) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new AssertionError(method + " " + path + " answered " + response.statusCode()
                        + " instead of " + expectedStatus + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
