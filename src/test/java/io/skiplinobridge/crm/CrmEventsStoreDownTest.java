package io.skiplinobridge.crm;

import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.testsupport.SignedWebhookClient.Response;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The store really becomes unreachable: the bridge talks to H2 over TCP, and the test stops that
 * server. The webhook must then answer 503 (never 202), store nothing, and accept the retry once the
 * database is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.test.database=keep",
        "bridge.webhook.secrets=" + CrmWebhookSpringTest.CURRENT,
        "bridge.sync.enabled=false",
        // fail fast instead of waiting the pool's default 30 s for a connection that cannot come
        "spring.datasource.hikari.connection-timeout=1000"})
class CrmEventsStoreDownTest {

    private static final int DATABASE_PORT = freePort();
    private static Server database = startDatabase();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:h2:tcp://127.0.0.1:" + DATABASE_PORT + "/mem:webhook-store-down;DB_CLOSE_DELAY=-1");
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void stopDatabase() {
        database.stop();
    }

    @Test
    void answers503WhileTheDatabaseIsUnreachableStoresNothingAndAcceptsTheRetry() {
        SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, CrmWebhookSpringTest.CURRENT);
        Map<String, Object> event = upsert("evt-outage", "crm-outage", "Layla Hassan", null, null);
        assertThat(crm.post(upsert("evt-before", "crm-before", "Before", null, null)).status()).isEqualTo(202);

        database.stop();
        Response duringOutage = crm.post(event);
        Response stillDown = crm.post(event);

        for (Response response : new Response[] {duringOutage, stillDown}) {
            assertThat(response.status()).as(response.body()).isEqualTo(503);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.headers().firstValue("Retry-After")).hasValue(CrmEventsController.RETRY_AFTER_SECONDS);
            JsonNode problem = response.json();
            assertThat(problem.path("reason").asText()).isEqualTo("store-unavailable");
            assertThat(problem.path("detail").asText()).doesNotContain("jdbc").doesNotContain("127.0.0.1");
        }

        database = startDatabase();
        // a sender waits between retries (Retry-After); so the pool checks a connection idle that
        // long before lending it, and replaces the ones the outage broke
        await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30))
                .until(() -> crm.post(event).status() == 202);

        assertThat(jdbc.queryForList("SELECT event_id FROM inbox_event WHERE source = 'WEBHOOK' ORDER BY id",
                String.class))
                .containsExactly("evt-before", "evt-outage");
        assertThat(crm.post(event).json().path("duplicates").asInt()).isEqualTo(1);
    }

    private static Server startDatabase() {
        try {
            return Server.createTcpServer("-tcpPort", Integer.toString(DATABASE_PORT), "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the H2 TCP server on port " + DATABASE_PORT, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
