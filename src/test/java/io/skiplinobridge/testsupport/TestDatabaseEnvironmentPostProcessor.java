package io.skiplinobridge.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.skiplinobridge.config.BridgeModeEnvironmentPostProcessor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every Spring test context its own empty database (and its own Quartz scheduler name), so test
 * classes never see each other's rows or schedules and can run beside another build on the same machine.
 *
 * <ul>
 *   <li>Default: an in-memory H2 database.</li>
 *   <li>{@code -Dbridge.test.db=postgres} (Maven: {@code ./mvnw verify -Ppostgres}, which also switches
 *       the {@code postgres} profile on): a fresh schema in the PostgreSQL at
 *       {@code bridge.test.postgres-url} (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user
 *       {@code postgres}, trust auth), created by Flyway, with Quartz on its PostgreSQL delegate,
 *       clustered, as in production. The schemas are dropped when the test run ends
 *       ({@link TestSchemaCleanup}).</li>
 *   <li>{@code bridge.test.database-name=x}: a fixed name instead of a random one, for tests that
 *       restart a context and expect to find the same data.</li>
 *   <li>{@code bridge.test.database=keep}: leave {@code spring.datasource.*} as configured.</li>
 * </ul>
 */
public class TestDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if ("keep".equals(env.getProperty("bridge.test.database"))) {
            return;
        }
        String name = env.getProperty("bridge.test.database-name", TestSchemaCleanup.newName());
        Map<String, Object> props = new HashMap<>();
        if ("postgres".equals(System.getProperty("bridge.test.db", env.getProperty("bridge.test.db")))) {
            String url = env.getProperty("bridge.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
            props.put("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name);
            props.put("spring.datasource.username", env.getProperty("bridge.test.postgres-user", "postgres"));
            props.put("spring.datasource.password", "");
            props.put("spring.flyway.schemas", name);
            props.put("spring.flyway.create-schemas", true);
            // as config/application-postgres.yaml has it, also when a test does not include that profile
            props.put("spring.quartz.properties.org.quartz.jobStore.driverDelegateClass",
                    "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            props.put("spring.quartz.properties.org.quartz.jobStore.isClustered", true);
            // many cached contexts share one server (max_connections): small pools that give idle connections back
            props.put("spring.datasource.hikari.maximum-pool-size", 8);
            props.put("spring.datasource.hikari.minimum-idle", 0);
            props.put("spring.datasource.hikari.idle-timeout", 10000);
            TestSchemaCleanup.created(name);
        } else {
            props.put("spring.datasource.url", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64");
            props.put("spring.datasource.username", "sa");
            props.put("spring.datasource.password", "");
        }
        // The demo's own branch activity and the ticket discovery poll would add bookings and Skiplino reads to
        // every sandbox-mode test; tests that want them say so (bridge.test.demo-activity / ticket-discovery).
        props.put("bridge.sandbox.skiplino.demo-activity.enabled", env.getProperty("bridge.test.demo-activity", "false"));
        props.put("bridge.tickets.discovery.enabled", env.getProperty("bridge.test.ticket-discovery", "false"));
        // Spring's Quartz job store finds its DataSource in a JVM-wide registry keyed by the scheduler name:
        // with one name for every cached context, the newest context's database would replace the older
        // contexts' one, and their schedules (the Salesforce poll) would stop firing.
        props.put("spring.quartz.properties.org.quartz.scheduler.instanceName", "skiplino-crm-bridge-" + name);
        env.getPropertySources().addFirst(new MapPropertySource("testDatabase", props));
    }

    @Override
    public int getOrder() {
        // after the mode decision, so both see the final configuration
        return new BridgeModeEnvironmentPostProcessor().getOrder() + 1;
    }
}
