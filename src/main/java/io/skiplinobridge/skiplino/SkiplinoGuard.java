package io.skiplinobridge.skiplino;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.skiplinobridge.skiplino.SkiplinoTransientException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate every Skiplino call passes: a circuit breaker, a concurrency limit, a request rate and the
 * pause after a 429, with their metrics.
 *
 * <ul>
 *   <li>The circuit breaker counts only transient failures (network errors, timeouts, 5xx, unreadable
 *       2xx); 4xx, 401 and 429 never count. While it is open calls fail at once, nothing reaches
 *       Skiplino, and {@link #acceptingWork()} is false so workers leave the backlog in the database
 *       (DESIGN rule 5).</li>
 *   <li>At most {@code max-concurrent} requests are in flight and at most {@code requests-per-second}
 *       start in any second; callers wait for a permit, at most {@code max-wait}, then fail transiently
 *       without sending.</li>
 *   <li>A 429 pauses every caller for its {@code Retry-After} (or the configured default) and halves the
 *       rate, which then recovers gradually (DESIGN rule 6).</li>
 * </ul>
 * Each call carries a {@link CallPurpose}; today all purposes share one budget.
 */
public final class SkiplinoGuard {

    static final String NAME = "skiplino";
    static final String REQUESTS_METRIC = "skiplino.client.requests";
    static final String REJECTED_METRIC = "skiplino.client.rejected";

    private static final Logger log = LoggerFactory.getLogger(SkiplinoGuard.class);

    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final RequestPacer pacer;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration maxWait;
    private final Duration defaultRetryAfter;
    private final Duration maxPause;
    private final Duration waitInOpenState;
    private volatile Instant openedAt;
    private volatile Instant lastSuccessAt;

    SkiplinoGuard(SkiplinoProperties.RateLimit rateLimit, SkiplinoProperties.CircuitBreaker breaker,
            MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
        this.maxWait = rateLimit.maxWait();
        this.defaultRetryAfter = rateLimit.defaultRetryAfter();
        this.maxPause = rateLimit.maxPause();
        this.waitInOpenState = breaker.waitInOpenState();
        this.pacer = new RequestPacer(rateLimit.requestsPerSecond(), rateLimit.minRequestsPerSecond(),
                rateLimit.recoveryInterval(), System::nanoTime, RequestPacer.Sleeper.PARK);

        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(breaker.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                .waitDurationInOpenState(breaker.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpenState())
                .recordException(SkiplinoGuard::countsAsFailure)
                .ignoreException(SkiplinoGuard::ignoredByBreaker)
                .enableIgnoreExceptionsPrecedence()
                .clock(clock)
                .build());
        this.circuitBreaker = breakers.circuitBreaker(NAME);
        circuitBreaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
                log.warn("Skiplino circuit breaker opened after repeated transient failures: calls fail fast and "
                        + "workers stop claiming work for {}", breaker.waitInOpenState());
            } else {
                log.info("Skiplino circuit breaker {}", event.getStateTransition());
            }
        });

        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(rateLimit.maxConcurrent())
                .maxWaitDuration(rateLimit.maxWait())
                .fairCallHandlingStrategyEnabled(true)
                .build());
        this.bulkhead = bulkheads.bulkhead(NAME);

        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        Gauge.builder("skiplino.ratelimit.requests.per.second", pacer, RequestPacer::currentRate)
                .description("Requests per second the bridge currently allows itself (lowered after a 429)")
                .register(meters);
        Gauge.builder("skiplino.ratelimit.configured.requests.per.second", pacer, RequestPacer::configuredRate)
                .description("Requests per second configured by skiplino.rate-limit.requests-per-second")
                .register(meters);
        Gauge.builder("skiplino.ratelimit.waiting.callers", pacer, RequestPacer::waitingCallers)
                .description("Callers waiting for a rate permit")
                .register(meters);
        Gauge.builder("skiplino.ratelimit.pause.seconds", pacer, p -> p.pauseRemaining().toMillis() / 1000.0)
                .description("Seconds left of the pause after a 429 (0 when not paused)")
                .register(meters);
    }

    /**
     * Whether sync workers should claim work now: false while the circuit is open (until a probe is due)
     * and while every call is paused after a 429.
     */
    public boolean acceptingWork() {
        return !circuitHoldsCalls() && pacer.pauseRemaining().isZero();
    }

    /** A snapshot for the ops status page. */
    public Status status() {
        Duration pause = pacer.pauseRemaining();
        return new Status(circuitBreaker.getState().name(), acceptingWork(), pacer.currentRate(),
                pacer.configuredRate(), pause.isZero() ? null : clock.instant().plus(pause),
                bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                        - bulkhead.getMetrics().getAvailableConcurrentCalls(), lastSuccessAt);
    }

    /**
     * @param circuitState      {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
     * @param pausedUntil       end of the pause after a 429, or null
     * @param requestsInFlight  calls holding a concurrency slot (being sent, or about to be)
     * @param lastSuccessAt     when this process last got a successful answer from Skiplino, or null
     */
    public record Status(String circuitState, boolean acceptingWork, double requestsPerSecond,
            double configuredRequestsPerSecond, Instant pausedUntil, int requestsInFlight, Instant lastSuccessAt) {
    }

    /** What the request itself produced: the HTTP status (for metrics) and the parsed value. */
    record Answered<T>(int status, T value) {
    }

    <T> T call(CallPurpose purpose, SkiplinoOperation operation, Supplier<Answered<T>> request) {
        if (!circuitBreaker.tryAcquirePermission()) {
            throw rejected(purpose, operation, SkiplinoTransientException.notSent(operation.toString(),
                    Reason.CIRCUIT_OPEN, openTimeLeft(), "not sent: the circuit breaker is open after repeated "
                            + "transient failures"));
        }
        try {
            awaitPermits(operation);
        } catch (SkiplinoTransientException held) {
            circuitBreaker.releasePermission();
            throw rejected(purpose, operation, held);
        }
        long sentAt = System.nanoTime();
        try {
            Answered<T> answered = request.get();
            long elapsed = System.nanoTime() - sentAt;
            circuitBreaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            lastSuccessAt = clock.instant();
            record(purpose, operation, String.valueOf(answered.status()), "SUCCESS", elapsed);
            return answered.value();
        } catch (SkiplinoException failure) {
            long elapsed = System.nanoTime() - sentAt;
            circuitBreaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
            record(purpose, operation, metricStatus(failure), outcome(failure), elapsed);
            if (failure instanceof SkiplinoTransientException transientFailure
                    && transientFailure.reason() == Reason.RATE_LIMITED) {
                slowDown(operation, sentAt, transientFailure);
            }
            throw failure;
        } catch (RuntimeException bug) {
            circuitBreaker.onError(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS, bug);
            throw bug;
        } finally {
            bulkhead.onComplete();
        }
    }

    private void awaitPermits(SkiplinoOperation operation) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        if (!bulkhead.tryAcquirePermission()) {
            throw SkiplinoTransientException.notSent(operation.toString(), Reason.BUSY, null,
                    "not sent: no concurrency slot within " + maxWait);
        }
        RequestPacer.Grant grant;
        try {
            grant = pacer.acquire(deadline);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            bulkhead.onComplete();
            throw SkiplinoTransientException.notSent(operation.toString(), Reason.BUSY, null,
                    "not sent: interrupted while waiting for a rate permit");
        }
        if (grant != RequestPacer.Grant.GRANTED) {
            bulkhead.onComplete();
            if (grant == RequestPacer.Grant.PAUSED) {
                throw SkiplinoTransientException.notSent(operation.toString(), Reason.RATE_LIMITED,
                        pacer.pauseRemaining(), "not sent: calls are paused after Skiplino answered 429");
            }
            throw SkiplinoTransientException.notSent(operation.toString(), Reason.BUSY, null,
                    "not sent: no rate permit within " + maxWait);
        }
    }

    private void slowDown(SkiplinoOperation operation, long sentAt, SkiplinoTransientException tooMany) {
        Duration asked = tooMany.retryAfter().orElse(defaultRetryAfter);
        Duration pause = asked.compareTo(maxPause) > 0 ? maxPause : asked;
        if (pacer.onRateLimited(sentAt, pause)) {
            log.warn("Skiplino answered 429 to {}: pausing all calls for {} and lowering the rate to {} requests/s",
                    operation, pause, pacer.currentRate());
        }
    }

    private boolean circuitHoldsCalls() {
        CircuitBreaker.State state = circuitBreaker.getState();
        if (state == CircuitBreaker.State.FORCED_OPEN) {
            return true;
        }
        return state == CircuitBreaker.State.OPEN && openTimeLeft() != null;
    }

    /** Time until the open circuit lets a probe through, or null when one is already due. */
    private Duration openTimeLeft() {
        Instant opened = openedAt;
        if (opened == null) {
            return null;
        }
        Duration left = Duration.between(clock.instant(), opened.plus(waitInOpenState));
        return left.isNegative() || left.isZero() ? null : left;
    }

    private SkiplinoTransientException rejected(CallPurpose purpose, SkiplinoOperation operation,
            SkiplinoTransientException rejection) {
        Counter.builder(REJECTED_METRIC)
                .description("Skiplino calls the bridge held back without sending them")
                .tag("endpoint", operation.template())
                .tag("method", operation.method())
                .tag("reason", rejection.reason().name())
                .tag("purpose", purpose.name())
                .register(meters)
                .increment();
        return rejection;
    }

    private void record(CallPurpose purpose, SkiplinoOperation operation, String status, String outcome,
            long elapsedNanos) {
        Timer.builder(REQUESTS_METRIC)
                .description("Requests sent to Skiplino, by endpoint template, method, status and outcome")
                .tag("endpoint", operation.template())
                .tag("method", operation.method())
                .tag("status", status)
                .tag("outcome", outcome)
                .tag("purpose", purpose.name())
                .register(meters)
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    private static String metricStatus(SkiplinoException failure) {
        if (failure.status() > 0) {
            return String.valueOf(failure.status());
        }
        return failure instanceof SkiplinoTransientException t && t.reason() == Reason.TIMEOUT ? "TIMEOUT" : "IO_ERROR";
    }

    private static String outcome(SkiplinoException failure) {
        if (failure instanceof SkiplinoTransientException transientFailure) {
            return transientFailure.reason().name();
        }
        if (failure instanceof SkiplinoAuthenticationException) {
            return "AUTHENTICATION";
        }
        return failure instanceof SkiplinoValidationException ? "VALIDATION" : "REJECTED";
    }

    private static boolean countsAsFailure(Throwable failure) {
        return failure instanceof SkiplinoTransientException;
    }

    private static boolean ignoredByBreaker(Throwable failure) {
        return !(failure instanceof SkiplinoException)
                || failure instanceof SkiplinoTransientException t && t.reason() == Reason.RATE_LIMITED;
    }
}
