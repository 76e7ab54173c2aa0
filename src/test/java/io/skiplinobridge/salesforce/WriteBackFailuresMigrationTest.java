package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Migration V36 lists the write-backs parked before it in the ops failures, so that an upgrade leaves none
 * of them invisible: on an H2 store at V35 with one parked, one written and one pending row, migrating on
 * adds exactly one open {@code WRITE_BACK} failure, linked to the parked row.
 */
class WriteBackFailuresMigrationTest {

    @Test
    void writeBacksParkedBeforeTheUpgradeBecomeOpenFailures() {
        DriverManagerDataSource store = new DriverManagerDataSource(
                "jdbc:h2:mem:write-back-migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        JdbcTemplate jdbc = new JdbcTemplate(store);
        flyway(store, "35").migrate();
        for (String[] row : List.of(new String[] {"003000000000001AAA", "PARKED", "INSUFFICIENT_ACCESS_OR_READONLY: no access (after 5 attempts)"},
                new String[] {"003000000000002AAA", "WRITTEN", null}, new String[] {"003000000000003AAA", "PENDING", "UNABLE_TO_LOCK_ROW"})) {
            jdbc.update("""
                    INSERT INTO salesforce_write_back (sobject, external_id, field, skiplino_id, status, attempts, due_at,
                        last_error, created_at, updated_at)
                    VALUES ('Contact', ?, 'Skiplino_Id__c', 'abc123', ?, 5, CURRENT_TIMESTAMP, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
                    """, row[0], row[1], row[2]);
        }

        flyway(store, "latest").migrate();

        List<Map<String, Object>> failures = jdbc.queryForList("SELECT * FROM sync_failure");
        assertThat(failures).hasSize(1);
        Map<String, Object> failure = failures.get(0);
        assertThat(failure.get("EXTERNAL_ID")).isEqualTo("003000000000001AAA");
        assertThat(failure.get("OPERATION")).isEqualTo("WRITE_BACK");
        assertThat(failure.get("WRITE_BACK_SOBJECT")).isEqualTo("Contact");
        assertThat((String) failure.get("REASON")).contains("INSUFFICIENT_ACCESS_OR_READONLY");
        assertThat(failure.get("ATTEMPTS")).isEqualTo(5);
        assertThat(failure.get("RESOLVED_AT")).isNull();
        assertThat(failure.get("INBOX_EVENT_ID")).as("no customer change to replay").isNull();
    }

    private static Flyway flyway(DriverManagerDataSource store, String target) {
        return Flyway.configure().dataSource(store).target(target)
                .locations("classpath:db/migration/common", "classpath:db/migration/h2").load();
    }
}
