package db.migration.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Creates Quartz's JDBC job store tables from the DDL that ships inside the Quartz jar, for the
 * database at hand, so the schema always matches the Quartz version in use. The jar's scripts start by
 * dropping the tables; those statements are skipped, because a migration must never drop a running
 * cluster's schedule.
 */
public class V3__quartz_tables extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String script = switch (product) {
            case "h2" -> "tables_h2.sql";
            case "postgresql" -> "tables_postgres.sql";
            default -> throw new IllegalStateException("no Quartz schema for database " + product);
        };
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : statements(script)) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> statements(String script) throws IOException {
        String resource = "org/quartz/impl/jdbcjobstore/" + script;
        try (InputStream in = V3__quartz_tables.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split(";"))
                    .map(s -> s.lines().filter(line -> !line.stripLeading().startsWith("--"))
                            .reduce("", (a, b) -> a + "\n" + b).strip())
                    .filter(s -> !s.isEmpty())
                    .filter(s -> !s.toUpperCase(Locale.ROOT).startsWith("DROP "))
                    .filter(s -> !s.equalsIgnoreCase("COMMIT"))
                    .toList();
        }
    }
}
