package io.skiplinobridge.sandbox.salesforce;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.salesforce.ChangeEventStream.ChangeEvent;
import io.skiplinobridge.sandbox.salesforce.ChangeEventStream.InvalidReplayIdException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The Streaming API's CometD (Bayeux long-polling) endpoint at {@code {instanceUrl}/cometd/{version}}, as
 * camel-salesforce's {@code subscribe:/data/ContactChangeEvent} consumer uses it: handshake with the
 * replay extension, connect (the first one answered at once, later ones held until an event is due or
 * {@code streaming-poll-timeout} passes), subscribe with a replay id per channel, unsubscribe, disconnect.
 */
@RestController
@ConditionalOnSandbox
@RequestMapping(SalesforceSandboxWebConfiguration.BASE_PATH + "/cometd/{version:\\d+\\.\\d+}")
class SalesforceStreamingController {

    private static final Pattern CHANGE_EVENT_CHANNEL = Pattern.compile("/data/(\\w+ChangeEvent|ChangeEvents)");
    private static final TypeReference<List<Map<String, Object>>> MESSAGES = new TypeReference<>() { };

    private final SalesforceSandboxAuth auth;
    private final ChangeEventStream stream;
    private final long pollTimeoutMs;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong clientSequence = new AtomicLong();

    /** One CometD client: its subscriptions, the events due to it and its held connect, if any. */
    private static final class Session {
        final String clientId;
        final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
        final Deque<Map<String, Object>> due = new ArrayDeque<>();
        DeferredResult<ResponseEntity<byte[]>> heldConnect;
        List<Map<String, Object>> heldReplies;

        Session(String clientId) {
            this.clientId = clientId;
        }
    }

    SalesforceStreamingController(SalesforceSandboxAuth auth, ChangeEventStream stream,
                                  SalesforceSandboxProperties properties) {
        this.auth = auth;
        this.stream = stream;
        this.pollTimeoutMs = properties.streamingPollTimeout().toMillis();
        stream.onEvents(this::deliver);
    }

    @PostMapping({"", "/", "/handshake", "/connect", "/subscribe", "/unsubscribe", "/disconnect"})
    @SalesforceCall(value = "streaming", dataApi = false)
    DeferredResult<ResponseEntity<byte[]>> bayeux(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        DeferredResult<ResponseEntity<byte[]>> result = new DeferredResult<>(pollTimeoutMs + 5_000);
        List<Map<String, Object>> messages = parse(body);
        boolean authenticated = auth.isValid(SalesforceApiInterceptor.accessToken(request));
        List<Map<String, Object>> replies = new ArrayList<>();
        for (Map<String, Object> message : messages) {
            String channel = String.valueOf(message.get("channel"));
            if (!authenticated) {
                if ("/meta/handshake".equals(channel)) {
                    Map<String, Object> denied = reply(message, false);
                    denied.put("error", "403::Handshake denied");
                    denied.put("ext", Map.of("sfdc", Map.of("failureReason", "401::Authentication invalid")));
                    denied.put("advice", Map.of("reconnect", "none"));
                    result.setResult(respond(403, List.of(denied)));
                    return result;
                }
                Map<String, Object> refused = reply(message, false);
                refused.put("error", "401::Authentication invalid");
                refused.put("advice", Map.of("reconnect", "handshake", "interval", 0));
                replies.add(refused);
                continue;
            }
            switch (channel) {
                case "/meta/handshake" -> replies.add(handshake(message));
                case "/meta/connect" -> {
                    if (connect(message, replies, result)) {
                        return result;
                    }
                }
                case "/meta/subscribe" -> replies.add(subscribe(message));
                case "/meta/unsubscribe" -> replies.add(unsubscribe(message));
                case "/meta/disconnect" -> replies.add(disconnect(message));
                default -> {
                    Map<String, Object> unsupported = reply(message, false);
                    unsupported.put("error", "403::Publishing is not supported by the sandbox");
                    replies.add(unsupported);
                }
            }
        }
        result.setResult(respond(200, replies));
        return result;
    }

