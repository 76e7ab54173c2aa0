package io.skiplinobridge.salesforce;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Salesforce connector ({@code bridge.salesforce.*}). Every key is commented for the operator in
 * {@code config/application.yaml}; secrets come only from the environment ({@code SALESFORCE_*}).
 *
 * @param loginUrl           OAuth login URL; empty means {@code https://login.salesforce.com}, or this
 *                           process's Salesforce sandbox in sandbox mode
 * @param authenticationType USERNAME_PASSWORD, REFRESH_TOKEN, JWT or CLIENT_CREDENTIALS; empty means
 *                           inferred from which secrets are set
 * @param clientId           connected-app consumer key; the connector is on when it is set (or in sandbox mode)
 * @param instanceUrl        overrides the instance URL the token answer names (rarely needed)
 * @param apiVersion         REST API version of every call
 * @param requestTimeout     longest wait for one Salesforce answer
 * @param callTimeout        longest the bridge waits for one whole Salesforce call, camel-salesforce's re-logins
 *                           and retries included, before it gives up on it ({@link SalesforceCalls})
 * @param poll               the scheduled Contact poll
 */
@ConfigurationProperties("bridge.salesforce")
public record SalesforceProperties(
        String loginUrl,
        String authenticationType,
        String clientId,
        String clientSecret,
        String username,
        String password,
        String refreshToken,
        @DefaultValue Jwt jwt,
        String instanceUrl,
        @DefaultValue("59.0") String apiVersion,
        @DefaultValue("60s") Duration requestTimeout,
        @DefaultValue("3m") Duration callTimeout,
        @DefaultValue Poll poll) {

    public static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";

    public SalesforceProperties {
        loginUrl = trim(loginUrl);
        authenticationType = trim(authenticationType).toUpperCase(Locale.ROOT).replace('-', '_');
        clientId = trim(clientId);
        clientSecret = trim(clientSecret);
        username = trim(username);
        password = password == null ? "" : password;
        refreshToken = trim(refreshToken);
        instanceUrl = trim(instanceUrl);
    }

    /**
     * JWT bearer flow: the private key that signs the assertion, in a key store.
     *
     * @param keystore         key store file (PKCS12 or JKS) holding the connected app's private key
     * @param keystorePassword its password
     * @param keystoreType     PKCS12 or JKS
     * @param audience         the assertion's {@code aud}; empty means the login URL
     */
    public record Jwt(String keystore, String keystorePassword, @DefaultValue("PKCS12") String keystoreType,
                      String audience) {

        public Jwt {
            keystore = trim(keystore);
            keystorePassword = keystorePassword == null ? "" : keystorePassword;
            keystoreType = trim(keystoreType).isEmpty() ? "PKCS12" : keystoreType.trim();
            audience = trim(audience);
        }

        @Override
        public String toString() {
            return "Jwt[keystore=" + keystore + ", keystoreType=" + keystoreType + ", audience=" + audience + "]";
        }
    }

    /**
     * The scheduled poll of the CRM object.
     *
     * @param enabled             run the poll at all (the component stays available for ticket writes)
     * @param cron                Quartz cron expression of the poll firings
     * @param object              the sObject read: Contact, Lead, or Account for person accounts
     * @param batchSize           records per page asked for ({@code Sforce-Query-Options: batchSize}, 200..2000)
     * @param overlap             how far before the watermark each poll starts reading again
     * @param readDeletes         read deleted records ({@code queryAll ... IsDeleted = true}) and pass them on as deletes
     * @param apiLimitRetryAfter  after REQUEST_LIMIT_EXCEEDED, firings within this time do nothing
     * @param fields              which record fields feed the canonical customer
     * @param metadataFields      record field → metadata key sent to Skiplino
     * @param writeBackField      the record field the customer's Skiplino {@code _id} is written into once the
     *                            customer is created or first linked in Skiplino; empty (default): no write-back
     */
    public record Poll(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("0 * * * * ?") String cron,
            @DefaultValue("Contact") String object,
            @DefaultValue("2000") int batchSize,
            @DefaultValue("5m") Duration overlap,
            @DefaultValue("true") boolean readDeletes,
            @DefaultValue("5m") Duration apiLimitRetryAfter,
            @DefaultValue Fields fields,
            Map<String, String> metadataFields,
            String writeBackField) {

        public Poll {
            object = trim(object).isEmpty() ? "Contact" : object.trim();
            metadataFields = metadataFields == null ? Map.of() : new LinkedHashMap<>(metadataFields);
            if (batchSize < 200 || batchSize > 2000) {
                throw new IllegalArgumentException("bridge.salesforce.poll.batch-size must be between 200 and 2000 "
                        + "(Salesforce's range), not " + batchSize);
            }
            if (overlap.isNegative()) {
                throw new IllegalArgumentException("bridge.salesforce.poll.overlap must not be negative");
            }
            writeBackField = trim(writeBackField);
            if (!writeBackField.isEmpty()) {
                String field = writeBackField;
                boolean mapped = fields.all().stream().anyMatch(field::equalsIgnoreCase)
                        || metadataFields.keySet().stream().anyMatch(field::equalsIgnoreCase)
                        || field.equalsIgnoreCase("Id") || field.equalsIgnoreCase("SystemModstamp");
                if (mapped) {
                    // the poll would read the written _id back as a change of the customer: one useless
                    // Skiplino write per customer, and the external id would change under the bridge
                    throw new IllegalArgumentException("bridge.salesforce.poll.write-back-field (" + field
                            + ") must be a field the poll does not read: not Id, SystemModstamp, a field of "
                            + "bridge.salesforce.poll.fields or a key of metadata-fields");
                }
            }
        }
    }

    /**
     * Record fields behind each canonical customer field.
     *
     * @param externalId the field whose value becomes the Skiplino {@code externalId}
     * @param firstName  first name; joined with the last name into the customer's name
     * @param lastName   last name
     * @param email      email
     * @param mobile     mobile number
     * @param phone      used when the mobile field is empty; empty: no fallback
     */
    public record Fields(
            @DefaultValue("Id") String externalId,
            @DefaultValue("FirstName") String firstName,
            @DefaultValue("LastName") String lastName,
            @DefaultValue("Email") String email,
            @DefaultValue("MobilePhone") String mobile,
            @DefaultValue("Phone") String phone) {

        public Fields {
            externalId = trim(externalId).isEmpty() ? "Id" : externalId.trim();
            firstName = trim(firstName);
            lastName = trim(lastName);
            email = trim(email);
            mobile = trim(mobile);
            phone = trim(phone);
        }

        /** Every field named, without duplicates, in a stable order. */
        List<String> all() {
            return Stream.of(externalId, firstName, lastName, email, mobile, phone)
                    .filter(f -> !f.isEmpty()).distinct().toList();
        }
    }

    static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    @Override
    public String toString() {
        return "SalesforceProperties[loginUrl=" + loginUrl + ", authenticationType=" + authenticationType
                + ", clientId=" + clientId + ", username=" + username + ", jwt=" + jwt + ", apiVersion=" + apiVersion
                + ", poll=" + poll + "]";
    }
}
