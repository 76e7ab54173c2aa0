package io.skiplinobridge.sync;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * SHA-256 over a canonical JSON form of a customer's Skiplino content. Empty values count as
 * absent, because Skiplino does not store empty fields; object keys are sorted at every depth. The same
 * function hashes a payload we are about to send and a customer read back from Skiplino, so the two
 * compare equal exactly when Skiplino already holds what we would send.
 */
public final class ContentHash {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ContentHash() {
    }

    public static String of(String externalId, String name, String email, String mobile, Map<String, ?> metadata) {
        Map<String, Object> content = new LinkedHashMap<>();
        putIfPresent(content, "externalId", externalId);
        putIfPresent(content, "name", name);
        putIfPresent(content, "email", email);
        putIfPresent(content, "mobile", mobile);
        if (metadata != null && !metadata.isEmpty()) {
            content.put("metadata", metadata);
        }
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(content);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash customer content", e);
        }
    }

    private static void putIfPresent(Map<String, Object> content, String key, String value) {
        if (value != null && !value.isEmpty()) {
            content.put(key, value);
        }
    }
}
