package io.skiplinobridge.sandbox.skiplino;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.skiplino.CustomerPatch.Change;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Email;

import org.springframework.stereotype.Component;

/**
 * Reads and validates the customer fields of a create or update body. Skiplino's validation rules
 * are not documented; the sandbox's are:
 *
 * <ul>
 *   <li>{@code externalId}, {@code name}: strings of at most 255 characters;</li>
 *   <li>{@code email}: at most 254 characters, a valid address per Hibernate Validator's {@code @Email}
 *       with a dot in the domain;</li>
 *   <li>{@code mobile}: E.164 as written ({@code +} and 8 to 15 digits, no spaces) and a valid number
 *       for its country per libphonenumber;</li>
 *   <li>{@code metadata}: a JSON object; an empty object counts as empty;</li>
 *   <li>{@code null} clears a field on update; {@code ""} clears it too unless
 *       {@code empty-string-on-update} is {@code ignore}. Empty values are never stored (stated).</li>
 * </ul>
 * Every broken field is reported at once, under its own name.
 */
@Component
@ConditionalOnSandbox
class CustomerFieldRules {

    static final int MAX_TEXT = 255;
    static final int MAX_EMAIL = 254;
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{7,14}");
    static final String MOBILE_MESSAGE = "The mobile must be a valid phone number in E.164 format, e.g. +97333445566.";
    static final String EMAIL_MESSAGE = "The email must be a valid email address.";

    private final Validator validator;
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final SkiplinoSandboxProperties properties;

    CustomerFieldRules(Validator validator, SkiplinoSandboxProperties properties) {
        this.validator = validator;
        this.properties = properties;
    }

    /** The fields of a create body: absent and empty values are simply not stored. */
    CustomerPatch forCreate(ObjectNode body) {
        return read(body, true);
    }

    /** The fields of an update body: absent values stay, {@code null} (and by default {@code ""}) clears. */
    CustomerPatch forUpdate(ObjectNode body) {
        return read(body, false);
    }

    private CustomerPatch read(ObjectNode body, boolean create) {
        Map<String, String> errors = new LinkedHashMap<>();
        Change<String> externalId = text(body, "externalId", create, errors);
        Change<String> name = text(body, "name", create, errors);
        Change<String> email = text(body, "email", create, errors);
        Change<String> mobile = text(body, "mobile", create, errors);
        Change<ObjectNode> metadata = metadata(body, create, errors);
        if (email.isSet() && !isEmail(email.value())) {
            errors.put("email", EMAIL_MESSAGE);
        }
        if (mobile.isSet() && !isE164Mobile(mobile.value())) {
            errors.put("mobile", MOBILE_MESSAGE);
        }
        if (!errors.isEmpty()) {
            throw SkiplinoApiException.invalid(errors);
        }
        return new CustomerPatch(externalId, name, email, mobile, metadata);
    }

    private Change<String> text(ObjectNode body, String field, boolean create, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null) {
            return Change.absent();
        }
        if (node.isNull()) {
            return create ? Change.absent() : Change.clear();
        }
        if (!node.isTextual()) {
            errors.put(field, "The " + field + " must be a string.");
            return Change.absent();
        }
        String value = node.textValue();
        if (value.isEmpty()) {
            if (create || properties.emptyStringOnUpdate() == SkiplinoSandboxProperties.EmptyStringOnUpdate.IGNORE) {
                return Change.absent();
            }
            return Change.clear();
        }
        int max = "email".equals(field) ? MAX_EMAIL : MAX_TEXT;
        if (value.length() > max) {
            errors.put(field, "The " + field + " may not be greater than " + max + " characters.");
            return Change.absent();
        }
        return Change.set(value);
    }

    private Change<ObjectNode> metadata(ObjectNode body, boolean create, Map<String, String> errors) {
        JsonNode node = body.get("metadata");
        if (node == null) {
            return Change.absent();
        }
        if (node.isNull()) {
            return create ? Change.absent() : Change.clear();
        }
        if (!node.isObject()) {
            errors.put("metadata", "The metadata must be an object.");
            return Change.absent();
        }
        if (node.isEmpty()) {
            return create ? Change.absent() : Change.clear();
        }
        return Change.set(((ObjectNode) node).deepCopy());
    }

    boolean isEmail(String value) {
        return validator.validateValue(EmailRule.class, "value", value).isEmpty();
    }

    boolean isE164Mobile(String value) {
        if (!E164.matcher(value).matches()) {
            return false;
        }
        try {
            return phones.isValidNumber(phones.parse(value, null));
        } catch (NumberParseException e) {
            return false;
        }
    }

    /** Carrier of the {@code @Email} constraint for {@link Validator#validateValue}. */
    static final class EmailRule {

        @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s.]+")
        String value;
    }
}
