package io.skiplinobridge.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The bearer token of the ops API (and of the booking API, which shares {@code BRIDGE_OPS_TOKEN}). Only
 * its SHA-256 digest is kept; a presented token is digested too and the digests are compared in
 * constant time, so neither the token's content nor its length leaks through timing. The token never
 * appears in {@link #toString()}.
 */
public final class OpsToken {

    /** Shortest token accepted from the configuration. */
    static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] digest;

    private OpsToken(byte[] digest) {
        this.digest = digest;
    }

    static OpsToken of(String token) {
        return new OpsToken(sha256(token));
    }

    /** No token: every request is refused. */
    static OpsToken none() {
        return new OpsToken(null);
    }

    /** 32 random bytes, hex-encoded. */
    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether any request can be accepted at all. */
    public boolean configured() {
        return digest != null;
    }

    /** True exactly when {@code authorization} is {@code Bearer <the token>} (scheme case-insensitive). */
    public boolean accepts(String authorization) {
        if (digest == null || authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(BEARER.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return digest == null ? "OpsToken[none]" : "OpsToken[redacted]";
    }
}
