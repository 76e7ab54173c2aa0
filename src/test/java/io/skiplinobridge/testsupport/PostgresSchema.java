package io.skiplinobridge.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema in the test PostgreSQL (127.0.0.1:5432, database {@code test}, user {@code postgres},
 * trust auth) for one multi-process test, dropped again on {@link #close()}. Bridge processes get it
 * through {@link #bridgeArguments()} (profile {@code postgres}, Flyway migrating that schema), so runs
 * never collide with each other or with another build on the machine.
 *
 * <p>Where no PostgreSQL answers the test is skipped, except in CI ({@code CI=true}), where
 * {@code .ci/run} starts one and its absence is a failure.
 */
public final class PostgresSchema implements AutoCloseable {

    public static final String URL = System.getProperty("bridge.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getProperty("bridge.test.postgres-user", "postgres");

    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    /** Creates a new schema, or skips the calling test when there is no PostgreSQL outside CI. */
    public static PostgresSchema create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("PostgreSQL at " + URL + " is required in CI", e);
            }
            Assumptions.abort("no PostgreSQL at " + URL + " (" + e.getMessage() + ")");
        }
        return new PostgresSchema(name);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    /** {@code --key=value} arguments that put a bridge process on this schema with the postgres profile. */
    public String[] bridgeArguments() {
        return new String[] {
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + jdbcUrl(),
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=",
                "--spring.flyway.schemas=" + name};
    }

    public long count(String sql) {
        return ((Number) query(sql).get(0).values().iterator().next()).longValue();
    }

    /** Rows as column → value maps (column labels in lower case, as PostgreSQL reports them). */
    public List<Map<String, Object>> query(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop schema " + name, e);
        }
    }
}
