package io.skiplinobridge.salesforce;

import java.util.Map;

import io.skiplinobridge.config.BridgeModeEnvironmentPostProcessor;
import org.apache.commons.logging.Log;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves the Salesforce route files ({@code routes/salesforce-*.camel.yaml}) out while the connector is
 * off (no client id outside sandbox mode), so a bridge serving only webhook CRMs starts without the
 * Salesforce beans those routes call. Runs after {@link BridgeModeEnvironmentPostProcessor} decided the mode.
 */
public class SalesforceRoutesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String ROUTES = "file:routes/salesforce-*.camel.yaml";
    static final String EXCLUDE = "camel.main.routes-exclude-pattern";

    private final Log log;

    public SalesforceRoutesEnvironmentPostProcessor(DeferredLogFactory logs) {
        this.log = logs.getLog(SalesforceRoutesEnvironmentPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String whyOff = SalesforceConnectorCondition.whyOff(env);
        if (whyOff == null) {
            return;
        }
        String existing = env.getProperty(EXCLUDE, "").trim();
        String exclude = existing.isEmpty() ? ROUTES : existing + "," + ROUTES;
        env.getPropertySources().addFirst(new MapPropertySource("salesforceRoutes", Map.of(EXCLUDE, exclude)));
        log.debug("Salesforce connector off (" + whyOff + "): " + ROUTES + " not loaded");
    }

    @Override
    public int getOrder() {
        return new BridgeModeEnvironmentPostProcessor().getOrder() + 1;
    }
}
