package io.skiplinobridge.sandbox.salesforce;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.skiplinobridge.sandbox.salesforce.SalesforceFaults.CallFault;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The sandbox's own JSON handling, independent of the application's Jackson settings, so its wire
 * format stays Salesforce's (null fields present, datetimes as {@code 2026-11-26T10:00:00.000+0000}).
 * Records are streamed to the response: a control call may return 200,000 of them.
 */
final class SalesforceJson {

    static final String CONTENT_TYPE = "application/json;charset=UTF-8";
    static final String DEFAULT_API_VERSION = "59.0";
    /** Request attribute: the {@link CallFault} that spoils this call's answer after it was applied. */
    static final String CALL_FAULT = SalesforceJson.class.getName() + ".callFault";
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private SalesforceJson() {
    }

    static Map<String, Object> readObject(byte[] body) {
        try {
            if (body == null || body.length == 0) {
                throw new SalesforceApiException(400, "JSON_PARSER_ERROR", "The request body is empty");
            }
            return MAPPER.readValue(body, new TypeReference<Map<String, Object>>() { });
        } catch (IOException notAnObject) {
            throw new SalesforceApiException(400, "JSON_PARSER_ERROR",
                    "The request body is not a JSON object: " + firstLine(notAnObject.getMessage()));
        }
    }

    static void respond(HttpServletResponse response, int status, Body body) {
        CallFault fault = takeCallFault();
        if (fault != null) {
            spoil(response, status, body, fault);
            return;
        }
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        try (OutputStream out = response.getOutputStream();
             JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fault armed for this request's answer by {@link SalesforceApiInterceptor}, consumed here. */
    private static CallFault takeCallFault() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                && attributes.getRequest().getAttribute(CALL_FAULT) instanceof CallFault fault) {
            attributes.getRequest().removeAttribute(CALL_FAULT);
            return fault;
        }
        return null;
    }

    /** The call was applied; its answer is held, cut off, replaced or spoilt as the fault says. */
    private static void spoil(HttpServletResponse response, int status, Body body, CallFault fault) {
        ByteArrayOutputStream full = new ByteArrayOutputStream();
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(full)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            switch (fault.fault()) {
                case TIMEOUT -> {
                    try {
                        Thread.sleep(fault.delayMs());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    write(response, status, CONTENT_TYPE, full.toByteArray());
                }
                case CONNECTION_RESET -> resetConnection();
                case MALFORMED_JSON -> write(response, 200, CONTENT_TYPE,
                        "{\"done\" true, \"records\": [}".getBytes(StandardCharsets.UTF_8));
                case TRUNCATED_JSON -> write(response, 200, CONTENT_TYPE,
                        Arrays.copyOf(full.toByteArray(), full.size() / 2));
                case HTML_PAGE_200 -> html(response, 200, "Service temporarily unavailable");
                default -> throw new IllegalStateException("answered before applying: " + fault.fault());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A gateway's HTML page. */
    static void html(HttpServletResponse response, int status, String title) {
        try {
            write(response, status, "text/html;charset=UTF-8", ("<!DOCTYPE html><html><head><title>" + title
                    + "</title></head><body><h1>" + title + "</h1><p>Please try again later.</p></body></html>")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] bytes)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** A real TCP reset: linger 0 on the connection's socket, then close it. */
    private static void resetConnection() throws IOException {
        HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(request)
                .getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint instanceof SocketChannelEndPoint socket) {
            socket.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        endPoint.close();
    }

    static void respond(HttpServletResponse response, int status, Object value) {
        respond(response, status, json -> json.writeObject(value));
    }

    static void errors(HttpServletResponse response, int status, String errorCode, String message, List<String> fields) {
        respond(response, status, List.of(Map.of("message", message, "errorCode", errorCode, "fields", fields)));
    }

    /** One record: {@code attributes}, then the given fields in order, {@code null} for unset ones. */
    static void writeRecord(JsonGenerator json, SObjectRecord record, Collection<String> fields, String apiVersion)
            throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("attributes");
        json.writeStringField("type", record.type());
        json.writeStringField("url", "/services/data/v" + apiVersion + "/sobjects/" + record.type() + "/" + record.id());
        json.writeEndObject();
        for (String field : fields) {
            json.writeFieldName(field);
            writeValue(json, record.value(field));
        }
        json.writeEndObject();
    }

    /** Scalars are written directly: {@code writeObject} would flush the response after every value. */
    static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Instant instant) {
            json.writeString(SalesforceDateTimes.format(instant));
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal decimal) {
            json.writeNumber(decimal);
        } else if (value instanceof Double || value instanceof Float) {
            json.writeNumber(((Number) value).doubleValue());
        } else {
            json.writeString(value.toString());
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
