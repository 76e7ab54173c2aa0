package io.skiplinobridge.booking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.config.BoundedBody;
import io.skiplinobridge.ops.OpsToken;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request to {@code /api/booking/...} through only with {@code Authorization: Bearer <BRIDGE_OPS_TOKEN>}
 * (the ops token, checked by {@link OpsToken}); anything else is answered 401 problem+json before any
 * handler runs or any body is read, so nothing reaches Skiplino. The presented value is never logged or echoed.
 */
final class BookingTokenFilter extends OncePerRequestFilter {

    static final String[] URL_PATTERNS = {"/api/booking", "/api/booking/*"};
    static final int MAX_BODY_BYTES = BookingController.MAX_BODY_BYTES;

    private final OpsToken token;
    private final ObjectMapper json;

    BookingTokenFilter(OpsToken token, ObjectMapper json) {
        this.token = token;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            // the controller reads the whole body: bound it here, before anything is buffered
            HttpServletRequest bounded = BoundedBody.within(request, MAX_BODY_BYTES);
            if (bounded == null) {
                response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                writeProblem(request, response, "Content Too Large", "The body is larger than " + MAX_BODY_BYTES
                        + " bytes. Nothing was sent to Skiplino.");
                return;
            }
            chain.doFilter(bounded, response);
            return;
        }
        String detail = token.configured()
                ? "Send the bridge's token as Authorization: Bearer <token> (BRIDGE_OPS_TOKEN)."
                : "The booking API has no token configured: set BRIDGE_OPS_TOKEN on the bridge; until then every call is refused.";
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"booking\"");
        writeProblem(request, response, "Unauthorized", detail);
    }

    private void writeProblem(HttpServletRequest request, HttpServletResponse response, String title, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (request.getContentLengthLong() != 0) {
            // the body is never read: close rather than reuse a connection the server would have to drain
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", response.getStatus());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        json.writeValue(response.getOutputStream(), problem);
    }
}
