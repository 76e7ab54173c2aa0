package io.skiplinobridge.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.skiplinobridge.crm.StandardWebhooks;
import io.skiplinobridge.crm.WebhookSecret;

/**
 * A CRM sending signed events to {@code POST /api/crm/events}, for tests: signs every request with
 * Standard Webhooks (one {@code v1} signature per secret given), and lets a test break any part of a
 * request (headers, timestamp, signature, content type, framing) to check how the bridge answers.
 *
 * <pre>{@code
 * SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, "whsec_...");
 * Response response = crm.post(SignedWebhookClient.upsert("evt-1", "crm-1", "Layla Hassan", "layla@example.com", null));
 * assertThat(response.status()).isEqualTo(202);
 * }</pre>
 *
 * Thread-safe: one client can serve many concurrent senders.
 */
public final class SignedWebhookClient {

    public static final String PATH = "/api/crm/events";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI endpoint;
    private final StandardWebhooks signer;

    /** @param secrets the {@code whsec_} secrets to sign with; each adds one signature to every request */
    public SignedWebhookClient(URI endpoint, String... secrets) {
        this.endpoint = endpoint;
        this.signer = new StandardWebhooks(Arrays.stream(secrets).map(WebhookSecret::parse).toList(), Clock.systemUTC());
    }

    /** A client of {@code http://127.0.0.1:<port>/api/crm/events}. */
    public static SignedWebhookClient forLocalPort(int port, String... secrets) {
        return new SignedWebhookClient(URI.create("http://127.0.0.1:" + port + PATH), secrets);
    }

    /** Sends {@code body} (a map or list written as JSON, or a JSON string) signed now. */
    public Response post(Object body) {
        return request(body).send();
    }

    /** A request of {@code body} (a map or list written as JSON, a JSON string, or raw bytes), to adjust before sending. */
    public Request request(Object body) {
        byte[] bytes;
        if (body instanceof byte[] raw) {
            bytes = raw;
        } else if (body instanceof String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
        } else {
            bytes = json(body).getBytes(StandardCharsets.UTF_8);
        }
        return new Request(bytes);
    }

    /** The Standard Webhooks signature header for these exact values, with this client's secrets. */
    public String signature(String webhookId, long timestamp, byte[] body) {
        return signer.sign(webhookId, timestamp, body);
    }

    // ---- event bodies (DESIGN.md §4.2) ------------------------------------------------------------

    /** A {@code customer.upserted} event that happened now; null fields are left out. */
    public static Map<String, Object> upsert(String eventId, String externalId, String name, String email, String mobile) {
        return upsert(eventId, Instant.now(), customer(externalId, name, email, mobile, null));
    }

    /** A {@code customer.upserted} event with the given customer object. */
    public static Map<String, Object> upsert(String eventId, Instant occurredAt, Map<String, Object> customer) {
        return event(eventId, "customer.upserted", occurredAt, customer);
    }

    /** A {@code customer.deleted} event that happened now. */
    public static Map<String, Object> delete(String eventId, String externalId) {
        return event(eventId, "customer.deleted", Instant.now(), customer(externalId, null, null, null, null));
    }

    public static Map<String, Object> event(String eventId, String type, Instant occurredAt, Map<String, Object> customer) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId);
        event.put("type", type);
        event.put("occurredAt", occurredAt.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("customer", customer);
        return event;
    }

    /** A customer object; null fields are left out. */
    public static Map<String, Object> customer(String externalId, String name, String email, String mobile,
                                               Map<String, Object> metadata) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("externalId", externalId);
        putIfNotNull(customer, "name", name);
        putIfNotNull(customer, "email", email);
        putIfNotNull(customer, "mobile", mobile);
        putIfNotNull(customer, "metadata", metadata);
        return customer;
    }

    /** {@code {"events": [...]}}. */
    public static Map<String, Object> batch(List<? extends Map<String, Object>> events) {
        return Map.of("events", events);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + value, e);
        }
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** One request; by default correctly signed now, with a fresh {@code webhook-id}, as {@code application/json}. */
    public final class Request {

        private final byte[] body;
        private String webhookId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        private Instant timestamp;
        private String signature;
        private String contentType = "application/json";
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();
        private final Set<String> omitted = new HashSet<>();
        private boolean chunked;

        private Request(byte[] body) {
            this.body = body;
        }

        public Request webhookId(String id) {
            this.webhookId = id;
            return this;
        }

        /** The {@code webhook-timestamp} sent and signed (default: now). */
        public Request timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** Sends this {@code webhook-signature} value instead of the computed one. */
        public Request signature(String signature) {
            this.signature = signature;
            return this;
        }

        /** The Content-Type sent; null sends none. */
        public Request contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Request header(String name, String value) {
            extraHeaders.put(name, value);
            return this;
        }

        /** Leaves out one of the {@code webhook-*} headers. */
        public Request without(String header) {
            omitted.add(header);
            return this;
        }

        /** Sends the body without a Content-Length (chunked transfer encoding). */
        public Request chunked() {
            this.chunked = true;
            return this;
        }

        public Response send() {
            long seconds = (timestamp == null ? Instant.now() : timestamp).getEpochSecond();
            HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(60))
                    .POST(chunked
                            ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            header(builder, StandardWebhooks.ID_HEADER, webhookId);
            header(builder, StandardWebhooks.TIMESTAMP_HEADER, Long.toString(seconds));
            if (!omitted.contains(StandardWebhooks.SIGNATURE_HEADER)) {
                builder.header(StandardWebhooks.SIGNATURE_HEADER,
                        signature != null ? signature : SignedWebhookClient.this.signature(webhookId, seconds, body));
            }
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            extraHeaders.forEach(builder::header);
            try {
                HttpResponse<String> response = http.send(builder.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Response(response.statusCode(), response.headers(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException("POST " + endpoint + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        private void header(HttpRequest.Builder builder, String name, String value) {
            if (!omitted.contains(name)) {
                builder.header(name, value);
            }
        }
    }

    /** The bridge's answer. */
    public record Response(int status, HttpHeaders headers, String body) {

        public String contentType() {
            return headers.firstValue("Content-Type").orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }
    }
}
