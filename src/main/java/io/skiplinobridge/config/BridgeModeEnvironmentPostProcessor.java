package io.skiplinobridge.config;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides the run mode before any bean exists, so every feature can simply read
 * {@code bridge.sandbox.enabled} and {@code bridge.flows.enabled}.
 *
 * <ul>
 *   <li>{@code bridge.sandbox.enabled}: {@code BRIDGE_SANDBOX} when set, otherwise {@code true}
 *       exactly when no Skiplino API key is configured (DESIGN.md §4.1).</li>
 *   <li>{@code bridge.flows.enabled}: {@code false} under the {@code sandbox-only} profile, which serves
 *       the sandboxes and their control API and nothing else.</li>
 * </ul>
 */
public class BridgeModeEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    public static final String SANDBOX_ONLY_PROFILE = "sandbox-only";
    static final String PROPERTY_SOURCE = "bridgeMode";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> resolved = new HashMap<>();
        boolean sandboxOnly = env.matchesProfiles(SANDBOX_ONLY_PROFILE);

        String explicit = env.getProperty("bridge.sandbox.enabled", "").trim();
        boolean sandbox;
        if (sandboxOnly) {
            sandbox = true;
        } else if (!explicit.isEmpty()) {
            sandbox = Boolean.parseBoolean(explicit);
        } else {
            sandbox = env.getProperty("skiplino.api-key", "").isBlank();
        }
        resolved.put("bridge.sandbox.enabled", sandbox);
        resolved.put("bridge.flows.enabled", !sandboxOnly && env.getProperty("bridge.flows.enabled", Boolean.class, true));
        env.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, resolved));
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
