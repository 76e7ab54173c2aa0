package io.skiplinobridge.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Plain HTTP to a running bridge, as an operator's script would call it: the ops API with or without
 * a token, the actuator, and the sandbox control API. Every response is kept, so a test can scan all
 * of them for secrets.
 */
final class OpsHttp {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;
    private final List<Response> seen = new ArrayList<>();

    OpsHttp(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** GET with the ops token. */
    Response get(String path) {
        return send("GET", path, "Bearer " + token, null);
    }

    /** POST with the ops token; {@code body} is a JSON string, an object written as JSON, or null. */
    Response post(String path, Object body) {
        return send("POST", path, "Bearer " + token, body);
    }

    /** Any request; {@code authorization} is the header's exact value, or null to send none. */
    Response send(String method, String path, String authorization, Object body) {
        String json = body == null ? null : body instanceof String text ? text : write(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Response answer = new Response(response.statusCode(), response.headers(), response.body());
            synchronized (seen) {
                seen.add(answer);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every response received so far (headers and bodies). */
    List<Response> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    // ---- the Skiplino sandbox's control API

    void resetSandbox() {
        expect(send("POST", "/sandbox/control/reset", null, null), 204);
    }

    void clearSandboxStats() {
        expect(send("DELETE", "/sandbox/control/skiplino/stats", null, null), 204);
    }

    JsonNode sandboxStats() {
        return expect(send("GET", "/sandbox/control/skiplino/stats", null, null), 200).json().get("requests");
    }

    /** From now on the sandbox answers every write of this customer 422 on {@code field}. */
    void reject(String externalId, String field, String message) {
        expect(send("POST", "/sandbox/control/skiplino/rejections", null,
                "{\"externalId\":\"" + externalId + "\",\"status\":422,\"field\":\"" + field + "\",\"message\":\"" + message + "\"}"), 201);
    }

    void stopRejecting(String externalId) {
        expect(send("DELETE", "/sandbox/control/skiplino/rejections/" + externalId, null, null), 204);
    }

    JsonNode sandboxCustomers() {
        return expect(send("GET", "/sandbox/control/skiplino/customers", null, null), 200).json();
    }

    static Response expect(Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + response.status() + ": " + response.body());
        }
        return response;
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    record Response(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }
}
