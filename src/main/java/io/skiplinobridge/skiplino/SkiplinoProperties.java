package io.skiplinobridge.skiplino;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the bridge talks to Skiplino ({@code skiplino.*}). Every key is commented for the operator in
 * {@code config/application.yaml}; the defaults here mirror that file.
 *
 * @param baseUrl  Skiplino External API v1 base URL; empty in sandbox mode means this process's sandbox
 * @param apiKey   secret key; empty in sandbox mode means the sandbox's secret key
 * @param locale   value of the {@code X-Locale} header; empty (as in Skiplino's own examples) means the
 *                 company default
 * @param poolSize pooled HTTP connections to Skiplino
 */
@ConfigurationProperties("skiplino")
public record SkiplinoProperties(
        String baseUrl,
        String apiKey,
        String locale,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("20") int poolSize,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue CircuitBreaker circuitBreaker) {

    public SkiplinoProperties {
        baseUrl = baseUrl == null ? "" : baseUrl.trim();
        apiKey = apiKey == null ? "" : apiKey.trim();
        locale = locale == null ? "" : locale.trim();
    }

    /**
     * @param requestsPerSecond    most requests started in any one-second window
     * @param minRequestsPerSecond the floor that repeated 429s can lower the rate to
     * @param maxConcurrent        most requests in flight at once
     * @param maxWait              longest a caller waits for a permit before failing transiently
     * @param defaultRetryAfter    pause after a 429 that carries no usable {@code Retry-After}
     * @param maxPause             cap on any one pause, whatever {@code Retry-After} asks for
     * @param recoveryInterval     after a 429, each interval without another one raises the rate by a
     *                             tenth of {@code requestsPerSecond}
     */
    public record RateLimit(
            @DefaultValue("10") double requestsPerSecond,
            @DefaultValue("1") double minRequestsPerSecond,
            @DefaultValue("8") int maxConcurrent,
            @DefaultValue("10s") Duration maxWait,
            @DefaultValue("30s") Duration defaultRetryAfter,
            @DefaultValue("10m") Duration maxPause,
            @DefaultValue("10s") Duration recoveryInterval) {
    }

    /**
     * Opens on transient failures only (network errors, timeouts, 5xx, unreadable 2xx); 4xx never count.
     */
    public record CircuitBreaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("30s") Duration waitInOpenState,
            @DefaultValue("3") int permittedCallsInHalfOpenState) {
    }

    @Override
    public String toString() {
        return "SkiplinoProperties[baseUrl=" + baseUrl + ", apiKey=" + (apiKey.isEmpty() ? "" : "******")
                + ", locale=" + locale + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", poolSize=" + poolSize + ", rateLimit=" + rateLimit + ", circuitBreaker=" + circuitBreaker + "]";
    }
}
