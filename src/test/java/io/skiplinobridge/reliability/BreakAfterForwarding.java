package io.skiplinobridge.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A WireMock response transformer for stubs that forward to the real (sandbox) Skiplino: the request has
 * reached Skiplino and been applied, and then the answer is lost or spoilt on its way back. This is the
 * hard case of every fault: a retry must not apply the change twice. Parameter {@code break}:
 * {@code reset} (connection reset instead of the answer), {@code truncate} (the first half of the JSON),
 * {@code malformed} (JSON with a syntax error), {@code html} (a proxy's HTML page, status 200),
 * {@code slow} (the answer held back {@value #SLOW_MILLIS} ms, the first time only for each {@code key}
 * parameter: WireMock moves a scenario on only once the delayed answer is out, which would fault the
 * retries too).
 */
final class BreakAfterForwarding implements ResponseTransformerV2 {

    static final String NAME = "break-after-forwarding";
    static final String PARAMETER = "break";
    static final String KEY = "key";
    static final long SLOW_MILLIS = 5_000;
    private static final Set<String> SLOWED = ConcurrentHashMap.newKeySet();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        String how = serveEvent.getTransformerParameters().getString(PARAMETER);
        byte[] body = response.getBody() == null ? new byte[0] : response.getBody();
        if ("slow".equals(how)) {
            if (SLOWED.add(serveEvent.getTransformerParameters().getString(KEY))) {
                try {
                    Thread.sleep(SLOW_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return response;
        }
        return switch (how) {
            case "reset" -> Response.Builder.like(response).but().fault(Fault.CONNECTION_RESET_BY_PEER).build();
            case "truncate" -> Response.Builder.like(response).but()
                    .body(Arrays.copyOf(body, Math.max(1, body.length / 2))).build();
            case "malformed" -> Response.Builder.like(response).but()
                    .body("{\"message\": \"Customer created\", \"data\": {\"_id\": 'x' ,,}".getBytes(StandardCharsets.UTF_8)).build();
            case "html" -> Response.Builder.like(response).but().status(200)
                    .headers(new HttpHeaders(new HttpHeader("Content-Type", "text/html; charset=utf-8")))
                    .body("<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>").build();
            default -> throw new IllegalArgumentException("unknown break: " + how);
        };
    }
}
