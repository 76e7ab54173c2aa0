package io.skiplinobridge.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.skiplinobridge.config.ConditionalOnFlows;
import org.apache.commons.validator.routines.EmailValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Turns a canonical CRM customer into the customer Skiplino should hold, by configuration
 * ({@code bridge.mapping.*}): names trimmed, emails trimmed and validated, mobiles normalised to E.164
 * with libphonenumber, metadata completed and filtered.
 */
@Component
@ConditionalOnFlows
public class CustomerMapper {

    private static final Logger log = LoggerFactory.getLogger(CustomerMapper.class);
    private static final int MAX_EXTERNAL_ID_LENGTH = 255;
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");
    private static final Pattern CONTROL_CHARACTER = Pattern.compile("\\p{Cc}");

    private final MappingProperties properties;
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final EmailValidator emails = EmailValidator.getInstance(false, false);

    public CustomerMapper(MappingProperties properties) {
        this.properties = properties;
        if (!phones.getSupportedRegions().contains(properties.defaultRegion().toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("bridge.mapping.default-region '" + properties.defaultRegion()
                    + "' is not a region libphonenumber knows (use an ISO 3166 alpha-2 code such as BH)");
        }
    }

    /** The mapped customer, or the reasons it cannot be sent. */
    public Result map(CanonicalCustomer customer) {
        List<FieldError> errors = new ArrayList<>();
        String externalId = customer.externalId();
        if (externalId == null || externalId.isBlank()) {
            errors.add(new FieldError("customer.externalId", "is required"));
        } else if (externalId.length() > MAX_EXTERNAL_ID_LENGTH) {
            errors.add(new FieldError("customer.externalId", "is longer than " + MAX_EXTERNAL_ID_LENGTH + " characters"));
        } else if (CONTROL_CHARACTER.matcher(externalId).find()) {
            errors.add(new FieldError("customer.externalId", "contains control characters"));
        }

        String email = mapEmail(customer.email(), errors);
        String mobile = mapMobile(customer.mobile(), errors);
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        return new Result(new MappedCustomer(externalId, mapName(customer.name()), email, mobile,
                mapMetadata(customer.metadata())), List.of());
    }

    private static String mapName(String name) {
        if (name == null) {
            return null;
        }
        String collapsed = WHITESPACE_RUN.matcher(name.strip()).replaceAll(" ");
        return collapsed.isEmpty() ? null : collapsed;
    }

    private String mapEmail(String email, List<FieldError> errors) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String trimmed = email.strip();
        if (properties.lowercaseEmail()) {
            trimmed = trimmed.toLowerCase(Locale.ROOT);
        }
        if (emails.isValid(trimmed)) {
            return trimmed;
        }
        return invalid(properties.invalidEmail(), "customer.email", "is not a valid email address", errors);
    }

    private String mapMobile(String mobile, List<FieldError> errors) {
        if (mobile == null || mobile.isBlank()) {
            return null;
        }
        try {
            PhoneNumber parsed = phones.parse(mobile.strip(), properties.defaultRegion().toUpperCase(Locale.ROOT));
            if (phones.isValidNumber(parsed)) {
                return phones.format(parsed, PhoneNumberFormat.E164);
            }
            return invalid(properties.invalidMobile(), "customer.mobile",
                    "is not a valid phone number (default region " + properties.defaultRegion() + ")", errors);
        } catch (NumberParseException e) {
            return invalid(properties.invalidMobile(), "customer.mobile", "is not a phone number", errors);
        }
    }

    private static String invalid(MappingProperties.InvalidValuePolicy policy, String field, String message,
                                  List<FieldError> errors) {
        if (policy == MappingProperties.InvalidValuePolicy.REJECT) {
            errors.add(new FieldError(field, message));
        } else {
            log.warn("{} {}: sending the customer without it (bridge.mapping policy DROP)", field, message);
        }
        return null;
    }

    private Map<String, Object> mapMetadata(Map<String, Object> crmMetadata) {
        Map<String, Object> metadata = new LinkedHashMap<>(properties.metadata().staticEntries());
        metadata.putAll(crmMetadata);
        properties.metadata().exclude().forEach(metadata::remove);
        metadata.values().removeIf(v -> v == null);
        return metadata;
    }

    /** Either a customer to send or the field errors that stop it. */
    public record Result(MappedCustomer customer, List<FieldError> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }
}
