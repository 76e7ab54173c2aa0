package io.skiplinobridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.skiplinobridge.crm.StandardWebhooks;
import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Issue 8 hostile input corpus: every fixture under {@code src/test/resources/hostile/} is one request to
 * an endpoint the bridge exposes (webhook, ops API, booking API) and the outcome it must get: the right 4xx as
 * problem+json (with the reason and the JSON pointer of the bad value) and nothing stored, or 202 and
 * the customer in Skiplino exactly as sent. After every case the bridge is healthy; a 50 MB body is
 * refused without the server allocating anything near its size. Fixture format: docs/reliability.md.
 */
class HostileInputTest extends ReliabilityTestBase {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** A 50 MB body refused without buffering: the server threads may allocate far less than that. */
    private static final long MAX_SERVER_ALLOCATION = 16L * 1024 * 1024;
    private static final long MAX_RETAINED_GROWTH = 32L * 1024 * 1024;
    private static final List<String> SUMMARY = new ArrayList<>();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    static Stream<Arguments> corpus() throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:hostile/*/*.json");
        Arrays.sort(files, (a, b) -> describe(a).compareTo(describe(b)));
        List<Arguments> cases = new ArrayList<>();
        for (Resource file : files) {
            try (InputStream in = file.getInputStream()) {
                cases.add(Arguments.of(describe(file), JSON.readTree(in)));
            }
        }
        return cases.stream();
    }

    private static String describe(Resource file) {
        try {
            String path = file.getURL().getPath();
            String[] parts = path.split("/");
            return parts[parts.length - 2] + "/" + parts[parts.length - 1].replace(".json", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void writeSummary() throws IOException {
        Path out = Path.of("target", "reliability", "hostile-corpus.md");
        Files.createDirectories(out.getParent());
        Files.write(out, SUMMARY, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachHostileRequestGetsItsOutcomeAndTheBridgeStaysHealthy(String name, JsonNode fixture) throws Exception {
        JsonNode expect = fixture.get("expect");
        boolean large = fixture.path("generator").path("kind").asText().equals("large");
        Allocation allocation = large ? Allocation.start() : null;

        int times = fixture.has("repeat") ? fixture.at("/repeat/times").asInt() : 1;
        Prepared request = prepare(fixture);
        Answer answer = null;
        for (int i = 0; i < times; i++) {
            try {
                answer = send(request);
            } catch (UncheckedIOException closed) {
                // only where the fixture allows it: the server closed the connection under a sender that
                // kept writing a body it had already refused
                assertThat(expect.path("orConnectionClosed").asBoolean()).as(name + ": " + closed.getCause()).isTrue();
                answer = null;
                break;
            }
            if (i < times - 1) {
                check(name, answer, expect);
            }
        }
        if (answer != null) {
            check(name, answer, fixture.has("repeat") ? fixture.at("/repeat/last") : expect);
        }

        if (allocation != null) {
            allocation.assertBounded(name);
        }
        int status = expect.get("status").asInt();
        if (status >= 400 && fixture.path("path").asText().startsWith(SignedWebhookClient.PATH)) {
            assertThat(count("SELECT COUNT(*) FROM inbox_event")).as(name + ": nothing stored").isZero();
        }
        if (status == 202) {
            assertThat(count("SELECT COUNT(*) FROM inbox_event")).as(name + ": every new event stored")
                    .isEqualTo(expect.get("accepted").asInt());
        }
        if (fixture.has("roundTrip")) {
            assertRoundTrip(name, fixture.get("roundTrip"));
        }
        assertHealthy(name);
        SUMMARY.add("| `" + name + "` | " + fixture.get("description").asText().replace("|", "\\|") + " | "
                + (answer == null ? "connection closed by the bridge" : status
                + (expect.has("reason") ? " `" + expect.get("reason").asText() + "`" : ""))
                + (fixture.has("roundTrip") ? ", round-trips exactly" : "") + " | pass |");
    }

    private void check(String name, Answer answer, JsonNode expect) {
        int status = expect.get("status").asInt();
        assertThat(answer.status()).as(name + ": " + answer.body()).isEqualTo(status);
        if (status >= 400) {
            assertThat(answer.contentType()).as(name + ": problem+json").startsWith("application/problem+json");
            JsonNode problem = answer.json();
            assertThat(problem.get("status").asInt()).isEqualTo(status);
            assertThat(problem.path("detail").asText()).as(name + ": a reason for the sender").isNotBlank();
            if (expect.has("reason")) {
                assertThat(problem.path("reason").asText()).as(name + ": reason").isEqualTo(expect.get("reason").asText());
            }
            if (expect.has("pointer")) {
                List<String> pointers = new ArrayList<>();
                problem.path("errors").forEach(e -> pointers.add(e.has("pointer") ? e.get("pointer").asText()
                        : e.path("parameter").asText(e.path("field").asText())));
                assertThat(pointers).as(name + ": the bad value is named; " + answer.body())
                        .contains(expect.get("pointer").asText());
            }
        } else {
            JsonNode body = answer.json();
            assertThat(body.get("accepted").asInt()).as(name).isEqualTo(expect.get("accepted").asInt());
            assertThat(body.get("duplicates").asInt()).as(name).isEqualTo(expect.get("duplicates").asInt());
        }
    }

    private void assertRoundTrip(String name, JsonNode expected) {
        String externalId = expected.get("externalId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.customerList().stream()
                .anyMatch(c -> externalId.equals(c.path("externalId").asText())));
        awaitQuiet();
        List<JsonNode> held = sandbox.customerList().stream()
                .filter(c -> externalId.equals(c.path("externalId").asText())).toList();
        assertThat(held).as(name + ": one Skiplino customer").hasSize(1);
        JsonNode customer = held.get(0);
        assertThat(customer.path("externalId").asText().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(externalId.getBytes(StandardCharsets.UTF_8));
        if (expected.has("name")) {
            assertThat(customer.path("name").asText().getBytes(StandardCharsets.UTF_8)).as(name + ": name byte for byte")
                    .isEqualTo(expected.get("name").asText().getBytes(StandardCharsets.UTF_8));
        }
        if (expected.has("metadata")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("metadata").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                assertThat(customer.path("metadata").path(entry.getKey())).as(name + ": metadata " + entry.getKey())
                        .isEqualTo(entry.getValue());
            }
        }
        Answer ops = send(new Prepared("GET", "/ops/api/customers/" + encodePath(externalId), null, -1,
                List.of("Authorization", "Bearer " + OPS_TOKEN)));
        assertThat(ops.status()).as(name + ": the ops API shows it: " + ops.body()).isEqualTo(200);
        assertThat(ops.contentType()).as(name + ": as JSON data, never as markup").startsWith("application/json");
        assertThat(count("SELECT COUNT(*) FROM sync_failure")).as(name + ": nothing parked").isZero();
    }

    private void assertHealthy(String name) {
        Answer health = send(new Prepared("GET", "/actuator/health/liveness", null, -1, List.of()));
        assertThat(health.status()).as(name + ": still alive").isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM customer_sync")).as(name + ": store answers").isGreaterThanOrEqualTo(0);
    }

    // ---- building requests from fixtures

    private record Prepared(String method, String path, BodySource body, long length, List<String> headers,
                            boolean expectContinue) {

        Prepared(String method, String path, BodySource body, long length, List<String> headers) {
            this(method, path, body, length, headers, false);
        }
    }

    /** A body the client can send more than once, streamed when large. */
    private interface BodySource {
        InputStream open();
    }

