package io.skiplinobridge.skiplino;

/**
 * Which customer a getOne, delete or ticket-history call is about: Skiplino's {@code _id} or the CRM's
 * {@code externalId}. Skiplino lets {@code id} win when both are sent.
 */
public record CustomerKey(String id, String externalId) {

    public CustomerKey {
        if (isBlank(id) && isBlank(externalId)) {
            throw new IllegalArgumentException("a customer is identified by id or externalId; both are blank");
        }
    }

    public static CustomerKey byId(String id) {
        return new CustomerKey(id, null);
    }

    public static CustomerKey byExternalId(String externalId) {
        return new CustomerKey(null, externalId);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
