package io.skiplinobridge.ops;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.delete;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Secrets never leave: with DEBUG logging on for the bridge, Camel, Spring MVC, Jetty's HTTP parsing
 * and HttpClient, a whole session (signed webhooks, a forged one, a sync run with a parked change,
 * every ops call with good and bad tokens, a resync, health and metrics) leaves neither the Skiplino
 * key, the webhook secret, a webhook signature nor an ops token (good or bad) in any log line or any
 * response. (All of Jetty on DEBUG would change its timing for the tests that run after this one in
 * the same JVM; its HTTP parser is the part that prints request headers.)
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sandbox.enabled=true",
        "skiplino.rate-limit.requests-per-second=1000",
        "logging.level.io.skiplinobridge=DEBUG",
        "logging.level.org.apache.camel=DEBUG",
        "logging.level.org.springframework.web=DEBUG",
        "logging.level.org.eclipse.jetty.http=DEBUG",
        "logging.level.org.apache.hc=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class OpsSecretsTest {

    static final List<String> DEBUG_LOGGERS = List.of("io.skiplinobridge", "org.apache.camel", "org.springframework.web",
            "org.eclipse.jetty.http", "org.apache.hc");

    static final String SKIPLINO_KEY = "sk_canary_Secret9d41e7c3a2";
    static final String WEBHOOK_SECRET = WebhookSecret.generate().encoded();
    static final String OPS_TOKEN = "ops-canary-" + UUID.randomUUID();
    static final String WRONG_TOKEN = "wrong-canary-" + UUID.randomUUID();

    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("skiplino.api-key", () -> SKIPLINO_KEY);
        registry.add("bridge.sandbox.skiplino.secret-key", () -> SKIPLINO_KEY);
        registry.add("bridge.webhook.secrets", () -> WEBHOOK_SECRET);
        registry.add("bridge.ops.token", () -> OPS_TOKEN);
    }

    @LocalServerPort
    int port;

    /**
     * Spring Boot keeps logger levels across the test contexts of one JVM (a later context sets only its
     * own): put these back, so later tests do not log on DEBUG (Camel would print their context, secrets
     * included).
     */
    @AfterAll
    static void restoreLogLevels() {
        LoggingSystem logging = LoggingSystem.get(OpsSecretsTest.class.getClassLoader());
        DEBUG_LOGGERS.forEach(logger -> logging.setLogLevel(logger, null));
    }

    @Test
    void noLogLineAndNoResponseCarriesASecret(CapturedOutput output) {
        OpsHttp http = new OpsHttp(port, OPS_TOKEN);
        SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, WEBHOOK_SECRET);
        List<String> signatures = new ArrayList<>();
        List<SignedWebhookClient.Response> webhookAnswers = new ArrayList<>();

        http.reject("sec-2", "email", "Blocked address.");
        webhookAnswers.add(signed(crm, signatures, batch(List.of(
                upsert("sec-e1", "sec-1", "Layla Hassan", "layla@example.com", "+97333445566"),
                upsert("sec-e2", "sec-2", "Omar Ali", "omar@example.com", null),
                upsert("sec-e3", "sec-3", "Sara Khalid", "sara@example.com", null)))));
        webhookAnswers.add(crm.request(upsert("sec-e4", "sec-4", "Forged", "forged@example.com", null))
                .signature("v1," + "A".repeat(43) + "=").send());
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/ops/api/failures").json().get("total").asLong() == 1);
        webhookAnswers.add(signed(crm, signatures, delete("sec-e5", "sec-3")));

        long failure = http.get("/ops/api/failures").json().at("/items/0/id").asLong();
        http.stopRejecting("sec-2");
        http.get("/ops/api/status");
        http.get("/ops/api/customers/sec-2");
        http.get("/ops/api/failures?state=all");
        http.post("/ops/api/failures/" + failure + "/retry", null);
        http.post("/ops/api/failures/retry", Map.of());
        http.post("/ops/api/flows/customer-sync/pause", Map.of("reason", "secrets test"));
        http.post("/ops/api/flows/customer-sync/resume", Map.of("reason", "secrets test"));
        http.get("/ops/api/flows");
        String job = http.post("/ops/api/resync", Map.of("dryRun", false)).json().get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/ops/api/resync/" + job).json()
                .get("state").asText().equals("RUNNING"));
        http.send("GET", "/ops/api/status", "Bearer " + WRONG_TOKEN, null);
        http.send("POST", "/ops/api/resync", "Bearer " + WRONG_TOKEN, "{\"dryRun\": false}");
        http.send("GET", "/ops/api/status", WRONG_TOKEN, null);
        http.send("GET", "/actuator/health", null, null);
        http.send("GET", "/actuator/prometheus", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/ops/api/status").json()
                .at("/backlog/pendingEvents").asLong() == 0);

        assertThat(webhookAnswers.get(0).status()).isEqualTo(202);
        assertThat(webhookAnswers.get(1).status()).isEqualTo(401);
        assertThat(output.getAll()).as("the session was logged on DEBUG").contains("sec-2").contains("DEBUG");
        List<String> secrets = new ArrayList<>(List.of(SKIPLINO_KEY, WEBHOOK_SECRET,
                WEBHOOK_SECRET.substring(WebhookSecret.PREFIX.length()), OPS_TOKEN, WRONG_TOKEN, "A".repeat(43)));
        secrets.addAll(signatures);
        secrets.addAll(signatures.stream().map(s -> s.substring(3)).toList());
        for (String secret : secrets) {
            assertThat(output.getAll()).as("log output").doesNotContain(secret);
            for (OpsHttp.Response response : http.seen()) {
                assertThat(response.body()).as("a response body").doesNotContain(secret);
                assertThat(response.headers().map().toString()).as("response headers").doesNotContain(secret);
            }
            for (SignedWebhookClient.Response response : webhookAnswers) {
                assertThat(response.body()).doesNotContain(secret);
                assertThat(response.headers().map().toString()).doesNotContain(secret);
            }
        }
    }

    /** Sends {@code body} signed now, remembering the exact signature sent. */
    private static SignedWebhookClient.Response signed(SignedWebhookClient crm, List<String> signatures, Object body) {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        byte[] bytes = SignedWebhookClient.json(body).getBytes(StandardCharsets.UTF_8);
        String signature = crm.signature(id, now.getEpochSecond(), bytes);
        signatures.add(signature);
        return crm.request(bytes).webhookId(id).timestamp(now).signature(signature).send();
    }
}
