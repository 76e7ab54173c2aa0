package io.skiplinobridge.sync;

import java.util.Map;

/**
 * A customer exactly as the bridge wants Skiplino to hold it: normalised, validated, with the full
 * metadata object (Skiplino replaces metadata wholesale). A null field means "no value".
 */
public record MappedCustomer(String externalId, String name, String email, String mobile,
                             Map<String, Object> metadata) {

    public MappedCustomer {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** Hash of the content Skiplino would hold; equal hashes mean nothing to send. */
    public String contentHash() {
        return ContentHash.of(externalId, name, email, mobile, metadata);
    }
}
