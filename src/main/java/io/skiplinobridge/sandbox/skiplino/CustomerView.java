package io.skiplinobridge.sandbox.skiplino;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The documented Customer schema; fields that are not stored are absent, not {@code null}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"_id", "externalId", "companyId", "name", "email", "mobile", "metadata", "createdAt", "updatedAt"})
record CustomerView(@JsonProperty("_id") String id, String externalId, String companyId, String name, String email,
                    String mobile, ObjectNode metadata, String createdAt, String updatedAt) {
}
