package io.skiplinobridge.sandbox.skiplino;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Wraps every request of the sandbox's Skiplino API (and nothing else): counts it in
 * {@link TrafficStats}, writes it to the {@link RequestLog}, and lets the {@link FaultInjector}
 * decide whether it is processed, delayed, refused or cut.
 */
class SkiplinoTraffic extends OncePerRequestFilter {

    private static final String CUSTOMER_ID = SkiplinoTraffic.class.getName() + ".customerId";
    private static final String CUSTOMER_EXTERNAL_ID = SkiplinoTraffic.class.getName() + ".customerExternalId";
    /** Sandbox request bodies are small; anything larger is refused before it is read into memory. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final TrafficStats stats;
    private final RequestLog log;
    private final FaultInjector faults;
    private final ObjectMapper json;
    private final Clock clock;

    SkiplinoTraffic(TrafficStats stats, RequestLog log, FaultInjector faults, ObjectMapper json, Clock clock) {
        this.stats = stats;
        this.log = log;
        this.faults = faults;
        this.json = json;
        this.clock = clock;
    }

    /** Lets a handler name the customer a request concerned (e.g. the {@code _id} a create generated). */
    static void nameCustomer(HttpServletRequest request, String customerId, String customerExternalId) {
        if (customerId != null) {
            request.setAttribute(CUSTOMER_ID, customerId);
        }
        if (customerExternalId != null) {
            request.setAttribute(CUSTOMER_EXTERNAL_ID, customerExternalId);
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant startedAt = clock.instant();
        stats.started();
        String relativePath = request.getRequestURI()
                .substring(request.getContextPath().length() + SkiplinoSandboxApiController.BASE.length());
        ApiTemplates.Match match = ApiTemplates.match(relativePath);
        HttpServletRequest served = request;
        byte[] body = null;
        FaultInjector.Outcome outcome = new FaultInjector.Outcome(HttpStatus.INTERNAL_SERVER_ERROR.value(), null);
        try {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                outcome = tooLarge(response);
                return;
            }
            if (request.getContentLengthLong() != 0 && !"GET".equals(request.getMethod())) {
                body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    outcome = tooLarge(response);
                    return;
                }
                served = new CachedBodyRequest(request, body);
            }
            outcome = faults.handle(served, response, chain, relativePath);
        } finally {
            stats.finished(request.getMethod(), match.template(), outcome.status());
            String[] customer = namedCustomer(served, body);
            log.record(request.getMethod(), match.template(), outcome.status(), outcome.fault(), startedAt,
                    clock.instant(), customer[1], customer[0], match.ticketId());
        }
    }

    private static FaultInjector.Outcome tooLarge(HttpServletResponse response) throws IOException {
        int status = HttpStatus.PAYLOAD_TOO_LARGE.value();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"message\":\"Payload Too Large.\",\"error\":null}");
        return new FaultInjector.Outcome(status, null);
    }

    /** {@code [_id, externalId]} of the customer the request names, from the handler or the request itself. */
    private String[] namedCustomer(HttpServletRequest request, byte[] body) {
        String id = (String) request.getAttribute(CUSTOMER_ID);
        String externalId = (String) request.getAttribute(CUSTOMER_EXTERNAL_ID);
        if (id == null) {
            id = request.getParameter("id");
        }
        if (externalId == null) {
            externalId = request.getParameter("externalId");
        }
        if ((id == null || externalId == null) && body != null && body.length > 0) {
            JsonNode node = readQuietly(body);
            if (node != null && node.isObject()) {
                id = id != null ? id : firstText(node, "id", "customerId");
                externalId = externalId != null ? externalId : firstText(node, "externalId", "customerExternalId");
            }
        }
        return new String[] {id, externalId};
    }

    private JsonNode readQuietly(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual() && !value.textValue().isEmpty()) {
                return value.textValue();
            }
        }
        return null;
    }
}
