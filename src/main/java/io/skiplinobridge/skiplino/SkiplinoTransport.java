package io.skiplinobridge.skiplino;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.Supplier;

import io.skiplinobridge.skiplino.SkiplinoTransientException.Reason;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.core5.http.HttpHeaders;

/**
 * Sends requests to Skiplino through camel-http: one dedicated, named {@link HttpComponent} with its own
 * connection pool and timeouts, and one endpoint for the base URL; each request's path and query travel
 * in the {@code CamelHttpPath} / {@code CamelHttpQuery} headers.
 *
 * <p>The API key never enters a Camel exchange, endpoint URI or header map, where error handlers,
 * tracers and activity loggers could print it: an HttpClient request interceptor adds
 * {@code Authorization} below Camel, just before the request is written. (HttpClient's own
 * {@code org.apache.hc.client5.http.headers} and {@code .wire} DEBUG loggers would print it; the
 * application pins them to INFO and refuses to start with a real key while they are on DEBUG.)
 */
final class SkiplinoTransport {

    static final String COMPONENT = "skiplino-http";

    private final CamelContext camel;
    private final String componentName;
    private final Supplier<String> baseUrl;
    private volatile Endpoint endpoint;
    private volatile ProducerTemplate template;

    /**
     * @param baseUrl resolved on the first request, because in sandbox mode it is this process's own
     *                address and the port is only known once the web server started
     */
    SkiplinoTransport(CamelContext camel, String componentName, SkiplinoProperties properties, String apiKey,
            Supplier<String> baseUrl) {
        this.camel = camel;
        this.componentName = componentName;
        this.baseUrl = baseUrl;
        HttpComponent component = new HttpComponent();
        camel.addComponent(componentName, component);
        // after addComponent: camel-http-starter's customizer copies camel.component.http.* (defaults
        // included: 3-minute timeouts, retries on) onto every HttpComponent as it is added
        configure(component, properties, apiKey);
    }

    private static void configure(HttpComponent component, SkiplinoProperties properties, String apiKey) {
        // nothing from the Spring or Camel registry (activity listeners, configurers) is wired in by type
        component.setAutowiredEnabled(false);
        component.setLogHttpActivity(false);
        component.setHttpActivityListener(null);
        component.setConnectTimeout(properties.connectTimeout().toMillis());
        component.setResponseTimeout(properties.readTimeout().toMillis());
        component.setSoTimeout(properties.readTimeout().toMillis());
        // the wait for a pooled connection: the bulkhead already bounds concurrency, so this is a backstop
        component.setConnectionRequestTimeout(properties.rateLimit().maxWait().toMillis());
        component.setMaxTotalConnections(properties.poolSize());
        component.setConnectionsPerRoute(properties.poolSize());
        // the bridge owns retries (durable, with backoff): HttpClient must never re-send a request itself
        component.setAutomaticRetriesDisabled(true);
        component.setRedirectHandlingDisabled(true);
        component.setCookieManagementDisabled(true);
        component.setUserAgent("skiplino-crm-bridge");
        String authorization = "Bearer " + apiKey;
        String locale = properties.locale();
        component.setHttpClientConfigurer(builder -> builder.addRequestInterceptorLast((request, entity, context) -> {
            request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
            request.setHeader("X-Locale", locale);
            request.setHeader(HttpHeaders.ACCEPT, "application/json");
        }));
    }

    /**
     * @param path     already percent-encoded, starting with {@code /}
     * @param rawQuery already percent-encoded, or null
     * @param json     the request body, or null for none
     * @throws SkiplinoTransientException when no HTTP answer arrived (timeout, connection failure)
     */
    HttpReply send(SkiplinoOperation operation, String path, String rawQuery, byte[] json) {
        Exchange exchange = template().send(endpoint(), request -> {
            Message in = request.getIn();
            // the enum, not its name: camel-http converts a String header to HttpMethods through a type-converter
            // lookup that misses its cache on every request (about 6 % of the apply threads' CPU in a backfill)
            in.setHeader(Exchange.HTTP_METHOD, operation.httpMethod());
            in.setHeader(Exchange.HTTP_PATH, path);
            if (rawQuery != null && !rawQuery.isEmpty()) {
                in.setHeader(Exchange.HTTP_QUERY, rawQuery);
            }
            if (json != null) {
                in.setHeader(Exchange.CONTENT_TYPE, "application/json");
                in.setBody(json);
            }
        });
        if (exchange.getException() != null) {
            throw noAnswer(operation, exchange.getException());
        }
        Message out = exchange.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            throw new SkiplinoTransientException(operation.toString(), 0, Reason.IO_ERROR, null, null,
                    "got no HTTP status", null);
        }
        return new HttpReply(status, out.getHeader(Exchange.CONTENT_TYPE, String.class),
                out.getHeader(HttpHeaders.RETRY_AFTER, String.class), out.getBody(byte[].class));
    }

    private static SkiplinoTransientException noAnswer(SkiplinoOperation operation, Exception failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof IOException)) {
            cause = cause.getCause();
        }
        Throwable reported = cause == null ? failure : cause;
        Reason reason = reported instanceof InterruptedIOException ? Reason.TIMEOUT : Reason.IO_ERROR;
        String what = reason == Reason.TIMEOUT ? "timed out" : "failed without an answer";
        return new SkiplinoTransientException(operation.toString(), 0, reason, null, null,
                what + ": " + reported.getClass().getSimpleName() + ": " + reported.getMessage(), reported);
    }

    private Endpoint endpoint() {
        Endpoint resolved = endpoint;
        if (resolved == null) {
            synchronized (this) {
                if (endpoint == null) {
                    String base = baseUrl.get();
                    while (base.endsWith("/")) {
                        base = base.substring(0, base.length() - 1);
                    }
                    endpoint = camel.getEndpoint(componentName + ":" + base + "?throwExceptionOnFailure=false");
                }
                resolved = endpoint;
            }
        }
        return resolved;
    }

    private ProducerTemplate template() {
        ProducerTemplate resolved = template;
        if (resolved == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
                resolved = template;
            }
        }
        return resolved;
    }
}
