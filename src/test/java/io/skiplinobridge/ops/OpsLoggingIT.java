package io.skiplinobridge.ops;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar with {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=logstash}, as a log shipper would run
 * it: every log line is one JSON object, the lines written while a customer is applied carry
 * {@code camel.routeId}, {@code externalId} and {@code eventId} as fields, and no line carries the
 * Skiplino key, the webhook secret or the ops token.
 */
class OpsLoggingIT {

    private static final Path JAR = Path.of("target/skiplino-crm-bridge.jar").toAbsolutePath();
    private static final String SKIPLINO_KEY = "sk_canary_JsonLog51c7a9e2";
    private static final String WEBHOOK_SECRET = WebhookSecret.generate().encoded();
    private static final String OPS_TOKEN = "ops-json-canary-" + UUID.randomUUID();

    @TempDir
    Path workDir;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void structuredLogsAreJsonWithTheMdcFieldsAndNoSecret() throws Exception {
        copy(Path.of("config"), workDir.resolve("config"));
        copy(Path.of("routes"), workDir.resolve("routes"));
        int port = freePort();
        Path output = workDir.resolve("bridge.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", JAR.toString(), "--server.port=" + port)
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "logstash");
        env.put("BRIDGE_SANDBOX", "true");
        env.put("SKIPLINO_API_KEY", SKIPLINO_KEY);
        env.put("BRIDGE_SANDBOX_SKIPLINO_SECRETKEY", SKIPLINO_KEY);
        env.put("BRIDGE_WEBHOOK_SECRETS", WEBHOOK_SECRET);
        env.put("BRIDGE_OPS_TOKEN", OPS_TOKEN);
        env.put("BRIDGE_DATA_DIR", workDir.resolve("data").toString());
        process = builder.start();
        OpsHttp http = new OpsHttp(port, OPS_TOKEN);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> http.send("GET", "/actuator/health/readiness", null, null).status() == 200);

        http.reject("json-2", "email", "Blocked address.");
        SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, WEBHOOK_SECRET);
        assertThat(crm.post(batch(List.of(upsert("json-e1", "json-1", "Layla Hassan", "layla@example.com", null),
                upsert("json-e2", "json-2", "Omar Ali", "omar@example.com", null)))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/ops/api/failures").json().get("total").asLong() == 1);
        OpsHttp.expect(http.post("/ops/api/flows/customer-sync/pause", Map.of("reason", "json log check")), 200);
        OpsHttp.expect(http.post("/ops/api/flows/customer-sync/resume", Map.of("reason", "json log check")), 200);
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("OpenJDK 64-Bit Server VM warning")) {
                continue;
            }
            lines.add(json(line));
        }
        assertThat(lines).hasSizeGreaterThan(20);
        JsonNode created = lines.stream().filter(l -> l.path("message").asText().equals(
                "customer json-1 created in Skiplino (event json-e1)")).findFirst().orElseThrow();
        assertThat(created.path("externalId").asText()).isEqualTo("json-1");
        assertThat(created.path("eventId").asText()).isEqualTo("json-e1");
        assertThat(created.path("camel.routeId").asText()).isEqualTo("customer-sync-apply");
        JsonNode parked = lines.stream().filter(l -> l.path("message").asText().startsWith("customer json-2 parked"))
                .findFirst().orElseThrow();
        assertThat(parked.path("level").asText()).isEqualTo("WARN");
        assertThat(parked.path("externalId").asText()).isEqualTo("json-2");
        assertThat(lines).anyMatch(l -> l.path("message").asText().equals("Flow customer-sync paused by ops-api: json log check"));
        String all = Files.readString(output, StandardCharsets.UTF_8);
        for (String secret : List.of(SKIPLINO_KEY, WEBHOOK_SECRET, WEBHOOK_SECRET.substring(WebhookSecret.PREFIX.length()), OPS_TOKEN)) {
            assertThat(all).doesNotContain(secret);
        }
    }

    private static JsonNode json(String line) {
        try {
            JsonNode node = JsonMapper.builder().build().readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            return node;
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
