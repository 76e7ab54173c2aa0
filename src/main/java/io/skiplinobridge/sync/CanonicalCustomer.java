package io.skiplinobridge.sync;

import java.util.Map;

/**
 * A CRM customer in the bridge's own vocabulary, whatever CRM it came from: the full current state
 * of the record. A null or missing field means the CRM holds no value for it.
 */
public record CanonicalCustomer(String externalId, String name, String email, String mobile,
                                Map<String, Object> metadata) {

    public CanonicalCustomer {
        metadata = metadata == null ? Map.of() : metadata;
    }
}
