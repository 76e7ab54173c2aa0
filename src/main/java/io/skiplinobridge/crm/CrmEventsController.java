package io.skiplinobridge.crm;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.crm.StandardWebhooks.Verification;
import io.skiplinobridge.crm.WebhookRejection.FieldProblem;
import io.skiplinobridge.crm.WebhookRejection.Reason;
import io.skiplinobridge.sync.AppendResult;
import io.skiplinobridge.sync.CustomerChange;
import io.skiplinobridge.sync.InboxStore;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/crm/events}: customer changes pushed by any CRM, signed with Standard Webhooks
 * (DESIGN.md §4.2). A request is checked in this order, and the first failed check answers:
 * <ol>
 *   <li>size: a declared {@code Content-Length} over 1 MiB is refused before anything is kept, and a
 *       body without one is kept only up to the limit (413; up to 8 MiB more is read and discarded so
 *       the sender can read the answer, past that the connection is closed);</li>
 *   <li>signature, over the raw body (401): nothing about the content is looked at before the sender
 *       is known;</li>
 *   <li>media type: JSON in UTF-8, not compressed (415);</li>
 *   <li>JSON syntax and parser limits (400), then the events themselves (422);</li>
 *   <li>the durable store: 202 only once the whole batch is committed, 503 when the store cannot be
 *       reached (nothing stored, safe to retry).</li>
 * </ol>
 */
@RestController
@ConditionalOnFlows
class CrmEventsController {

    static final String PATH = "/api/crm/events";
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Of an oversized body, this much more is read and discarded so that the sender can read the 413. */
    static final long MAX_SWALLOWED_BYTES = 8L * 1024 * 1024;
    static final int MAX_LOGGED_EVENTS = 50;
    static final String RETRY_AFTER_SECONDS = "5";
    private static final URI INSTANCE = URI.create(PATH);
    private static final int MAX_LOGGED_TEXT = 200;
    private static final Logger log = LoggerFactory.getLogger(CrmEventsController.class);

    private final StandardWebhooks signatures;
    private final CrmEventReader reader;
    private final InboxStore inbox;
    private final WebhookMetrics metrics;
    private final long toleranceSeconds;

    CrmEventsController(@Qualifier("crmWebhookSignatures") StandardWebhooks signatures, CrmEventReader reader,
                        InboxStore inbox, WebhookMetrics metrics, WebhookProperties properties) {
        this.signatures = signatures;
        this.reader = reader;
        this.inbox = inbox;
        this.metrics = metrics;
        this.toleranceSeconds = properties.timestampTolerance().toSeconds();
    }

