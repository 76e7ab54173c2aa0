package io.skiplinobridge.sync;

/** A field of a customer that cannot be sent, and why. {@code field} is a JSON path such as {@code customer.email}. */
public record FieldError(String field, String message) {
}
