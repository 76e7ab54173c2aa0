package io.skiplinobridge.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.config.BoundedBody;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request to {@code /ops/api/...} through only with {@code Authorization: Bearer <BRIDGE_OPS_TOKEN>};
 * anything else is answered 401 problem+json before any handler runs, so an unknown path or a wrong
 * method answers 401 too. The presented value is never logged or echoed.
 *
 * <p>An authenticated body is bounded too ({@value #MAX_BODY_BYTES} bytes, far above the largest resync
 * request): a larger declared {@code Content-Length} is answered 413 before anything is read, and a body
 * without one is read only up to the limit, so no request makes the bridge buffer more than that.
 */
final class OpsTokenFilter extends OncePerRequestFilter {

    static final String[] URL_PATTERNS = {"/ops/api", "/ops/api/*"};
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final OpsToken token;
    private final ObjectMapper json;

    OpsTokenFilter(OpsToken token, ObjectMapper json) {
        this.token = token;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            passBounded(request, response, chain);
            return;
        }
        String detail = token.configured()
                ? "Send the ops token as Authorization: Bearer <token> (BRIDGE_OPS_TOKEN)."
                : "The ops API has no token configured: set BRIDGE_OPS_TOKEN on the bridge; until then every call is refused.";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ops\"");
        refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", detail);
    }

    private void passBounded(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpServletRequest bounded = BoundedBody.within(request, MAX_BODY_BYTES);
        if (bounded == null) {
            refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Content Too Large", tooLarge());
            return;
        }
        chain.doFilter(bounded, response);
    }

    private static String tooLarge() {
        return "The body is larger than " + MAX_BODY_BYTES + " bytes; nothing was changed.";
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title,
                        String detail) throws IOException {
        response.setStatus(status);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (request.getContentLengthLong() != 0) {
            // the refused body is not read: the connection is closed rather than reused, so a client
            // cannot send its next request on a connection the server is about to drop
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        json.writeValue(response.getOutputStream(), problem);
    }
}
