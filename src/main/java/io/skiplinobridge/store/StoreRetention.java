package io.skiplinobridge.store;

import static io.skiplinobridge.store.SqlTime.ts;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.skiplinobridge.config.ConditionalOnFlows;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes finished history older than {@code bridge.retention.keep} (route {@code store-retention}, a
 * Quartz schedule that fires once per cluster). Never touches work that is still pending, leased or
 * parked unresolved: only finished inbox events, ended attempts, resolved failures and old schedule runs.
 * Deletes in batches by id, so no statement holds many locks while the flows run.
 */
@Component("storeRetention")
@ConditionalOnFlows
public class StoreRetention {

    static final String JOB = "store-retention";
    private static final Logger log = LoggerFactory.getLogger(StoreRetention.class);

    /** table → the condition that makes a row old enough and finished. */
    private static final Map<String, String> FINISHED = new LinkedHashMap<>();

    static {
        FINISHED.put("inbox_event", "status <> 'PENDING' AND finished_at < :before");
        FINISHED.put("sync_attempt", "finished_at < :before");
        FINISHED.put("sync_failure", "resolved_at < :before");
        FINISHED.put("schedule_run", "fired_at < :before");
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ScheduleRuns runs;
    private final RetentionProperties properties;
    private final Clock clock;

    StoreRetention(NamedParameterJdbcTemplate jdbc, ScheduleRuns runs, RetentionProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.properties = properties;
        this.clock = clock;
    }

    /** One firing of the schedule. */
    public void run(Exchange exchange) {
        Date scheduled = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
        long run = runs.started(JOB, scheduled == null ? null : scheduled.toInstant());
        Map<String, Integer> deleted = deleteOlderThan(clock.instant().minus(properties.keep()));
        runs.finished(run, "deleted " + deleted);
        if (deleted.values().stream().anyMatch(n -> n > 0)) {
            log.info("store retention deleted {} (older than {})", deleted, properties.keep());
        }
    }

    /** Deletes finished rows older than {@code before}; returns rows deleted per table. */
    Map<String, Integer> deleteOlderThan(Instant before) {
        Map<String, Integer> deleted = new LinkedHashMap<>();
        FINISHED.forEach((table, condition) -> {
            int total = 0;
            while (true) {
                // table and condition are constants of this class, never message data
                List<Long> ids = jdbc.queryForList("SELECT id FROM " + table + " WHERE " + condition
                        + " ORDER BY id FETCH FIRST :limit ROWS ONLY", new MapSqlParameterSource("before", ts(before))
                        .addValue("limit", properties.batchSize()), Long.class);
                if (ids.isEmpty()) {
                    break;
                }
                total += jdbc.update("DELETE FROM " + table + " WHERE id IN (:ids)", new MapSqlParameterSource("ids", ids));
                if (ids.size() < properties.batchSize()) {
                    break;
                }
            }
            deleted.put(table, total);
        });
        return deleted;
    }
}
