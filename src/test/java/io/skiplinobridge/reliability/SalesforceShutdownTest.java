package io.skiplinobridge.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.skiplinobridge.BridgeApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A shutdown while Salesforce does not answer ends promptly and loses nothing (docs/reliability.md,
 * "Shutdown while Salesforce is unreachable"). The Salesforce here (WireMock) lets the bridge log in, then
 * answers every ticket upsert with 401 and never finishes the re-login that follows, nor the poll's query:
 * both answers trickle in over four minutes, and the HTTP client's idle and request timeouts are set
 * longer than that (as a slow proxy or a half-open connection would do to any timeout that is shorter). Camel alone would wait out its whole 60-second graceful
 * shutdown for those deliveries and then force the routes down under them; the bridge instead gives up
 * its Salesforce calls as soon as the context begins to close. Every ticket row is then still pending and
 * handed back (no lease held, no attempt counted): none delivered, none parked, none lost.
 */
class SalesforceShutdownTest {

    private static final String TOKEN_PATH = "/services/oauth2/token";
    private static final int TICKETS = 12;
    /** 120 chunks over 240 s. */
    private static final int CHUNKS = 120;
    private static final int TRICKLE_MS = 240_000;

    private final WireMockServer salesforce = new WireMockServer(wireMockConfig().dynamicPort());

    @AfterEach
    void stopSalesforce() {
        salesforce.stop();
    }

    @Test
    void closesPromptlyWhileSalesforceCallsHangAndHandsTheirTicketsBack() throws Exception {
        salesforce.start();
        String instance = salesforce.baseUrl() + "/instance";
        String token = "{\"access_token\":\"tok-1\",\"instance_url\":\"" + instance + "\",\"id\":\"" + salesforce.baseUrl()
                + "/id/00D000000000001AAA/005000000000001AAA\",\"token_type\":\"Bearer\"}";
        salesforce.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(token)));
        // a re-login goes to the instance URL: it never completes
        salesforce.stubFor(post(urlEqualTo("/instance" + TOKEN_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(padded(token))
                .withChunkedDribbleDelay(CHUNKS, TRICKLE_MS)));
        salesforce.stubFor(patch(urlPathMatching("/instance/services/data/.*")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]")));
        salesforce.stubFor(get(urlPathMatching("/instance/services/data/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(padded("{\"totalSize\":0,\"done\":true,\"records\":[]}"))
                .withChunkedDribbleDelay(CHUNKS, TRICKLE_MS)));
        salesforce.stubFor(get(urlPathMatching(".*/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
        salesforce.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withStatus(404)));

        ConfigurableApplicationContext bridge = new SpringApplicationBuilder(BridgeApplication.class).run(
                "--server.port=0",
                "--bridge.sandbox.enabled=true",
                "--bridge.test.database-name=sfshutdown_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
                "--bridge.salesforce.login-url=" + salesforce.baseUrl(),
                "--bridge.salesforce.client-id=shutdown-test-client",
                "--bridge.salesforce.client-secret=shutdown-test-secret",
                "--bridge.salesforce.username=bridge@shutdown.example.com",
                "--bridge.salesforce.password=shutdown-test-password",
                "--bridge.salesforce.request-timeout=5m",
                "--camel.component.salesforce.http-client-idle-timeout=600000",
                "--bridge.salesforce.poll.cron=0/1 * * * * ?",
                "--bridge.tickets.salesforce.enabled=true",
                "--bridge.tickets.salesforce.batch-size=2",
                "--bridge.tickets.outbox.poll-interval=50ms",
                "--camel.main.shutdown-timeout=60");
        Environment env = bridge.getEnvironment();
        String url = env.getProperty("spring.datasource.url");
        String user = env.getProperty("spring.datasource.username");
        String password = env.getProperty("spring.datasource.password");
        queueTickets(bridge.getBean(JdbcTemplate.class));

        // deliveries caught in re-logins, and a poll waiting for its query
        await().atMost(Duration.ofSeconds(60)).until(() ->
                salesforce.findAll(postRequestedFor(urlEqualTo("/instance" + TOKEN_PATH))).size() >= 4
                        && !salesforce.findAll(getRequestedFor(urlPathMatching("/instance/services/data/.*"))).isEmpty());

        CompletableFuture<Void> closing = CompletableFuture.runAsync(bridge::close);
        // a liveness bound, well under camel.main.shutdown-timeout: the close does not wait for Salesforce
        closing.get(30, TimeUnit.SECONDS);

        try (Connection db = DriverManager.getConnection(url, user, password);
             PreparedStatement query = db.prepareStatement("SELECT status, attempts, lease_owner FROM crm_outbox ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            List<String> states = new ArrayList<>();
            while (rows.next()) {
                states.add(rows.getString(1) + " attempts=" + rows.getInt(2) + " lease=" + rows.getString(3));
            }
            assertThat(states).hasSize(TICKETS).containsOnly("PENDING attempts=0 lease=null");
        }
    }

    /** Long enough to be trickled in {@link #CHUNKS} pieces; JSON ignores the trailing blanks. */
    private static String padded(String json) {
        return json + " ".repeat(Math.max(0, CHUNKS * 2 - json.length()));
    }

    private static void queueTickets(JdbcTemplate jdbc) {
        Timestamp now = Timestamp.from(Instant.now());
        for (int i = 0; i < TICKETS; i++) {
            String ticket = "shutdown-t" + i;
            jdbc.update("""
                    INSERT INTO crm_outbox (target, ticket_id, state_key, external_id, payload, status, due_at, created_at)
                    VALUES ('salesforce', ?, ?, ?, ?, 'PENDING', ?, ?)
                    """, ticket, "waiting|" + now.toInstant(), "003000000000001AA" + (char) ('A' + i),
                    "{\"id\":\"" + ticket + "\",\"status\":\"waiting\",\"statusAt\":\"" + now.toInstant() + "\"}", now, now);
        }
    }
}
