package io.skiplinobridge.skiplino;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Body of {@code PUT /customers/update}: a partial update, where only the fields sent change.
 *
 * <p>Each field has three states, because how Skiplino clears a field is not documented (DESIGN §6)
 * and the sync engine picks one by configuration:
 * <ul>
 *   <li>not set: the field is left out and Skiplino keeps its value;</li>
 *   <li>set to {@code null}: sent as JSON {@code null};</li>
 *   <li>set to a value, {@code ""} included: sent as is.</li>
 * </ul>
 * Immutable: every {@code with…} returns a new update.
 */
public final class CustomerUpdate {

    private static final String ID = "id";
    private static final String EXTERNAL_ID = "externalId";

    private final Map<String, Object> fields;

    private CustomerUpdate(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** Locates the customer by the CRM's externalId (it must exist). */
    public static CustomerUpdate byExternalId(String externalId) {
        return new CustomerUpdate(Map.of()).with(EXTERNAL_ID, requireText(externalId, EXTERNAL_ID));
    }

    /** Locates the customer by Skiplino's {@code _id}; {@link #withNewExternalId} can then change its externalId. */
    public static CustomerUpdate byId(String id) {
        return new CustomerUpdate(Map.of()).with(ID, requireText(id, ID));
    }

    /** Gives the customer located by id a new (company-unique) externalId. */
    public CustomerUpdate withNewExternalId(String externalId) {
        if (!fields.containsKey(ID)) {
            throw new IllegalStateException("a new externalId can only be set on an update located by id");
        }
        return with(EXTERNAL_ID, requireText(externalId, EXTERNAL_ID));
    }

    public CustomerUpdate withName(String name) {
        return with("name", name);
    }

    public CustomerUpdate withEmail(String email) {
        return with("email", email);
    }

    public CustomerUpdate withMobile(String mobile) {
        return with("mobile", mobile);
    }

    /** Replaces the whole metadata object (Skiplino does not merge it); {@code null} is sent as null. */
    public CustomerUpdate withMetadata(Map<String, ?> metadata) {
        return with("metadata", metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata)));
    }

    /** The JSON body: exactly the fields set, in the order they were set, explicit nulls included. */
    @JsonValue
    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    private CustomerUpdate with(String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(field, value);
        return new CustomerUpdate(copy);
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CustomerUpdate update && fields.equals(update.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields);
    }

    @Override
    public String toString() {
        return "CustomerUpdate" + fields;
    }
}