    /** Whether this client has a connect held open right now. */
    boolean isConnectHeld(String clientId) {
        Session session = sessions.get(clientId);
        if (session == null) {
            return false;
        }
        synchronized (session) {
            return session.heldConnect != null;
        }
    }

    /** How many clients are subscribed to this channel right now. */
    long subscribers(String channel) {
        return sessions.values().stream().filter(session -> session.subscriptions.contains(channel)).count();
    }

    /** Empties every session and forgets every client, as after a reset. */
    void clear() {
        sessions.values().forEach(this::release);
        sessions.clear();
    }

    private Map<String, Object> handshake(Map<String, Object> message) {
        Session session = new Session("sandbox-client-" + clientSequence.incrementAndGet());
        sessions.put(session.clientId, session);
        Map<String, Object> reply = reply(message, true);
        reply.put("clientId", session.clientId);
        reply.put("version", "1.0");
        reply.put("supportedConnectionTypes", List.of("long-polling"));
        reply.put("ext", Map.of("replay", true));
        reply.put("advice", advice());
        return reply;
    }

    /** Answers the connect now, or holds it; true when it is held (the result completes later). */
    private boolean connect(Map<String, Object> message, List<Map<String, Object>> replies,
                            DeferredResult<ResponseEntity<byte[]>> result) {
        Session session = sessions.get(String.valueOf(message.get("clientId")));
        if (session == null) {
            replies.add(unknownClient(message));
            return false;
        }
        boolean immediate = message.get("advice") instanceof Map<?, ?> advice
                && advice.get("timeout") instanceof Number timeout && timeout.longValue() == 0;
        Map<String, Object> connected = reply(message, true);
        connected.put("clientId", session.clientId);
        connected.put("advice", advice());
        synchronized (session) {
            release(session);
            if (immediate || !session.due.isEmpty()) {
                drain(session, replies);
                replies.add(connected);
                result.setResult(respond(200, replies));
                return true;
            }
            List<Map<String, Object>> held = new ArrayList<>(replies);
            held.add(connected);
            session.heldConnect = result;
            session.heldReplies = held;
            result.onTimeout(() -> answerHeld(session, result));
            return true;
        }
    }

    private Map<String, Object> subscribe(Map<String, Object> message) {
        Session session = sessions.get(String.valueOf(message.get("clientId")));
        if (session == null) {
            return unknownClient(message);
        }
        String channel = String.valueOf(message.get("subscription"));
        Map<String, Object> reply = reply(message, true);
        reply.put("clientId", session.clientId);
        reply.put("subscription", channel);
        if (!CHANGE_EVENT_CHANNEL.matcher(channel).matches()) {
            reply.put("successful", false);
            reply.put("error", "400::The channel you requested to subscribe to does not exist {" + channel + "}");
            return reply;
        }
        try {
            List<ChangeEvent> replayed = stream.replay(channel, requestedReplayId(message, channel));
            synchronized (session) {
                session.subscriptions.add(channel);
                replayed.forEach(event -> session.due.addLast(eventMessage(channel, event)));
                // the client subscribes while its connect is held: replayed events must not wait for the poll timeout
                if (session.heldConnect != null && !session.due.isEmpty()) {
                    answerHeld(session, session.heldConnect);
                }
            }
        } catch (InvalidReplayIdException invalid) {
            reply.put("successful", false);
            reply.put("error", invalid.getMessage());
        }
        return reply;
    }

    private Map<String, Object> unsubscribe(Map<String, Object> message) {
        Session session = sessions.get(String.valueOf(message.get("clientId")));
        if (session == null) {
            return unknownClient(message);
        }
        session.subscriptions.remove(String.valueOf(message.get("subscription")));
        Map<String, Object> reply = reply(message, true);
        reply.put("clientId", session.clientId);
        reply.put("subscription", message.get("subscription"));
        return reply;
    }

