package io.skiplinobridge.crm;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A Standard Webhooks signing secret: written {@code whsec_<base64>}, the HMAC-SHA256 key being the
 * base64-decoded part. The spec asks for 24 to 64 random bytes. The key never appears in
 * {@link #toString()} or in an exception message.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;
    private static final int GENERATED_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /**
     * Reads a secret written {@code whsec_<base64>}.
     *
     * @throws InvalidWebhookSecretException saying what is wrong, without quoting the secret
     */
    public static WebhookSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new InvalidWebhookSecretException("does not start with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // the decoder's message quotes the offending character: not repeated here
            throw new InvalidWebhookSecretException("is not valid base64 after " + PREFIX);
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new InvalidWebhookSecretException("decodes to " + key.length + " bytes; a Standard Webhooks secret has "
                    + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " random bytes");
        }
        return new WebhookSecret(key);
    }

    /** A new secret of 32 bytes from a cryptographically strong random source. */
    public static WebhookSecret generate() {
        byte[] key = new byte[GENERATED_KEY_BYTES];
        RANDOM.nextBytes(key);
        return new WebhookSecret(key);
    }

    /** The secret written as {@code whsec_<base64>}, to hand to the other side. Treat it as a secret. */
    public String encoded() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "WebhookSecret[redacted]";
    }
}
