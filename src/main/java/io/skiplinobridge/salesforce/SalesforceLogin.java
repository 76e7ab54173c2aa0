package io.skiplinobridge.salesforce;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.component.salesforce.AuthenticationType;

import org.springframework.core.env.Environment;

/**
 * The connector's effective login: the configured {@code bridge.salesforce.*} settings, or in sandbox
 * mode with no client id configured, the embedded sandbox's own demo credentials. The authentication
 * type is the configured one, else inferred from which secrets are present; each type's required
 * settings are checked up front, so a misconfigured bridge refuses to start with one clear sentence
 * instead of failing on its first poll.
 *
 * @param loginUrl empty means: this process's Salesforce sandbox (resolved when the component starts)
 */
record SalesforceLogin(AuthenticationType type, String loginUrl, String clientId, String clientSecret,
                       String username, String password, String refreshToken, SalesforceProperties.Jwt jwt) {

    static final String SANDBOX = "bridge.sandbox.salesforce.";

    static SalesforceLogin resolve(SalesforceProperties properties, Environment environment) {
        boolean sandbox = environment.getProperty("bridge.sandbox.enabled", Boolean.class, false);
        if (properties.clientId().isEmpty()) {
            if (!sandbox) {
                throw new SalesforceSettingsException("bridge.salesforce.client-id (SALESFORCE_CLIENT_ID) is not set");
            }
            return new SalesforceLogin(AuthenticationType.USERNAME_PASSWORD, properties.loginUrl(),
                    environment.getProperty(SANDBOX + "client-id", "sandbox-client-id"),
                    environment.getProperty(SANDBOX + "client-secret", "sandbox-client-secret"),
                    environment.getProperty(SANDBOX + "username", "bridge@sandbox.example.com"),
                    environment.getProperty(SANDBOX + "password", "sandbox-password"),
                    "", properties.jwt());
        }
        String loginUrl = properties.loginUrl().isEmpty() && !sandbox
                ? SalesforceProperties.DEFAULT_LOGIN_URL : properties.loginUrl();
        AuthenticationType type = type(properties);
        List<String> missing = new ArrayList<>();
        switch (type) {
            case USERNAME_PASSWORD -> {
                require(missing, properties.clientSecret(), "client-secret (SALESFORCE_CLIENT_SECRET)");
                require(missing, properties.username(), "username (SALESFORCE_USERNAME)");
                require(missing, properties.password(), "password (SALESFORCE_PASSWORD)");
            }
            case REFRESH_TOKEN -> require(missing, properties.refreshToken(), "refresh-token (SALESFORCE_REFRESH_TOKEN)");
            case JWT -> {
                require(missing, properties.username(), "username (SALESFORCE_USERNAME)");
                require(missing, properties.jwt().keystore(), "jwt.keystore (SALESFORCE_JWT_KEYSTORE)");
                require(missing, properties.jwt().keystorePassword(), "jwt.keystore-password (SALESFORCE_JWT_KEYSTORE_PASSWORD)");
            }
            case CLIENT_CREDENTIALS -> require(missing, properties.clientSecret(), "client-secret (SALESFORCE_CLIENT_SECRET)");
            default -> throw new SalesforceSettingsException("unsupported authentication type " + type);
        }
        if (!missing.isEmpty()) {
            throw new SalesforceSettingsException("Salesforce " + type + " login needs bridge.salesforce." + String.join(", ", missing));
        }
        return new SalesforceLogin(type, loginUrl, properties.clientId(), properties.clientSecret(), properties.username(),
                properties.password(), properties.refreshToken(), properties.jwt());
    }

    private static AuthenticationType type(SalesforceProperties properties) {
        if (!properties.authenticationType().isEmpty()) {
            try {
                return AuthenticationType.valueOf(properties.authenticationType());
            } catch (IllegalArgumentException unknown) {
                throw new SalesforceSettingsException("bridge.salesforce.authentication-type '" + properties.authenticationType()
                        + "' is not one of USERNAME_PASSWORD, REFRESH_TOKEN, JWT, CLIENT_CREDENTIALS");
            }
        }
        if (!properties.refreshToken().isEmpty()) {
            return AuthenticationType.REFRESH_TOKEN;
        }
        if (!properties.jwt().keystore().isEmpty()) {
            return AuthenticationType.JWT;
        }
        if (!properties.username().isEmpty() || !properties.password().isEmpty()) {
            return AuthenticationType.USERNAME_PASSWORD;
        }
        return AuthenticationType.CLIENT_CREDENTIALS;
    }

    private static void require(List<String> missing, String value, String name) {
        if (value == null || value.isEmpty()) {
            missing.add(name);
        }
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return "SalesforceLogin[type=" + type + ", loginUrl=" + (loginUrl.isEmpty() ? "<sandbox>" : loginUrl)
                + ", clientId=" + clientId + ", username=" + username + "]";
    }
}
