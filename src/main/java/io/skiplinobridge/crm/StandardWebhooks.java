package io.skiplinobridge.crm;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhooks with the <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>
 * symmetric scheme: {@code webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>}.
 *
 * <p>Several secrets may be held at once so that a secret can be rotated without downtime: signing
 * emits one {@code v1} signature per secret, verification accepts a message that any secret signed.
 * Signatures of other versions ({@code v1a} asymmetric ones, future versions) are skipped, as the spec
 * asks, so a sender may add them without breaking this receiver. Comparisons run in constant time.
 *
 * <p>Thread-safe; each thread reuses its own {@link Mac} instances.
 */
public final class StandardWebhooks {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** The tolerance the spec recommends between the timestamp header and the receiver's clock. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final String VERSION = "v1";
    private static final int MAX_TIMESTAMP_DIGITS = 18;

    private final List<SecretKeySpec> keys;
    private final Clock clock;
    private final long toleranceSeconds;
    private final ThreadLocal<Mac[]> macs;

    /**
     * @param secrets   the secrets to sign with or accept; may be empty (then nothing verifies)
     * @param clock     the clock timestamps are checked against
     * @param tolerance how far the timestamp header may be from the clock, in both directions
     */
    public StandardWebhooks(List<WebhookSecret> secrets, Clock clock, Duration tolerance) {
        this.keys = secrets.stream().map(secret -> new SecretKeySpec(secret.key(), HMAC_SHA256)).toList();
        this.clock = clock;
        this.toleranceSeconds = tolerance.toSeconds();
        this.macs = ThreadLocal.withInitial(this::newMacs);
    }

    public StandardWebhooks(List<WebhookSecret> secrets, Clock clock) {
        this(secrets, clock, DEFAULT_TOLERANCE);
    }

    public boolean hasSecrets() {
        return !keys.isEmpty();
    }

    /**
     * The {@code webhook-signature} value for a message: one {@code v1} signature per secret,
     * space-separated.
     *
     * @param id        the {@code webhook-id}: the same for every delivery attempt of one message
     * @param timestamp the {@code webhook-timestamp} (unix seconds) of this delivery attempt
     * @param body      the exact bytes sent as the body
     */
    public String sign(String id, long timestamp, byte[] body) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("no webhook secret to sign with");
        }
        byte[][] signatures = compute(id, Long.toString(timestamp), body);
        StringBuilder header = new StringBuilder();
        for (byte[] signature : signatures) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append(VERSION).append(',').append(new String(signature, StandardCharsets.US_ASCII));
        }
        return header.toString();
    }

    /** The three Standard Webhooks headers for a message delivered now. */
    public Map<String, String> headers(String id, byte[] body) {
        long now = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, id);
        headers.put(TIMESTAMP_HEADER, Long.toString(now));
        headers.put(SIGNATURE_HEADER, sign(id, now, body));
        return headers;
    }

    /**
     * Checks a received message. The header values are passed as received (null when absent).
     *
     * @return {@link Verification#VALID} or the first reason the message is not authentic
     */
    public Verification verify(String id, String timestamp, String signatures, byte[] body) {
        if (keys.isEmpty()) {
            return Verification.NO_SECRETS;
        }
        if (isBlank(id) || isBlank(timestamp) || isBlank(signatures)) {
            return Verification.MISSING_HEADERS;
        }
        String seconds = timestamp.strip();
        if (!isUnsignedInteger(seconds)) {
            return Verification.INVALID_TIMESTAMP;
        }
        long age = clock.instant().getEpochSecond() - Long.parseLong(seconds);
        if (age > toleranceSeconds) {
            return Verification.TIMESTAMP_TOO_OLD;
        }
        if (age < -toleranceSeconds) {
            return Verification.TIMESTAMP_TOO_NEW;
        }
        // the signed content uses the timestamp exactly as the sender wrote it
        byte[][] expected = compute(id, seconds, body);
        for (String entry : signatures.split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !VERSION.equals(entry.substring(0, comma))) {
                continue;
            }
            byte[] candidate = entry.substring(comma + 1).getBytes(StandardCharsets.ISO_8859_1);
            for (byte[] signature : expected) {
                if (MessageDigest.isEqual(signature, candidate)) {
                    return Verification.VALID;
                }
            }
        }
        return Verification.NO_MATCHING_SIGNATURE;
    }

    /** The base64 signature of each key over {@code {id}.{timestamp}.{body}}, as ASCII bytes. */
    private byte[][] compute(String id, String timestamp, byte[] body) {
        byte[] prefix = (id + '.' + timestamp + '.').getBytes(StandardCharsets.UTF_8);
        Mac[] perKey = macs.get();
        byte[][] signatures = new byte[perKey.length][];
        for (int i = 0; i < perKey.length; i++) {
            Mac mac = perKey[i];
            mac.update(prefix);
            signatures[i] = Base64.getEncoder().encode(mac.doFinal(body));
        }
        return signatures;
    }

    private Mac[] newMacs() {
        Mac[] perKey = new Mac[keys.size()];
        try {
            for (int i = 0; i < perKey.length; i++) {
                perKey[i] = Mac.getInstance(HMAC_SHA256);
                perKey[i].init(keys.get(i));
            }
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
        return perKey;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static boolean isUnsignedInteger(String value) {
        if (value.isEmpty() || value.length() > MAX_TIMESTAMP_DIGITS) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The outcome of {@link #verify}. */
    public enum Verification {
        /** A {@code v1} signature matched one of the secrets, within the tolerance. */
        VALID,
        /** No secret is configured, so nothing can be verified. */
        NO_SECRETS,
        /** {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} is absent or blank. */
        MISSING_HEADERS,
        /** {@code webhook-timestamp} is not an integer number of unix seconds. */
        INVALID_TIMESTAMP,
        /** {@code webhook-timestamp} is older than the tolerance (a replay, or a sender clock behind). */
        TIMESTAMP_TOO_OLD,
        /** {@code webhook-timestamp} is further in the future than the tolerance (a sender clock ahead). */
        TIMESTAMP_TOO_NEW,
        /** No {@code v1} signature matched any secret. */
        NO_MATCHING_SIGNATURE;

        public boolean valid() {
            return this == VALID;
        }
    }
}
