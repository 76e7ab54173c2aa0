package io.skiplinobridge.sandbox.skiplino;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain java.net.http calls to a running sandbox, as any client would make them. */
final class SandboxHttp {

    static final String API = "/sandbox/skiplino/external/v1";
    static final String CONTROL = "/sandbox/control/skiplino";
    static final String SECRET = "sk_sandbox_secret";
    static final String PUBLIC = "pk_sandbox_public";

    record Answer(int status, String body, HttpResponse<String> raw) {

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    SandboxHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Answer api(String method, String path, String key, String body) {
        return send(method, API + path, key, body, null);
    }

    Answer api(String method, String path, String key, String body, String locale) {
        return send(method, API + path, key, body, locale);
    }

    Answer control(String method, String path, String body) {
        return send(method, CONTROL + path, null, body, null);
    }

    Answer reset() {
        return send("POST", "/sandbox/control/reset", null, null, null);
    }

    /** Sends a request and lets an {@link IOException} (e.g. a connection reset) through. */
    HttpResponse<String> sendRaw(String method, String path, String key, String body) throws IOException {
        try {
            return client.send(request(method, path, key, body, null), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Answer send(String method, String path, String key, String body, String locale) {
        try {
            HttpResponse<String> response = client.send(request(method, path, key, body, locale),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String method, String path, String key, String body, String locale) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        if (locale != null) {
            builder.header("X-Locale", locale);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
