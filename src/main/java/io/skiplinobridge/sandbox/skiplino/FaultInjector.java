package io.skiplinobridge.sandbox.skiplino;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.skiplinobridge.config.ConditionalOnSandbox;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Applies the active {@link FaultSettings} to one request of the sandbox API. Order: concurrency
 * limit, rate limit, latency, connection reset, error answer, body fault; a request that passes
 * them all is processed normally.
 */
@Component
@ConditionalOnSandbox
class FaultInjector {

    /** How a request ended: its status (0 for a reset) and the fault applied, if any. */
    record Outcome(int status, String fault) {
    }

    static final String HTML_ERROR_PAGE = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
            + "<body><h1>502 Bad Gateway</h1><p>The upstream server is temporarily unavailable.</p></body></html>";

    private record Active(FaultSettings settings, RateLimiter rateLimiter, Semaphore concurrency) {
    }

    private final AtomicReference<Active> active = new AtomicReference<>();
    private final ObjectMapper json;
    private final Clock clock;

    FaultInjector(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    FaultSettings set(FaultSettings settings) {
        FaultSettings effective = settings.withDefaults();
        RateLimiter limiter = effective.rateLimitPerSecond() == null ? null : RateLimiter.of("skiplino-sandbox",
                RateLimiterConfig.custom()
                        .limitForPeriod(effective.rateLimitPerSecond())
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build());
        Semaphore concurrency = effective.maxConcurrent() == null ? null : new Semaphore(effective.maxConcurrent());
        active.set(new Active(effective, limiter, concurrency));
        return effective;
    }

    FaultSettings current() {
        Active current = active.get();
        return current == null ? emptySettings() : current.settings();
    }

    void clear() {
        active.set(null);
    }

    Outcome handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String relativePath)
            throws IOException, ServletException {
        Active current = active.get();
        if (current == null || !applies(current.settings(), request.getMethod(), relativePath)) {
            chain.doFilter(request, response);
            return new Outcome(response.getStatus(), null);
        }
        FaultSettings settings = current.settings();
        if (current.concurrency() != null && !current.concurrency().tryAcquire()) {
            return tooManyRequests(response, settings, "concurrency");
        }
        try {
            if (current.rateLimiter() != null && !current.rateLimiter().acquirePermission()) {
                return tooManyRequests(response, settings, "rate-limit");
            }
            if (settings.latencyMs() != null && settings.latencyMs() > 0) {
                pause(settings.latencyMs());
            }
            if (roll(settings.resetRate())) {
                if (Boolean.TRUE.equals(settings.resetAfterProcessing())) {
                    chain.doFilter(request, new ContentCachingResponseWrapper(response));
                }
                resetConnection(request);
                return new Outcome(0, "reset");
            }
            if (roll(settings.errorRate())) {
                int status = settings.errorStatus();
                retryAfter(response, settings, null);
                writeJson(response, status, new SkiplinoEnvelopes.Error(reason(status), null));
                return new Outcome(status, "error");
            }
            if (settings.bodyFault() != null && roll(settings.bodyFaultRate())) {
                return FaultSettings.HTML.equals(settings.bodyFault())
                        ? htmlPage(response)
                        : truncated(request, response, chain);
            }
            chain.doFilter(request, response);
            return new Outcome(response.getStatus(), null);
        } finally {
            if (current.concurrency() != null) {
                current.concurrency().release();
            }
        }
    }

    private static boolean applies(FaultSettings settings, String method, String relativePath) {
        return (settings.pathPrefix() == null || relativePath.startsWith(settings.pathPrefix()))
                && (settings.method() == null || settings.method().equalsIgnoreCase(method));
    }

    private Outcome tooManyRequests(HttpServletResponse response, FaultSettings settings, String fault) throws IOException {
        retryAfter(response, settings, 1);
        writeJson(response, HttpStatus.TOO_MANY_REQUESTS.value(), new SkiplinoEnvelopes.Error("Too Many Requests.", null));
        return new Outcome(HttpStatus.TOO_MANY_REQUESTS.value(), fault);
    }

    private void retryAfter(HttpServletResponse response, FaultSettings settings, Integer fallbackSeconds) {
        Integer seconds = settings.retryAfterSeconds() != null ? settings.retryAfterSeconds() : fallbackSeconds;
        if (seconds == null) {
            return;
        }
        String value = Boolean.TRUE.equals(settings.retryAfterHttpDate())
                ? DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(seconds).atZone(ZoneOffset.UTC))
                : Integer.toString(seconds);
        response.setHeader(HttpHeaders.RETRY_AFTER, value);
    }

    private Outcome htmlPage(HttpServletResponse response) throws IOException {
        byte[] page = HTML_ERROR_PAGE.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
        return new Outcome(HttpStatus.OK.value(), "html");
    }

    /** Processes the request, then sends only the first half of its JSON answer, with a matching length. */
    private static Outcome truncated(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ContentCachingResponseWrapper buffered = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, buffered);
        byte[] full = buffered.getContentAsByteArray();
        int status = buffered.getStatus();
        response.setStatus(status);
        response.setContentLength(full.length / 2);
        response.getOutputStream().write(full, 0, full.length / 2);
        return new Outcome(status, "truncated");
    }

    /**
     * A real TCP reset: linger 0 on the connection's socket, then close it, so the client reads RST
     * instead of a response or an orderly end of stream.
     */
    private static void resetConnection(HttpServletRequest request) throws IOException {
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(request)
                .getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint instanceof SocketChannelEndPoint socket) {
            socket.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        endPoint.close();
    }

    private void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error." : known.getReasonPhrase() + ".";
    }

    private static boolean roll(Double rate) {
        return rate != null && rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    /** Simulated latency of a slow Skiplino; it holds the serving thread, as a slow upstream would. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static FaultSettings emptySettings() {
        return new FaultSettings(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