    @PostMapping(PATH)
    ResponseEntity<EventsAccepted> receive(HttpServletRequest request) {
        byte[] body = readBody(request);
        authenticate(request, body);
        requireJson(request);
        List<CustomerChange> changes = reader.read(body);
        AppendResult stored = store(changes);
        metrics.stored(stored);
        log.info("POST {} webhook-id={}: 202 accepted={} duplicates={} events=[{}]", PATH,
                logSafe(request.getHeader(StandardWebhooks.ID_HEADER)), stored.accepted(), stored.duplicates(),
                describe(changes));
        return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON)
                .body(new EventsAccepted(stored.accepted(), stored.duplicates()));
    }

    @ExceptionHandler(WebhookRejection.class)
    ResponseEntity<ProblemDetail> rejected(WebhookRejection rejection, HttpServletRequest request) {
        Reason reason = rejection.reason();
        metrics.rejected(reason);
        log.info("POST {} webhook-id={}: {} {}: {}{}", PATH, logSafe(request.getHeader(StandardWebhooks.ID_HEADER)),
                reason.status().value(), reason.tag(), logSafe(rejection.getMessage()), pointers(rejection.errors()));

        ProblemDetail problem = ProblemDetail.forStatusAndDetail(reason.status(), rejection.getMessage());
        problem.setInstance(INSTANCE);
        problem.setProperty("reason", reason.tag());
        if (!rejection.errors().isEmpty()) {
            problem.setProperty("errors", rejection.errors());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(reason.status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (reason == Reason.STORE_UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response.body(problem);
    }

    private static byte[] readBody(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            // the sender waits for a go-ahead before sending the body: answered before the input stream is
            // touched (which would send "100 Continue"), it gets the 413 and sends nothing
            throw tooLarge();
        }
        try {
            InputStream in = request.getInputStream();
            if (declared > MAX_BODY_BYTES) {
                throw tooLarge(in);
            }
            if (declared >= 0) {
                byte[] body = new byte[(int) declared];
                if (in.readNBytes(body, 0, body.length) < body.length) {
                    throw new WebhookRejection(Reason.UNREADABLE_BODY, "The body ended before its Content-Length.");
                }
                return body;
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge(in);
            }
            return body;
        } catch (IOException e) {
            throw new WebhookRejection(Reason.UNREADABLE_BODY, "The body could not be read completely.");
        }
    }

    /**
     * The 413 for an oversized body, after reading and discarding up to {@link #MAX_SWALLOWED_BYTES} more of
     * it (nothing is kept): a client that writes its whole body before reading the answer then gets the 413
     * instead of a connection reset. Past that much, the connection is closed under the sender.
     */
    private static WebhookRejection tooLarge(InputStream in) {
        try {
            long left = MAX_SWALLOWED_BYTES;
            long skipped;
            while (left > 0 && (skipped = in.skip(left)) > 0) {
                left -= skipped;
            }
        } catch (IOException e) {
            // the sender went away: the answer will not reach it anyway
        }
        return tooLarge();
    }

    private static WebhookRejection tooLarge() {
        return new WebhookRejection(Reason.PAYLOAD_TOO_LARGE, "The body is larger than " + MAX_BODY_BYTES
                + " bytes (1 MiB); send at most " + CrmEventReader.MAX_EVENTS + " events per request and split larger batches.");
    }

    private void authenticate(HttpServletRequest request, byte[] body) {
        Verification verification = signatures.verify(request.getHeader(StandardWebhooks.ID_HEADER),
                request.getHeader(StandardWebhooks.TIMESTAMP_HEADER), request.getHeader(StandardWebhooks.SIGNATURE_HEADER),
                body);
        switch (verification) {
            case VALID -> {
            }
            case NO_SECRETS -> throw new WebhookRejection(Reason.NO_SECRET_CONFIGURED,
                    "The bridge has no webhook secret configured, so no request can be verified.");
            case MISSING_HEADERS -> throw new WebhookRejection(Reason.MISSING_SIGNATURE,
                    "The webhook-id, webhook-timestamp and webhook-signature headers are required.");
            case INVALID_TIMESTAMP -> throw new WebhookRejection(Reason.INVALID_TIMESTAMP,
                    "webhook-timestamp must be an integer number of unix seconds.");
            case TIMESTAMP_TOO_OLD -> throw new WebhookRejection(Reason.STALE_TIMESTAMP, "webhook-timestamp is more than "
                    + toleranceSeconds + " s before the bridge clock; sign each delivery attempt with the current time.");
            case TIMESTAMP_TOO_NEW -> throw new WebhookRejection(Reason.STALE_TIMESTAMP, "webhook-timestamp is more than "
                    + toleranceSeconds + " s after the bridge clock; check the sender's clock.");
            case NO_MATCHING_SIGNATURE -> throw new WebhookRejection(Reason.INVALID_SIGNATURE,
                    "No v1 signature in webhook-signature matches: check the secret, and sign the exact body bytes as "
                            + "{webhook-id}.{webhook-timestamp}.{body}.");
        }
    }

    private static void requireJson(HttpServletRequest request) {
        String contentType = request.getContentType();
        MediaType type = null;
        if (contentType != null) {
            try {
                type = MediaType.parseMediaType(contentType);
            } catch (InvalidMediaTypeException e) {
                // answered below like any other non-JSON type
            }
        }
        boolean json = type != null && "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        if (!json) {
            throw new WebhookRejection(Reason.UNSUPPORTED_MEDIA_TYPE, "The body must be JSON: Content-Type "
                    + (contentType == null ? "is missing" : "is " + logSafe(contentType)) + ", expected application/json.");
        }
        if (type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset())) {
            throw new WebhookRejection(Reason.UNSUPPORTED_MEDIA_TYPE,
                    "The body must be UTF-8 JSON: charset " + type.getCharset().name() + " is not accepted.");
        }
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
            throw new WebhookRejection(Reason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Encoding " + logSafe(encoding) + " is not accepted: send the body uncompressed.");
        }
    }

    private AppendResult store(List<CustomerChange> changes) {
        try {
            return inbox.append(changes);
        } catch (DataAccessException | TransactionException e) {
            log.warn("POST {}: the change store is unavailable ({}: {})", PATH, e.getClass().getSimpleName(),
                    logSafe(String.valueOf(e.getMostSpecificCause().getMessage())));
            throw new WebhookRejection(Reason.STORE_UNAVAILABLE,
                    "The change store is unavailable; nothing was stored. Retry later: a retry is safe.");
        }
    }

    private static String describe(List<CustomerChange> changes) {
        String listed = changes.stream().limit(MAX_LOGGED_EVENTS)
                .map(c -> logSafe(c.eventId()) + " " + c.type().name().toLowerCase(Locale.ROOT) + " " + logSafe(c.externalId()))
                .collect(Collectors.joining(", "));
        return changes.size() > MAX_LOGGED_EVENTS
                ? listed + ", and " + (changes.size() - MAX_LOGGED_EVENTS) + " more" : listed;
    }

    private static String pointers(List<FieldProblem> errors) {
        if (errors.isEmpty()) {
            return "";
        }
        return " at " + errors.stream().map(e -> logSafe(e.pointer())).collect(Collectors.joining(", "));
    }

    /**
     * Client-supplied text made safe for a log line: no line breaks or other control and format
     * characters (no forged log lines), bounded length.
     */
    static String logSafe(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LOGGED_TEXT));
        for (int i = 0; i < text.length() && i < MAX_LOGGED_TEXT; i++) {
            char c = text.charAt(i);
            int category = Character.getType(c);
            safe.append(Character.isISOControl(c) || category == Character.FORMAT ? '?' : c);
        }
        if (text.length() > MAX_LOGGED_TEXT) {
            safe.append("...");
        }
        return safe.toString();
    }

    /** The 202 body. */
    record EventsAccepted(int accepted, int duplicates) {
    }
}
