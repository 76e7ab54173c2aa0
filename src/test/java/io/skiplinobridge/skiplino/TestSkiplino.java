package io.skiplinobridge.skiplino;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** Builds Skiplino clients without Spring, each with its own guard, HTTP component and meters. */
final class TestSkiplino {

    static final String API_KEY = "sk_test_4f8e2a9c7b1d3e5f";

    private static final AtomicInteger COMPONENTS = new AtomicInteger();
    private static CamelContext camel;

    private TestSkiplino() {
    }

    /** A client and everything it was built from. */
    record Built(SkiplinoClient client, SkiplinoGuard guard, SimpleMeterRegistry meters) {
    }

    static SkiplinoProperties properties() {
        return properties(rateLimit(1000, 8, Duration.ofSeconds(5)), circuitBreaker(100, Duration.ofMinutes(5)));
    }

    static SkiplinoProperties properties(SkiplinoProperties.RateLimit rateLimit,
            SkiplinoProperties.CircuitBreaker circuitBreaker) {
        return properties("", rateLimit, circuitBreaker);
    }

    static SkiplinoProperties properties(String locale, SkiplinoProperties.RateLimit rateLimit,
            SkiplinoProperties.CircuitBreaker circuitBreaker) {
        return properties(locale, Duration.ofSeconds(5), rateLimit, circuitBreaker);
    }

    static SkiplinoProperties properties(String locale, Duration readTimeout, SkiplinoProperties.RateLimit rateLimit,
            SkiplinoProperties.CircuitBreaker circuitBreaker) {
        return new SkiplinoProperties("", API_KEY, locale, Duration.ofSeconds(2), readTimeout, 20, rateLimit,
                circuitBreaker);
    }

    static SkiplinoProperties.RateLimit rateLimit(double requestsPerSecond, int maxConcurrent, Duration maxWait) {
        return new SkiplinoProperties.RateLimit(requestsPerSecond, 1, maxConcurrent, maxWait, Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    /** A breaker that judges every call after {@code minimumCalls}, opening at 50 % failures. */
    static SkiplinoProperties.CircuitBreaker circuitBreaker(int minimumCalls, Duration waitInOpenState) {
        return new SkiplinoProperties.CircuitBreaker(50, Math.max(minimumCalls, 10), minimumCalls, waitInOpenState, 1);
    }

    static Built client(String baseUrl) {
        return client(baseUrl, properties());
    }

    static Built client(String baseUrl, SkiplinoProperties properties) {
        return client(baseUrl, properties, API_KEY);
    }

    static synchronized Built client(String baseUrl, SkiplinoProperties properties, String apiKey) {
        if (camel == null) {
            camel = new DefaultCamelContext();
            camel.start();
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Clock clock = Clock.systemUTC();
        SkiplinoGuard guard = new SkiplinoGuard(properties.rateLimit(), properties.circuitBreaker(), meters, clock);
        SkiplinoTransport transport = new SkiplinoTransport(camel, "skiplino-test-" + COMPONENTS.incrementAndGet(),
                properties, apiKey, () -> baseUrl);
        SkiplinoClient client = new SkiplinoClient(transport, guard, new SkiplinoReplies(SkiplinoJson.mapper(), clock));
        return new Built(client, guard, meters);
    }

    static String fixture(String name) {
        try (InputStream in = TestSkiplino.class.getResourceAsStream("/skiplino/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A success envelope around a documented schema example, as the endpoints that lack one are inferred to answer. */
    static String envelope(String message, String dataJson) {
        return "{\"message\": \"" + message + "\", \"data\": " + dataJson + "}";
    }
}
