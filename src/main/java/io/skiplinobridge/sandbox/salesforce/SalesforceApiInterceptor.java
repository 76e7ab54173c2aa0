package io.skiplinobridge.sandbox.salesforce;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import io.skiplinobridge.sandbox.salesforce.SalesforceFaults.CallFault;
import io.skiplinobridge.sandbox.salesforce.SalesforceFaults.Fault;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * What every call to the sandbox's Salesforce API goes through, in Salesforce's order: added latency,
 * the session check (401 {@code INVALID_SESSION_ID}, which makes camel-salesforce log in again), the
 * org's request limit (403 {@code REQUEST_LIMIT_EXCEEDED}), injected call faults, and counting by kind and status.
 */
class SalesforceApiInterceptor implements HandlerInterceptor {

    private final SalesforceSandboxAuth auth;
    private final SalesforceFaults faults;
    private final SalesforceCallStats stats;

    SalesforceApiInterceptor(SalesforceSandboxAuth auth, SalesforceFaults faults, SalesforceCallStats stats) {
        this.auth = auth;
        this.faults = faults;
        this.stats = stats;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws InterruptedException {
        SalesforceCall call = call(handler);
        if (call == null) {
            return true;
        }
        long latency = faults.latencyMs();
        if (latency > 0) {
            Thread.sleep(latency);
        }
        if (!call.dataApi()) {
            return true;
        }
        if (!auth.isValid(accessToken(request))) {
            return refuse(call, response, 401, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        if (faults.requestLimitExceeded()) {
            return refuse(call, response, 403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }
        Optional<CallFault> fault = faults.takeCallFault(call.value());
        if (fault.isPresent()) {
            if (fault.get().fault().afterApplying()) {
                // the call runs; SalesforceJson spoils its answer
                request.setAttribute(SalesforceJson.CALL_FAULT, fault.get());
                return true;
            }
            return refuse(call, response, fault.get());
        }
        return true;
    }

    /** A fault answered before the call is applied: a 5xx or a 429 with its {@code Retry-After}. */
    private boolean refuse(SalesforceCall call, HttpServletResponse response, CallFault fault) {
        switch (fault.fault()) {
            case HTTP_500 -> {
                return refuse(call, response, 500, "UNKNOWN_EXCEPTION", "An unexpected error occurred (injected)");
            }
            case HTTP_503 -> {
                SalesforceJson.html(response, 503, "Service Unavailable");
                stats.call(call.value(), 503);
                return false;
            }
            default -> {
                Instant at = Instant.now().plusSeconds(fault.retryAfterSeconds());
                response.setHeader("Retry-After", fault.fault() == Fault.HTTP_429_RETRY_AFTER_DATE
                        ? DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atZone(ZoneOffset.UTC))
                        : String.valueOf(fault.retryAfterSeconds()));
                return refuse(call, response, 429, "TOO_MANY_REQUESTS", "Too many requests (injected)");
            }
        }
    }

    /** Answers the call here; counted here too, since Spring skips afterCompletion when preHandle says no. */
    private boolean refuse(SalesforceCall call, HttpServletResponse response, int status, String errorCode,
                           String message) {
        SalesforceJson.errors(response, status, errorCode, message, List.of());
        stats.call(call.value(), status);
        return false;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        SalesforceCall call = call(handler);
        if (call != null) {
            stats.call(call.value(), response.getStatus());
        }
    }

    private static SalesforceCall call(Object handler) {
        return handler instanceof HandlerMethod method ? method.getMethodAnnotation(SalesforceCall.class) : null;
    }

    /** {@code Authorization: Bearer|OAuth <token>}, or the {@code X-SFDC-Session} header raw calls also send. */
    static String accessToken(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            int space = authorization.indexOf(' ');
            String scheme = space > 0 ? authorization.substring(0, space) : "";
            if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("OAuth")) {
                return authorization.substring(space + 1).trim();
            }
        }
        return request.getHeader("X-SFDC-Session");
    }
}