    private Map<String, Object> disconnect(Map<String, Object> message) {
        Session session = sessions.remove(String.valueOf(message.get("clientId")));
        if (session != null) {
            release(session);
        }
        Map<String, Object> reply = reply(message, true);
        reply.put("clientId", message.get("clientId"));
        return reply;
    }

    private void deliver(List<ChangeEvent> events) {
        for (Session session : sessions.values()) {
            synchronized (session) {
                for (ChangeEvent event : events) {
                    for (String channel : session.subscriptions) {
                        if (ChangeEventStream.matches(channel, event)) {
                            session.due.addLast(eventMessage(channel, event));
                        }
                    }
                }
                if (session.heldConnect != null && !session.due.isEmpty()) {
                    answerHeld(session, session.heldConnect);
                }
            }
        }
    }

    private void answerHeld(Session session, DeferredResult<ResponseEntity<byte[]>> held) {
        synchronized (session) {
            if (session.heldConnect != held) {
                return;
            }
            List<Map<String, Object>> replies = new ArrayList<>();
            drain(session, replies);
            replies.addAll(session.heldReplies);
            session.heldConnect = null;
            session.heldReplies = null;
            held.setResult(respond(200, replies));
        }
    }

    /** Answers a held connect without events, e.g. when the client connects again or disconnects. */
    private void release(Session session) {
        synchronized (session) {
            if (session.heldConnect != null) {
                DeferredResult<ResponseEntity<byte[]>> held = session.heldConnect;
                List<Map<String, Object>> replies = session.heldReplies;
                session.heldConnect = null;
                session.heldReplies = null;
                held.setResult(respond(200, replies));
            }
        }
    }

    private static void drain(Session session, List<Map<String, Object>> replies) {
        while (!session.due.isEmpty()) {
            replies.add(session.due.removeFirst());
        }
    }

    private static long requestedReplayId(Map<String, Object> message, String channel) {
        if (message.get("ext") instanceof Map<?, ?> ext && ext.get("replay") instanceof Map<?, ?> replay) {
            Object id = replay.get(channel);
            if (id instanceof Number number) {
                return number.longValue();
            }
            if (id instanceof String text) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException notANumber) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static Map<String, Object> eventMessage(String channel, ChangeEvent event) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("channel", channel);
        message.put("data", event.data());
        return message;
    }

    private Map<String, Object> advice() {
        return Map.of("reconnect", "retry", "interval", 0, "timeout", pollTimeoutMs);
    }

    private static Map<String, Object> unknownClient(Map<String, Object> message) {
        Map<String, Object> reply = reply(message, false);
        reply.put("error", "403::Unknown client");
        reply.put("advice", Map.of("reconnect", "handshake", "interval", 0));
        return reply;
    }

    private static Map<String, Object> reply(Map<String, Object> message, boolean successful) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("channel", message.get("channel"));
        if (message.get("id") != null) {
            reply.put("id", message.get("id"));
        }
        if (message.get("clientId") != null) {
            reply.put("clientId", message.get("clientId"));
        }
        reply.put("successful", successful);
        return reply;
    }

    private static List<Map<String, Object>> parse(byte[] body) {
        try {
            if (body == null || body.length == 0) {
                return List.of();
            }
            return body[0] == '['
                    ? SalesforceJson.MAPPER.readValue(body, MESSAGES)
                    : List.of(SalesforceJson.readObject(body));
        } catch (IOException notBayeux) {
            throw new SalesforceApiException(400, "JSON_PARSER_ERROR", "not a Bayeux message array");
        }
    }

    private static ResponseEntity<byte[]> respond(int status, List<Map<String, Object>> messages) {
        try {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                    .body(SalesforceJson.MAPPER.writeValueAsBytes(messages));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write Bayeux messages", e);
        }
    }
}
