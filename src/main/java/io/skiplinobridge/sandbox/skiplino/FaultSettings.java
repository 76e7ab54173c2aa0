package io.skiplinobridge.sandbox.skiplino;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The faults the sandbox API injects, set by {@code PUT /sandbox/control/skiplino/faults}. Every
 * field is optional; rates are probabilities from 0 to 1 drawn per request.
 *
 * @param latencyMs          delay before answering each request
 * @param errorRate          share of requests answered {@code errorStatus} without being processed
 * @param errorStatus        status of those answers (default 503)
 * @param retryAfterSeconds  {@code Retry-After} on error answers and on 429s (429s default to 1 s)
 * @param retryAfterHttpDate write {@code Retry-After} as an HTTP-date instead of seconds
 * @param resetRate          share of requests answered with a TCP reset
 * @param resetAfterProcessing reset after the request was processed (the write happened, the answer is lost)
 *                           instead of before
 * @param rateLimitPerSecond requests per second allowed before answering 429
 * @param maxConcurrent      requests in flight allowed before answering 429
 * @param bodyFault          {@code truncated} (processed, JSON cut in half) or {@code html} (not processed,
 *                           an HTML error page with status 200)
 * @param bodyFaultRate      share of requests given {@code bodyFault}
 * @param pathPrefix         faults apply only to paths (relative to the API base) starting with this
 * @param method             faults apply only to this HTTP method
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FaultSettings(Long latencyMs, Double errorRate, Integer errorStatus, Integer retryAfterSeconds,
                     Boolean retryAfterHttpDate, Double resetRate, Boolean resetAfterProcessing,
                     Integer rateLimitPerSecond, Integer maxConcurrent, String bodyFault, Double bodyFaultRate,
                     String pathPrefix, String method) {

    static final int DEFAULT_ERROR_STATUS = 503;
    static final String TRUNCATED = "truncated";
    static final String HTML = "html";

    /** The settings with their defaults written out, as the control API reports them. */
    FaultSettings withDefaults() {
        return new FaultSettings(latencyMs, errorRate,
                errorRate != null && errorStatus == null ? Integer.valueOf(DEFAULT_ERROR_STATUS) : errorStatus,
                retryAfterSeconds, retryAfterHttpDate, resetRate, resetAfterProcessing, rateLimitPerSecond,
                maxConcurrent, bodyFault, bodyFault != null && bodyFaultRate == null ? Double.valueOf(1.0) : bodyFaultRate,
                pathPrefix, method == null ? null : method.toUpperCase(Locale.ROOT));
    }

    /** What is wrong with these settings, one message per field; empty when they are usable. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (latencyMs != null && (latencyMs < 0 || latencyMs > 300_000)) {
            problems.add("latencyMs must be between 0 and 300000");
        }
        rate("errorRate", errorRate, problems);
        rate("resetRate", resetRate, problems);
        rate("bodyFaultRate", bodyFaultRate, problems);
        if (errorStatus != null && (errorStatus < 400 || errorStatus > 599)) {
            problems.add("errorStatus must be an HTTP error status between 400 and 599");
        }
        if (retryAfterSeconds != null && (retryAfterSeconds < 0 || retryAfterSeconds > 86_400)) {
            problems.add("retryAfterSeconds must be between 0 and 86400");
        }
        if (rateLimitPerSecond != null && rateLimitPerSecond < 1) {
            problems.add("rateLimitPerSecond must be at least 1");
        }
        if (maxConcurrent != null && maxConcurrent < 1) {
            problems.add("maxConcurrent must be at least 1");
        }
        if (bodyFault != null && !TRUNCATED.equals(bodyFault) && !HTML.equals(bodyFault)) {
            problems.add("bodyFault must be 'truncated' or 'html'");
        }
        if (bodyFaultRate != null && bodyFault == null) {
            problems.add("bodyFaultRate needs bodyFault");
        }
        if (pathPrefix != null && !pathPrefix.startsWith("/")) {
            problems.add("pathPrefix must start with '/', e.g. /customers");
        }
        if (method != null && !method.matches("[A-Za-z]+")) {
            problems.add("method must be an HTTP method such as PUT");
        }
        return problems;
    }

    private static void rate(String name, Double value, List<String> problems) {
        if (value != null && (value.isNaN() || value < 0 || value > 1)) {
            problems.add(name + " must be a probability between 0 and 1");
        }
    }
}
