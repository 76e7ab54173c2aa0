package io.skiplinobridge.skiplino;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code POST /tickets/{id}/change-time}: the new time plus exactly one customer identifier,
 * which must match the appointment's customer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeTimeRequest(
        @SkiplinoTimeFormat Instant time,
        String customerId,
        String customerExternalId) {

    public static ChangeTimeRequest forCustomerId(Instant time, String customerId) {
        return new ChangeTimeRequest(time, customerId, null);
    }

    public static ChangeTimeRequest forCustomerExternalId(Instant time, String customerExternalId) {
        return new ChangeTimeRequest(time, null, customerExternalId);
    }
}
