package io.skiplinobridge.sandbox.skiplino;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.ConditionalOnSandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The demo's branch activity: in sandbox mode (not under {@code sandbox-only}) a modest simulated
 * activity starts on its own as soon as the Skiplino sandbox holds customers (the ones the bridge synced
 * from the CRM), and a new run follows each finished one, so tickets keep arriving in the Salesforce
 * sandbox without any manual step. Settings {@code bridge.sandbox.skiplino.demo-activity.*}.
 */
@Component
@ConditionalOnSandbox
@ConditionalOnFlows
class DemoActivity implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DemoActivity.class);
    private static final String PREFIX = "bridge.sandbox.skiplino.demo-activity.";

    private final ActivitySimulator simulator;
    private final CustomerDirectory customers;
    private final boolean enabled;
    private final ActivitySettings settings;
    private final Duration checkEvery;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "skiplino-sandbox-demo-activity");
        thread.setDaemon(true);
        return thread;
    });

    DemoActivity(ActivitySimulator simulator, CustomerDirectory customers, Environment environment) {
        this.simulator = simulator;
        this.customers = customers;
        this.enabled = environment.getProperty(PREFIX + "enabled", Boolean.class, true);
        this.checkEvery = environment.getProperty(PREFIX + "check-every", Duration.class, Duration.ofSeconds(10));
        long dwellMin = environment.getProperty(PREFIX + "dwell-min", Duration.class, Duration.ofSeconds(20)).toMillis();
        long dwellMax = environment.getProperty(PREFIX + "dwell-max", Duration.class, Duration.ofSeconds(60)).toMillis();
        long bookMin = environment.getProperty(PREFIX + "booking-interval-min", Duration.class, Duration.ofSeconds(5)).toMillis();
        long bookMax = environment.getProperty(PREFIX + "booking-interval-max", Duration.class, Duration.ofSeconds(20)).toMillis();
        this.settings = new ActivitySettings(environment.getProperty(PREFIX + "tickets-per-run", Integer.class, 100),
                null, false, 0.3, 0.1, new ActivitySettings.Range(dwellMin, Math.max(dwellMin, dwellMax)), Map.of(),
                new ActivitySettings.Range(bookMin, Math.max(bookMin, bookMax)), null);
        if (enabled && !settings.problems().isEmpty()) {
            throw new IllegalStateException(PREFIX + "* settings are invalid: " + settings.problems());
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (enabled) {
            scheduler.scheduleWithFixedDelay(this::startWhenIdle, checkEvery.toMillis(), checkEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void startWhenIdle() {
        try {
            if (simulator.progress().running() || customers.all().isEmpty()) {
                return;
            }
            simulator.start(settings);
            log.info("Demo activity started in the Skiplino sandbox: {} tickets for its {} customers (switch off with "
                    + PREFIX + "enabled=false)", settings.tickets(), customers.all().size());
        } catch (RuntimeException e) {
            log.debug("Demo activity not started: {}", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
