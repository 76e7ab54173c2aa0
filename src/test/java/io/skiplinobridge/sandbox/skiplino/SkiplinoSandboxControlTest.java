package io.skiplinobridge.sandbox.skiplino;

import static io.skiplinobridge.sandbox.skiplino.SandboxHttp.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SkiplinoSandboxControlTest extends SandboxApiTestSupport {

    private static final String CREATE_BODY = "{\"externalId\": \"crm-1\", \"name\": \"Layla\"}";

    @Test
    void errorFaultsAnswerTheStatusWithRetryAfterAndDoNotProcessTheRequest() {
        SandboxHttp.Answer set = http.control("PUT", "/faults", "{\"errorRate\": 1, \"retryAfterSeconds\": 7}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("errorStatus").asInt()).isEqualTo(503);

        SandboxHttp.Answer failed = http.api("POST", "/customers/create", SECRET, CREATE_BODY);

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.header("Retry-After")).isEqualTo("7");
        assertThat(customers()).isEmpty();

        http.control("PUT", "/faults", "{\"errorRate\": 1, \"errorStatus\": 500, \"retryAfterSeconds\": 30, "
                + "\"retryAfterHttpDate\": true}");
        SandboxHttp.Answer dated = http.api("GET", "/branches", SECRET, null);
        assertThat(dated.status()).isEqualTo(500);
        ZonedDateTime retryAt = ZonedDateTime.parse(dated.header("Retry-After"), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(retryAt.toInstant()).isAfter(Instant.now());
    }

    @Test
    void clearingFaultsRestoresNormalService() {
        http.control("PUT", "/faults", "{\"errorRate\": 1}");
        assertThat(http.control("GET", "/faults", null).json().get("errorRate").asDouble()).isEqualTo(1.0);

        assertThat(http.control("DELETE", "/faults", null).status()).isEqualTo(204);

        assertThat(http.api("GET", "/branches", SECRET, null).status()).isEqualTo(200);
        assertThat(http.control("GET", "/faults", null).body()).isEqualTo("{}");
    }

    @Test
    void invalidFaultSettingsAreAProblemNamingTheFieldAndChangeNothing() {
        SandboxHttp.Answer rejected = http.control("PUT", "/faults", "{\"errorRate\": 2, \"bodyFault\": \"gzip\"}");
        SandboxHttp.Answer typo = http.control("PUT", "/faults", "{\"errorrate\": 1}");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.header("Content-Type")).startsWith("application/problem+json");
        assertThat(rejected.json().get("detail").asText()).contains("errorRate").contains("bodyFault");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().get("detail").asText()).contains("errorrate");
        assertThat(http.api("GET", "/branches", SECRET, null).status()).isEqualTo(200);
    }

    @Test
    void aResetFaultClosesTheConnectionWithATcpReset() throws IOException {
        http.control("PUT", "/faults", "{\"resetRate\": 1}");

        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + SandboxHttp.API + "/branches HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + SECRET + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // an orderly close would read -1; only a reset makes the read throw
            Throwable read = catchThrowable(() -> {
                while (in.read() != -1) {
                    // drain
                }
            });
            assertThat(read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        // a POST, because java.net.http silently retries an idempotent GET once after a reset
        assertThatThrownBy(() -> http.sendRaw("POST", SandboxHttp.API + "/customers/create", SECRET, CREATE_BODY))
                .isInstanceOf(IOException.class);
        assertThat(statsCount("GET", "/branches", 0)).isEqualTo(1);
        assertThat(statsCount("POST", "/customers/create", 0)).isEqualTo(1);
        assertThat(customers()).isEmpty();
    }

    @Test
    void aResetAfterProcessingLosesTheAnswerButNotTheWrite() {
        http.control("PUT", "/faults", "{\"resetRate\": 1, \"resetAfterProcessing\": true}");

        assertThatThrownBy(() -> http.sendRaw("POST", SandboxHttp.API + "/customers/create", SECRET, CREATE_BODY))
                .isInstanceOf(IOException.class);

        assertThat(customers()).hasSize(1);
        assertThat(customers().get(0).get("externalId").asText()).isEqualTo("crm-1");
    }

    @Test
    void aTruncatedBodyFaultProcessesTheRequestAndCutsItsJson() {
        http.control("PUT", "/faults", "{\"bodyFault\": \"truncated\"}");

        SandboxHttp.Answer cut = http.api("POST", "/customers/create", SECRET, CREATE_BODY);

        assertThat(cut.status()).isEqualTo(201);
        assertThat(cut.body()).startsWith("{\"message\":\"Customer created");
        assertThatThrownBy(() -> new ObjectMapper().readTree(cut.body())).isInstanceOf(JsonProcessingException.class);
        assertThat(customers()).hasSize(1);
    }

    @Test
    void anHtmlBodyFaultAnswers200WithAnErrorPageAndDoesNotProcess() {
        http.control("PUT", "/faults", "{\"bodyFault\": \"html\", \"bodyFaultRate\": 1}");

        SandboxHttp.Answer page = http.api("POST", "/customers/create", SECRET, CREATE_BODY);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<html>");
        assertThat(customers()).isEmpty();
    }

    @Test
    void faultsCanBeLimitedToAPathPrefixAndAMethod() {
        http.control("PUT", "/faults", "{\"errorRate\": 1, \"pathPrefix\": \"/customers\", \"method\": \"put\"}");
        createCustomer(CREATE_BODY);

        assertThat(http.api("PUT", "/customers/update", SECRET, "{\"externalId\": \"crm-1\", \"name\": \"x\"}").status())
                .isEqualTo(503);
        assertThat(http.api("GET", "/customers/getOne?externalId=crm-1", SECRET, null).status()).isEqualTo(200);
        assertThat(http.api("GET", "/branches", SECRET, null).status()).isEqualTo(200);
    }

    @Test
    void beyondTheRateLimitRequestsGet429WithRetryAfter() {
        http.control("PUT", "/faults", "{\"rateLimitPerSecond\": 1}");

        List<SandboxHttp.Answer> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(http.api("GET", "/branches", SECRET, null));
        }

        assertThat(answers).extracting(SandboxHttp.Answer::status).containsOnly(200, 429).contains(200, 429);
        SandboxHttp.Answer limited = answers.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(statsCount("GET", "/branches", 429)).isEqualTo(answers.stream().filter(a -> a.status() == 429).count());
    }

    @Test
    void beyondMaxConcurrentRequestsGet429() throws Exception {
        http.control("PUT", "/faults", "{\"maxConcurrent\": 1, \"latencyMs\": 1000}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> {
                    start.await();
                    return http.api("GET", "/branches", SECRET, null).status();
                });
            }
            List<Future<Integer>> futures = new ArrayList<>();
            for (Callable<Integer> call : calls) {
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(200, 429).contains(200, 429);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void statsCountRequestsByMethodTemplateAndStatus() {
        String ticket = http.api("POST", "/tickets/book", SECRET,
                "{\"serviceId\": \"6fe8fb8b12\", \"groupOfServiceId\": \"7c1f9a3b2d\"}").json().get("data").get("id").asText();
        http.api("GET", "/tickets/" + ticket, SECRET, null);
        http.api("GET", "/tickets/" + ticket, SECRET, null);
        http.api("GET", "/tickets/zzzzzzzzzz", SECRET, null);
        http.api("POST", "/tickets/" + ticket + "/cancel", SECRET, null);

        JsonNode stats = http.control("GET", "/stats", null).json();

        assertThat(statsCount("GET", "/tickets/{id}", 200)).isEqualTo(2);
        assertThat(statsCount("GET", "/tickets/{id}", 422)).isEqualTo(1);
        assertThat(statsCount("POST", "/tickets/book", 201)).isEqualTo(1);
        assertThat(statsCount("POST", "/tickets/{id}/cancel", 200)).isEqualTo(1);
        assertThat(stats.get("requests")).hasSize(4);
        assertThat(stats.get("maxInFlight").asInt()).isPositive();
    }

    @Test
    void theRequestLogNamesTheCustomerAndTimesEachRequestEvenWhenFaulted() {
        Instant before = Instant.now().minusSeconds(1);
        JsonNode created = createCustomer(CREATE_BODY);
        http.control("PUT", "/faults", "{\"errorRate\": 1, \"method\": \"PUT\"}");
        http.api("PUT", "/customers/update", SECRET, "{\"externalId\": \"crm-1\", \"name\": \"x\"}");

        JsonNode log = http.control("GET", "/requests?since=" + before, null).json().get("requests");

        assertThat(log).hasSize(2);
        JsonNode create = log.get(0);
        assertThat(create.get("path").asText()).isEqualTo("/customers/create");
        assertThat(create.get("status").asInt()).isEqualTo(201);
        assertThat(create.get("customerExternalId").asText()).isEqualTo("crm-1");
        assertThat(create.get("customerId").asText()).isEqualTo(created.get("_id").asText());
        assertThat(Instant.parse(create.get("endedAt").asText())).isAfterOrEqualTo(Instant.parse(create.get("startedAt").asText()));
        JsonNode update = log.get(1);
        assertThat(update.get("status").asInt()).isEqualTo(503);
        assertThat(update.get("fault").asText()).isEqualTo("error");
        assertThat(update.get("customerExternalId").asText()).isEqualTo("crm-1");
        assertThat(http.control("GET", "/requests?since=" + Instant.now().plusSeconds(60), null).json().get("requests"))
                .isEmpty();
        assertThat(http.control("GET", "/requests?since=yesterday", null).status()).isEqualTo(400);
    }

    @Test
    void aRejectedCustomersWritesFailUntilTheRejectionIsCleared() {
        SandboxHttp.Answer added = http.control("POST", "/rejections",
                "{\"externalId\": \"crm-1\", \"status\": 422, \"field\": \"email\", \"message\": \"Blocked address.\"}");
        assertThat(added.status()).isEqualTo(201);

        SandboxHttp.Answer refused = http.api("POST", "/customers/create", SECRET, CREATE_BODY);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("error").get("email").asText()).isEqualTo("Blocked address.");
        assertThat(http.api("POST", "/customers/create", SECRET, "{\"externalId\": \"crm-2\"}").status()).isEqualTo(201);
        assertThat(http.control("GET", "/rejections", null).json()).hasSize(1);

        assertThat(http.control("DELETE", "/rejections/crm-1", null).status()).isEqualTo(204);

        assertThat(http.api("POST", "/customers/create", SECRET, CREATE_BODY).status()).isEqualTo(201);
        http.control("POST", "/rejections", "{\"externalId\": \"crm-1\", \"status\": 500}");
        assertThat(http.api("PUT", "/customers/update", SECRET, "{\"externalId\": \"crm-1\", \"name\": \"x\"}").status())
                .isEqualTo(500);
        assertThat(http.api("DELETE", "/customers/delete?externalId=crm-1", SECRET, null).status()).isEqualTo(500);
        assertThat(http.control("POST", "/rejections", "{\"status\": 422}").status()).isEqualTo(400);
    }

    @Test
    void resetEmptiesDataStatsFaultsAndRejectionsButKeepsTheBranches() {
        createCustomer(CREATE_BODY);
        http.api("POST", "/tickets/book", SECRET, "{\"serviceId\": \"6fe8fb8b12\", \"groupOfServiceId\": \"7c1f9a3b2d\"}");
        http.control("POST", "/rejections", "{\"externalId\": \"crm-1\"}");
        http.control("PUT", "/faults", "{\"latencyMs\": 1}");

        assertThat(http.reset().status()).isEqualTo(204);

        assertThat(customers()).isEmpty();
        assertThat(http.control("GET", "/tickets", null).json()).isEmpty();
        assertThat(http.control("GET", "/rejections", null).json()).isEmpty();
        assertThat(http.control("GET", "/faults", null).body()).isEqualTo("{}");
        assertThat(http.control("GET", "/stats", null).json().get("requests")).isEmpty();
        assertThat(http.control("GET", "/requests", null).json().get("requests")).isEmpty();
        assertThat(http.api("GET", "/branches", SECRET, null).json().get("data")).hasSize(3);
        assertThat(http.api("POST", "/customers/create", SECRET, CREATE_BODY).status()).isEqualTo(201);
    }

    private List<JsonNode> customers() {
        List<JsonNode> result = new ArrayList<>();
        http.control("GET", "/customers", null).json().forEach(result::add);
        return result;
    }

    private long statsCount(String method, String path, int status) {
        JsonNode rows = http.control("GET", "/stats", null).json().get("requests");
        for (JsonNode row : rows) {
            if (row.get("method").asText().equals(method) && row.get("path").asText().equals(path)
                    && row.get("status").asInt() == status) {
                return row.get("count").asLong();
            }
        }
        return 0;
    }
}
