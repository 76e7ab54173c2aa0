package io.skiplinobridge.skiplino;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code POST /tickets/book}. Without {@code time} it books a walk-in (customer optional); with
 * {@code time} an appointment, which needs exactly one of {@code customerId} / {@code customerExternalId}.
 * Unset (null) fields are left out of the request. Skiplino validates the combination (422).
 *
 * @param time    a slot's time from {@link SkiplinoClient#slots}; sent as UTC with milliseconds and {@code Z}
 * @param options free-form booking answers, e.g. {@code {"accountType": "savings"}}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BookTicketRequest(
        String serviceId,
        String groupOfServiceId,
        @SkiplinoTimeFormat Instant time,
        String customerId,
        String customerExternalId,
        Map<String, Object> options,
        Location location) {

    /** {@code lat} in -90..90, {@code lng} in -180..180; Skiplino needs both when a location is sent. */
    public record Location(double lat, double lng) {
    }

    public static BookTicketRequest walkIn(String serviceId, String groupOfServiceId) {
        return new BookTicketRequest(serviceId, groupOfServiceId, null, null, null, null, null);
    }

    /** An appointment for the customer with this CRM id (no lookup of the Skiplino id needed). */
    public static BookTicketRequest appointment(String serviceId, String groupOfServiceId, Instant time,
            String customerExternalId) {
        return new BookTicketRequest(serviceId, groupOfServiceId, time, null, customerExternalId, null, null);
    }

    public BookTicketRequest withCustomerId(String id) {
        return new BookTicketRequest(serviceId, groupOfServiceId, time, id, customerExternalId, options, location);
    }

    public BookTicketRequest withCustomerExternalId(String externalId) {
        return new BookTicketRequest(serviceId, groupOfServiceId, time, customerId, externalId, options, location);
    }

    public BookTicketRequest withOptions(Map<String, Object> bookingOptions) {
        return new BookTicketRequest(serviceId, groupOfServiceId, time, customerId, customerExternalId,
                bookingOptions, location);
    }

    public BookTicketRequest withLocation(double lat, double lng) {
        return new BookTicketRequest(serviceId, groupOfServiceId, time, customerId, customerExternalId, options,
                new Location(lat, lng));
    }
}
