package io.skiplinobridge.skiplino;

import java.time.Clock;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.SelfAddress;
import org.apache.camel.CamelContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the Skiplino client for the bridge's flows (absent under the sandbox-only profile). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlows
class SkiplinoConfiguration {

    static final String SANDBOX_PATH = "/sandbox/skiplino/external/v1";
    /** The sandbox's own setting for its secret key; the client uses it when no key is configured. */
    static final String SANDBOX_SECRET_KEY = "bridge.sandbox.skiplino.secret-key";
    static final String SANDBOX_DEFAULT_SECRET_KEY = "sk_sandbox_secret";

    @Bean
    static SkiplinoStartupCheck skiplinoStartupCheck(Environment environment) {
        return new SkiplinoStartupCheck(environment);
    }

    @Bean
    SkiplinoGuard skiplinoGuard(SkiplinoProperties properties, MeterRegistry meters, Clock clock) {
        return new SkiplinoGuard(properties.rateLimit(), properties.circuitBreaker(), meters, clock);
    }

    @Bean
    SkiplinoClient skiplinoClient(CamelContext camel, SkiplinoProperties properties, SkiplinoGuard guard,
            Clock clock, Environment environment, ObjectProvider<SelfAddress> self) {
        boolean sandbox = environment.getProperty("bridge.sandbox.enabled", Boolean.class, false);
        String apiKey = properties.apiKey();
        if (apiKey.isEmpty() && sandbox) {
            apiKey = environment.getProperty(SANDBOX_SECRET_KEY, SANDBOX_DEFAULT_SECRET_KEY);
        }
        SkiplinoTransport transport = new SkiplinoTransport(camel, SkiplinoTransport.COMPONENT, properties, apiKey,
                baseUrl(properties, sandbox, self));
        return new SkiplinoClient(transport, guard, new SkiplinoReplies(SkiplinoJson.mapper(), clock));
    }

    private static Supplier<String> baseUrl(SkiplinoProperties properties, boolean sandbox,
            ObjectProvider<SelfAddress> self) {
        if (!properties.baseUrl().isEmpty()) {
            String configured = properties.baseUrl();
            return () -> configured;
        }
        if (sandbox) {
            return () -> self.getObject().url(SANDBOX_PATH);
        }
        return () -> {
            throw new IllegalStateException("skiplino.base-url (SKIPLINO_BASE_URL) is not set");
        };
    }
}