    private Prepared prepare(JsonNode fixture) {
        String method = fixture.get("method").asText();
        String path = fixture.get("path").asText().replace("{{token}}", OPS_TOKEN);
        List<String> headers = new ArrayList<>();
        if (fixture.hasNonNull("contentType")) {
            headers.addAll(List.of("Content-Type", fixture.get("contentType").asText()));
        }
        fixture.path("headers").fields().forEachRemaining(h -> headers.addAll(List.of(h.getKey(), h.getValue().asText())));
        BodySource body = null;
        long length = -1;
        byte[] bytes = null;
        JsonNode generator = fixture.get("generator");
        if (generator != null && generator.get("kind").asText().equals("large")) {
            long size = generator.get("bytes").asLong();
            body = () -> new FillerStream(size);
            length = generator.get("chunked").asBoolean() ? -1 : size;
        } else {
            bytes = generator != null ? generate(generator) : fixture.has("bodyBase64")
                    ? Base64.getDecoder().decode(fixture.get("bodyBase64").asText())
                    : fixture.has("body") ? fixture.get("body").asText().getBytes(StandardCharsets.UTF_8) : null;
            if (bytes != null) {
                bytes = now(bytes);
                byte[] fixed = bytes;
                body = () -> new ByteArrayInputStream(fixed);
                length = fixed.length;
            }
        }
        String auth = fixture.get("auth").asText();
        if (path.startsWith(SignedWebhookClient.PATH)) {
            headers.addAll(webhookHeaders(auth, bytes == null ? new byte[0] : bytes));
            if ("tampered".equals(auth)) {
                byte[] changed = bytes.clone();
                changed[changed.length - 2] = (byte) (changed[changed.length - 2] == 'x' ? 'y' : 'x');
                body = () -> new ByteArrayInputStream(changed);
            }
        } else {
            switch (auth) {
                case "token" -> headers.addAll(List.of("Authorization", "Bearer " + OPS_TOKEN));
                case "wrong-token" -> headers.addAll(List.of("Authorization", "Bearer " + UUID.randomUUID()));
                case "basic" -> headers.addAll(List.of("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(("ops:" + OPS_TOKEN).getBytes(StandardCharsets.UTF_8))));
                case "none" -> {
                }
                default -> throw new IllegalArgumentException("unknown ops auth " + auth);
            }
        }
        return new Prepared(method, path, body, length, headers, fixture.path("expectContinue").asBoolean());
    }

    private List<String> webhookHeaders(String auth, byte[] body) {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        long ts = switch (auth) {
            case "stale" -> now.minus(Duration.ofMinutes(10)).getEpochSecond();
            case "future" -> now.plus(Duration.ofMinutes(10)).getEpochSecond();
            default -> now.getEpochSecond();
        };
        String signature = switch (auth) {
            case "bad-signature" -> crm.signature(id, ts, "{\"some\":\"other body\"}".getBytes(StandardCharsets.UTF_8));
            case "other-secret" -> new SignedWebhookClient(URI.create("http://unused"), WebhookSecret.generate().encoded())
                    .signature(id, ts, body);
            default -> crm.signature(id, ts, body);
        };
        List<String> headers = new ArrayList<>();
        if (!"no-headers".equals(auth)) {
            headers.addAll(List.of(StandardWebhooks.ID_HEADER, id, StandardWebhooks.TIMESTAMP_HEADER,
                    "iso-timestamp".equals(auth) ? now.truncatedTo(ChronoUnit.SECONDS).toString() : Long.toString(ts)));
            if (!"no-signature".equals(auth)) {
                headers.addAll(List.of(StandardWebhooks.SIGNATURE_HEADER, signature));
            }
        }
        return headers;
    }

    private static byte[] generate(JsonNode generator) {
        String event = "{\"id\":\"gen-1\",\"type\":\"customer.upserted\",\"occurredAt\":\"{{now}}\",\"customer\":{\"externalId\":\"gen-1\"";
        int n = generator.path("depth").asInt();
        String text = switch (generator.get("kind").asText()) {
            case "deep-nesting" -> event + ",\"metadata\":{\"n\":" + "[".repeat(n) + "]".repeat(n) + "}}}";
            case "deep-objects" -> event + ",\"metadata\":" + "{\"a\":".repeat(n) + "1" + "}".repeat(n) + "}}";
            case "ops-deep-nesting" -> "{\"dryRun\":true,\"externalIds\":" + "[".repeat(n) + "]".repeat(n) + "}";
            case "booking-deep-nesting" -> "{\"serviceId\":\"svc-1\",\"groupOfServiceId\":\"grp-1\",\"options\":{\"a\":"
                    + "[".repeat(n) + "]".repeat(n) + "}}";
            case "long-name" -> event + ",\"name\":\"" + "a".repeat(generator.get("chars").asInt()) + "\"}}";
            case "padded-event" -> {
                String base = event + "}}";
                yield base + " ".repeat(generator.get("bytes").asInt() - base.length());
            }
            case "batch" -> {
                StringBuilder batch = new StringBuilder("{\"events\":[");
                for (int i = 0; i < generator.get("events").asInt(); i++) {
                    batch.append(i == 0 ? "" : ",").append(event.replace("gen-1", "gen-" + i)).append("}}");
                }
                yield batch.append("]}").toString();
            }
            default -> throw new IllegalArgumentException("unknown generator " + generator);
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {{now}}} (ASCII) replaced by the current time, in bytes that may not be valid UTF-8. */
    private static byte[] now(byte[] bytes) {
        String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!latin1.contains("{{now}}")) {
            return bytes;
        }
        return latin1.replace("{{now}}", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String encodePath(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- sending

    private record Answer(int status, String contentType, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private Answer send(Prepared prepared) {
        if (prepared.expectContinue()) {
            return sendExpectingContinue(prepared);
        }
        HttpRequest.BodyPublisher publisher;
        if (prepared.body() == null || prepared.length() == 0) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (prepared.length() >= 0) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                    () -> prepared.body().open()), prepared.length());
        } else {
            publisher = HttpRequest.BodyPublishers.ofInputStream(() -> prepared.body().open());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + prepared.path()))
                .timeout(Duration.ofSeconds(60)).method(prepared.method(), publisher);
        for (int i = 0; i < prepared.headers().size(); i += 2) {
            request.header(prepared.headers().get(i), prepared.headers().get(i + 1));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(prepared.method() + " " + prepared.path() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends only the head of the request with {@code Expect: 100-continue}, as curl does for a large body,
     * and reads the answer: a server that refuses the body answers at once and the body is never sent.
     * (A plain socket: the JDK 17 HttpClient hangs on a final answer to an Expect request, JDK-8286171.)
     */
    private Answer sendExpectingContinue(Prepared prepared) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(prepared.method() + " " + prepared.path() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\nContent-Length: " + prepared.length()
                    + "\r\nExpect: 100-continue\r\nConnection: close\r\n");
            for (int i = 0; i < prepared.headers().size(); i += 2) {
                head.append(prepared.headers().get(i)).append(": ").append(prepared.headers().get(i + 1)).append("\r\n");
            }
            socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String[] lines = answer.substring(0, split).split("\r\n");
            assertThat(lines[0]).as("the final answer comes first, no 100 Continue").doesNotContain(" 100 ");
            String contentType = "";
            boolean chunked = false;
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    contentType = line.substring(line.indexOf(':') + 1).strip();
                }
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            String body = answer.substring(split + 4);
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), contentType, chunked ? dechunk(body) : body);
        } catch (IOException e) {
            throw new UncheckedIOException(prepared.method() + " " + prepared.path() + " failed", e);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int end = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, end).split(";")[0].strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, end + 2, end + 2 + size);
            at = end + 2 + size + 2;
        }
    }

    /** {@code size} bytes of JSON whitespace, made as they are read (the test never holds the body). */
    private static final class FillerStream extends InputStream {

        private long left;

        FillerStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return ' ';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) ' ');
            left -= n;
            return n;
        }
    }

    /**
     * What the server's request threads allocated while one request was handled (a body buffered in full
     * would show as its size at least), and the heap retained after a GC.
     */
    private record Allocation(Map<Long, Long> before, long retainedBefore) {

        static Allocation start() {
            return new Allocation(serverThreads(), retainedHeap());
        }

        void assertBounded(String name) {
            long allocated = 0;
            for (Map.Entry<Long, Long> thread : serverThreads().entrySet()) {
                allocated += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
            }
            assertThat(allocated).as(name + ": bytes the server threads allocated").isLessThan(MAX_SERVER_ALLOCATION);
            assertThat(retainedHeap() - retainedBefore).as(name + ": heap retained").isLessThan(MAX_RETAINED_GROWTH);
        }

        private static Map<Long, Long> serverThreads() {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            Map<Long, Long> allocated = new HashMap<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("qtp") || thread.getName().contains("jetty")) {
                    long bytes = threads.getThreadAllocatedBytes(thread.getId());
                    if (bytes >= 0) {
                        allocated.put(thread.getId(), bytes);
                    }
                }
            }
            return allocated;
        }

        private static long retainedHeap() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
