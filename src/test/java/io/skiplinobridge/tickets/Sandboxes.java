package io.skiplinobridge.tickets;

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

/** The control API calls of both sandboxes the ticket tests use (DESIGN §4.6). */
final class Sandboxes {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Sandboxes(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Creates contacts in the Salesforce sandbox; their 18-character Ids, in order. */
    List<String> createContacts(String prefix, int count) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(Map.of("FirstName", prefix, "LastName", "Customer " + i,
                    "Email", prefix.toLowerCase() + "." + i + "@example.com"));
        }
        List<String> ids = new ArrayList<>();
        send("POST", "/sandbox/control/salesforce/contacts", records, 201).forEach(r -> ids.add(r.get("Id").asText()));
        return ids;
    }

    /** Every stored record of an sObject. */
    List<JsonNode> sObjects(String name) {
        List<JsonNode> records = new ArrayList<>();
        send("GET", "/sandbox/control/salesforce/sobjects/" + name, null, 200).forEach(records::add);
        return records;
    }

    /** Stored ticket records keyed by Skiplino ticket id (a duplicate would fail the put's check). */
    Map<String, List<JsonNode>> ticketRecordsById() {
        Map<String, List<JsonNode>> byId = new HashMap<>();
        for (JsonNode record : sObjects("Skiplino_Ticket__c")) {
            byId.computeIfAbsent(record.path("Skiplino_Ticket_Id__c").asText(), k -> new ArrayList<>()).add(record);
        }
        return byId;
    }

    void salesforceFaults(Object faults) {
        send("PUT", "/sandbox/control/salesforce/faults", faults, 200);
    }

    void clearSalesforceFaults() {
        send("DELETE", "/sandbox/control/salesforce/faults", null, 204);
    }

    /** Records received by upserts (failed ones included) of an sObject since start or reset. */
    long upsertedRecords(String sObject) {
        for (JsonNode row : send("GET", "/sandbox/control/salesforce/stats", null, 200).path("upsertedRecords")) {
            if (row.path("sObject").asText().equalsIgnoreCase(sObject)) {
                return row.path("count").asLong();
            }
        }
        return 0;
    }

    JsonNode startActivity(Map<String, Object> settings) {
        return send("POST", "/sandbox/control/skiplino/activity", settings, 202);
    }

    JsonNode activity() {
        return send("GET", "/sandbox/control/skiplino/activity", null, 200);
    }

    /** Every Skiplino sandbox ticket with its states in order. */
    List<JsonNode> ticketHistory() {
        List<JsonNode> tickets = new ArrayList<>();
        send("GET", "/sandbox/control/skiplino/tickets/history", null, 200).forEach(tickets::add);
        return tickets;
    }

    /** The Skiplino sandbox's request log since {@code since} (ISO instant), or all of it. */
    List<JsonNode> requests(String since) {
        List<JsonNode> entries = new ArrayList<>();
        send("GET", "/sandbox/control/skiplino/requests" + (since == null ? "" : "?since=" + since), null, 200)
                .path("requests").forEach(entries::add);
        return entries;
    }

    JsonNode send(String method, String path, Object body, int expectedStatus) {
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
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
