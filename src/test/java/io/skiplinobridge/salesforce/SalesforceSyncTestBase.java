package io.skiplinobridge.salesforce;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.skiplinobridge.testsupport.SalesforceSandboxControl;
import io.skiplinobridge.testsupport.SkiplinoSandboxControl;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole bridge against this process's sandboxes: the real camel-salesforce component polls the Salesforce
 * sandbox, the real sync engine writes to the Skiplino sandbox. No contact is seeded and the schedule is pushed
 * out of the way, so the start-up poll is the only one a test does not fire itself. Each test starts from empty
 * sandboxes and empty bridge tables, with no fault set. A subclass adds its own settings with
 * {@code @TestPropertySource}, and so gets a context of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sandbox.enabled=true",
        "bridge.sandbox.salesforce.seed-contacts=0",
        "bridge.salesforce.poll.cron=0 0 0 1 1 ? 2099",
        "bridge.sync.poll-interval=20ms"})
abstract class SalesforceSyncTestBase {

    /** Whether the route that sends the Skiplino-id write-backs to Salesforce runs during a test. */
    enum WriteBackRoute {
        RUNNING,
        /** Stopped before each test's set-up and started after it: the test sends the queue itself and sees every call it causes. */
        STOPPED
    }

    private static final String WRITE_BACK_ROUTE = "salesforce-write-back";
    private static final List<String> TABLES = List.of("inbox_event", "customer_sync", "sync_failure", "sync_attempt",
            "bridge_flag", "salesforce_watermark", "salesforce_write_back");

    private final Duration sync;
    private final WriteBackRoute writeBackRoute;

    @LocalServerPort int port;
    @Autowired SalesforcePoll poll;
    @Autowired CamelContext camel;
    @Autowired JdbcTemplate jdbc;

    SalesforceSandboxControl salesforce;
    SkiplinoSandboxControl skiplino;

    /** @param sync how long the sync engine may take to drain what a test queued */
    SalesforceSyncTestBase(Duration sync, WriteBackRoute writeBackRoute) {
        this.sync = sync;
        this.writeBackRoute = writeBackRoute;
    }

    @BeforeEach
    void startFromEmpty() throws Exception {
        salesforce = SalesforceSandboxControl.forLocalPort(port);
        skiplino = SkiplinoSandboxControl.forLocalPort(port);
        // the start-up poll has run (it finds an empty org) before the tables are emptied under it
        await().atMost(Duration.ofSeconds(30)).until(() -> poll.lastRun().isPresent());
        if (writeBackRoute == WriteBackRoute.STOPPED) {
            camel.getRouteController().stopRoute(WRITE_BACK_ROUTE);
        }
        salesforce.clearFaults();
        skiplino.clearFaults();
        awaitDrained();
        skiplino.resetAll();
        for (String table : TABLES) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    @AfterEach
    void restartWriteBackRoute() throws Exception {
        if (writeBackRoute == WriteBackRoute.STOPPED) {
            // what the test left queued is sent without the test's faults
            salesforce.clearFaults();
            camel.getRouteController().startRoute(WRITE_BACK_ROUTE);
        }
    }

    /** Waits until the sync engine has nothing due and the inbox nothing pending. */
    void awaitDrained() {
        await().atMost(sync).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM customer_sync WHERE due_at IS NOT NULL", Integer.class) == 0
                        && jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event WHERE status = 'PENDING'", Integer.class) == 0);
    }
}
