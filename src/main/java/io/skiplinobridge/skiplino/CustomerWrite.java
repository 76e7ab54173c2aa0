package io.skiplinobridge.skiplino;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code POST /customers/create}. Every field is optional for Skiplino; unset (null) fields are
 * left out of the request. Send {@code externalId}: it makes create safe to retry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerWrite(
        String externalId,
        String name,
        String email,
        String mobile,
        Map<String, Object> metadata) {
}
