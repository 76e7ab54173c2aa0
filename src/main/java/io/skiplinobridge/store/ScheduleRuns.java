package io.skiplinobridge.store;

import static io.skiplinobridge.store.SqlTime.ts;

import java.time.Clock;
import java.time.Instant;

import io.skiplinobridge.config.InstanceId;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/**
 * The record of scheduled runs ({@code schedule_run}): every Quartz-triggered job writes one row per
 * firing, with the trigger's scheduled time and the instance that ran it, so "each schedule fired once
 * per period across the cluster" can be read from the database. Jobs call {@link #started} first and
 * {@link #finished} at the end.
 */
@Component
public class ScheduleRuns {

    private final NamedParameterJdbcTemplate jdbc;
    private final InstanceId instance;
    private final Clock clock;

    ScheduleRuns(NamedParameterJdbcTemplate jdbc, InstanceId instance, Clock clock) {
        this.jdbc = jdbc;
        this.instance = instance;
        this.clock = clock;
    }

    /** Records the start of a firing; {@code scheduledAt} is the trigger's time (camel-quartz header {@code scheduledFireTime}). */
    public long started(String job, Instant scheduledAt) {
        Instant now = clock.instant();
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update("""
                INSERT INTO schedule_run (job_name, scheduled_at, fired_at, instance_id)
                VALUES (:job, :scheduledAt, :now, :instance)
                """, new MapSqlParameterSource("job", job).addValue("scheduledAt", ts(scheduledAt == null ? now : scheduledAt))
                .addValue("now", ts(now)).addValue("instance", instance.value()), key, new String[] {"id"});
        Number id = key.getKey();
        if (id == null) {
            throw new IllegalStateException("no schedule_run row written for " + job);
        }
        return id.longValue();
    }

    public void finished(long runId, String detail) {
        jdbc.update("UPDATE schedule_run SET finished_at = :now, detail = :detail WHERE id = :id",
                new MapSqlParameterSource("id", runId).addValue("now", ts(clock.instant()))
                        .addValue("detail", detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000)));
    }
}
