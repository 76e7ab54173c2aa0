package io.skiplinobridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.ConnectionCallback;

/**
 * The H2 store writes every commit to its file before the commit returns (docs/production.md): H2's
 * default of up to 500 ms later lost webhook events already answered 202 when the process was killed
 * (CrashLoopIT). The setting comes from the Flyway callback {@code db/migration/h2/afterMigrate.sql}, so
 * it holds whatever {@code DB_URL} says; CrashLoopIT checks the effect on the packaged jar.
 */
class StoreDurabilityTest extends ReliabilityTestBase {

    @Test
    void h2WritesEachCommitBeforeItReturns() {
        // an H2 setting: with -Ppostgres this context runs on PostgreSQL, which makes each commit durable itself
        String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        Assumptions.assumeTrue("H2".equals(product), "the store is " + product + ", not H2");
        assertThat(jdbc.queryForList("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'",
                String.class)).as("WRITE_DELAY").isNotEmpty().containsOnly("0");
    }
}
