package io.skiplinobridge.sandbox.salesforce;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded Salesforce org ({@code bridge.sandbox.salesforce.*}). The credentials are
 * sandbox-only values, documented in {@code docs/sandbox-salesforce.md}; they protect nothing real.
 *
 * @param clientId connected-app consumer key every grant must present
 * @param clientSecret consumer secret for the password, refresh-token and client-credentials grants
 * @param username user of the password grant and the JWT {@code sub}
 * @param password password of the password grant
 * @param refreshToken the one refresh token the org accepts
 * @param jwtCertificate PEM X.509 certificate whose key must have signed JWT assertions; empty means
 *        the RS256 signature is not checked (claims still are)
 * @param jwtAudiences JWT {@code aud} values accepted besides the sandbox's own login URL
 * @param tokenLifetime how long an access token stays valid
 * @param cursorLifetime how long an unused query cursor stays valid
 * @param maxOpenCursors open cursors kept; opening one more drops the oldest (Salesforce keeps 10 per user)
 * @param seedContacts demo contacts created at start-up when the bridge flows run
 * @param fields fields each sObject has before any record sets them (writes add fields as they go)
 * @param changeEventsRetained change events kept for replay (Salesforce keeps three days' worth)
 * @param streamingPollTimeout how long a CometD {@code /meta/connect} is held open when no event is due
 */
@ConfigurationProperties("bridge.sandbox.salesforce")
record SalesforceSandboxProperties(
        @DefaultValue("sandbox-client-id") String clientId,
        @DefaultValue("sandbox-client-secret") String clientSecret,
        @DefaultValue("bridge@sandbox.example.com") String username,
        @DefaultValue("sandbox-password") String password,
        @DefaultValue("sandbox-refresh-token") String refreshToken,
        @DefaultValue("") String jwtCertificate,
        @DefaultValue({"https://login.salesforce.com", "https://test.salesforce.com"}) List<String> jwtAudiences,
        @DefaultValue("2h") Duration tokenLifetime,
        @DefaultValue("15m") Duration cursorLifetime,
        @DefaultValue("10") int maxOpenCursors,
        @DefaultValue("25") int seedContacts,
        Map<String, List<String>> fields,
        @DefaultValue("10000") int changeEventsRetained,
        @DefaultValue("25s") Duration streamingPollTimeout) {

    static final List<String> CONTACT_FIELDS = List.of("FirstName", "LastName", "Name", "Email", "Phone",
            "MobilePhone", "Title", "AccountId", "MailingCity", "MailingCountry", "Description", "Skiplino_Id__c");

    SalesforceSandboxProperties {
        fields = fields == null || fields.isEmpty() ? Map.of("Contact", CONTACT_FIELDS) : Map.copyOf(fields);
    }

    @Override
    public String toString() {
        return "SalesforceSandboxProperties[clientId=" + clientId + ", username=" + username
                + ", tokenLifetime=" + tokenLifetime + ", cursorLifetime=" + cursorLifetime + "]";
    }
}
