package io.skiplinobridge.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Named switches kept in the database ({@code bridge_flag}), so a flow paused by an operator or a
 * guard stays paused across restarts and on every instance. Reads are cached for a second: a paused
 * flow may run one more short cycle, never more.
 */
@Component
public class BridgeFlags {

    private static final Duration CACHE_FOR = Duration.ofSeconds(1);

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    BridgeFlags(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public boolean isActive(String name) {
        Instant now = clock.instant();
        Cached cached = cache.get(name);
        if (cached != null && cached.readAt.plus(CACHE_FOR).isAfter(now)) {
            return cached.flag.map(Flag::active).orElse(false);
        }
        Optional<Flag> flag = find(name);
        cache.put(name, new Cached(flag, now));
        return flag.map(Flag::active).orElse(false);
    }

    public Optional<Flag> find(String name) {
        List<Flag> rows = jdbc.query("SELECT name, active, reason, changed_at, changed_by FROM bridge_flag WHERE name = :name",
                new MapSqlParameterSource("name", name), (rs, n) -> new Flag(rs.getString("name"),
                        rs.getBoolean("active"), rs.getString("reason"), SqlTime.instant(rs, "changed_at"),
                        rs.getString("changed_by")));
        return rows.stream().findFirst();
    }

    public List<Flag> all() {
        return jdbc.query("SELECT name, active, reason, changed_at, changed_by FROM bridge_flag ORDER BY name",
                (rs, n) -> new Flag(rs.getString("name"), rs.getBoolean("active"), rs.getString("reason"),
                        SqlTime.instant(rs, "changed_at"), rs.getString("changed_by")));
    }

    public void set(String name, boolean active, String reason, String changedBy) {
        MapSqlParameterSource params = new MapSqlParameterSource("name", name).addValue("active", active)
                .addValue("reason", reason).addValue("now", SqlTime.ts(clock.instant()))
                .addValue("by", changedBy);
        int updated = jdbc.update("""
                UPDATE bridge_flag SET active = :active, reason = :reason, changed_at = :now, changed_by = :by
                WHERE name = :name
                """, params);
        if (updated == 0) {
            try {
                jdbc.update("""
                        INSERT INTO bridge_flag (name, active, reason, changed_at, changed_by)
                        VALUES (:name, :active, :reason, :now, :by)
                        """, params);
            } catch (DuplicateKeyException raced) {
                jdbc.update("""
                        UPDATE bridge_flag SET active = :active, reason = :reason, changed_at = :now, changed_by = :by
                        WHERE name = :name
                        """, params);
            }
        }
        cache.remove(name);
    }

    /** A switch and who last flipped it, when and why. */
    public record Flag(String name, boolean active, String reason, Instant changedAt, String changedBy) {
    }

    private record Cached(Optional<Flag> flag, Instant readAt) {
    }
}
