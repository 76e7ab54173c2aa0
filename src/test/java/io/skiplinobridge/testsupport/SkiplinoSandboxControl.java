package io.skiplinobridge.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drives a Skiplino sandbox through its public control API (DESIGN.md §4.6, docs/sandbox-skiplino.md),
 * in-process or in another process, exactly as acceptance checks and benchmarks do.
 */
public final class SkiplinoSandboxControl {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** @param base e.g. {@code http://127.0.0.1:8080} */
    public SkiplinoSandboxControl(String base) {
        this.base = base;
    }

    public static SkiplinoSandboxControl forLocalPort(int port) {
        return new SkiplinoSandboxControl("http://127.0.0.1:" + port);
    }

    /** Both sandboxes empty; stats, faults, rejections and activity cleared. */
    public void resetAll() {
        send("POST", "/sandbox/control/reset", null, 204);
    }

    public JsonNode setFaults(Map<String, Object> faults) {
        return send("PUT", "/sandbox/control/skiplino/faults", faults, 200);
    }

    public void clearFaults() {
        send("DELETE", "/sandbox/control/skiplino/faults", null, 204);
    }

    public void clearStats() {
        send("DELETE", "/sandbox/control/skiplino/stats", null, 204);
    }

    /** Request counts keyed {@code "METHOD path status"}, e.g. {@code "POST /customers/create 201"}. */
    public Map<String, Long> stats() {
        Map<String, Long> counts = new HashMap<>();
        for (JsonNode row : send("GET", "/sandbox/control/skiplino/stats", null, 200).get("requests")) {
            counts.merge(row.get("method").asText() + " " + row.get("path").asText() + " " + row.get("status").asInt(),
                    row.get("count").asLong(), Long::sum);
        }
        return counts;
    }

    /** Requests with {@code method} (any path when {@code pathOrNull} is null) answered with any status. */
    public long count(String method, String pathOrNull) {
        return stats().entrySet().stream()
                .filter(e -> e.getKey().startsWith(method + " " + (pathOrNull == null ? "" : pathOrNull + " ")))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Requests of any method and path answered with {@code status} (0 counts connection resets). */
    public long countStatus(int status) {
        return stats().entrySet().stream().filter(e -> e.getKey().endsWith(" " + status))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Writes (POST, PUT, DELETE) on the customer API, whatever their answer. */
    public long customerWrites() {
        return count("POST", "/customers/create") + count("PUT", "/customers/update") + count("DELETE", "/customers/delete");
    }

    /** The request log since {@code since}, oldest first. */
    public List<JsonNode> requests(Instant since) {
        List<JsonNode> rows = new ArrayList<>();
        send("GET", "/sandbox/control/skiplino/requests?since=" + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8),
                null, 200).get("requests").forEach(rows::add);
        return rows;
    }

    /** Every customer the sandbox holds, keyed by externalId. */
    public Map<String, JsonNode> customers() {
        Map<String, JsonNode> byExternalId = new HashMap<>();
        for (JsonNode customer : send("GET", "/sandbox/control/skiplino/customers", null, 200)) {
            byExternalId.put(customer.path("externalId").asText(null), customer);
        }
        return byExternalId;
    }

    /** Every customer the sandbox holds, in its order; unlike {@link #customers()} this shows duplicates. */
    public List<JsonNode> customerList() {
        List<JsonNode> all = new ArrayList<>();
        send("GET", "/sandbox/control/skiplino/customers", null, 200).forEach(all::add);
        return all;
    }

    /** From now on, writes of this customer answer 422 with {@code message} on {@code field}. */
    public void reject(String externalId, String field, String message) {
        send("POST", "/sandbox/control/skiplino/rejections",
                Map.of("externalId", externalId, "field", field, "message", message), 201);
    }

    public void clearRejections() {
        send("DELETE", "/sandbox/control/skiplino/rejections", null, 204);
    }

    private JsonNode send(String method, String path, Object body, int expectedStatus) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
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
