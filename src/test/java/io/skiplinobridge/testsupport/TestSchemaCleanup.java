package io.skiplinobridge.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Drops the PostgreSQL schemas that {@link TestDatabaseEnvironmentPostProcessor} created for this test
 * run when the run ends. A schema still in use then (a cached Spring context's scheduler holding a lock)
 * is not waited for; its name carries its creation time, so the next run drops such leftovers once they
 * are a few hours old, without touching the schemas of a build running beside it.
 */
public class TestSchemaCleanup implements LauncherSessionListener {

    static final String PREFIX = "t_";
    private static final Duration LEFTOVER_AGE = Duration.ofHours(3);
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    /** {@code t_<epoch seconds>_<random>}: unique, and old ones recognisable. */
    static String newName() {
        return PREFIX + Instant.now().getEpochSecond() + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    static void created(String schema) {
        CREATED.add(schema);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        List<String> drop = new ArrayList<>(CREATED);
        if (drop.isEmpty() && !"postgres".equals(System.getProperty("bridge.test.db"))) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(PostgresSchema.URL, PostgresSchema.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = '2s'");
            drop.addAll(leftovers(statement));
            for (String schema : drop) {
                try {
                    statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                    CREATED.remove(schema);
                } catch (SQLException inUse) {
                    // dropped by a later run once it is old
                }
            }
        } catch (SQLException noDatabase) {
            // nothing was created there
        }
    }

    private static List<String> leftovers(Statement statement) throws SQLException {
        long before = Instant.now().minus(LEFTOVER_AGE).getEpochSecond();
        List<String> old = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name ~ '^t_[0-9]+_[0-9a-f]{8}$'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (Long.parseLong(name.split("_")[1]) < before) {
                    old.add(name);
                }
            }
        }
        return old;
    }
}
