package io.skiplinobridge.sandbox.skiplino;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One customer as the sandbox holds it; absent optional fields are {@code null}. Never mutated once stored. */
record StoredCustomer(String id, String externalId, String companyId, String name, String email, String mobile,
                      ObjectNode metadata, Instant createdAt, Instant updatedAt) {

    CustomerView view() {
        return new CustomerView(id, externalId, companyId, name, email, mobile, metadata,
                SkiplinoTime.format(createdAt), SkiplinoTime.format(updatedAt));
    }
}
