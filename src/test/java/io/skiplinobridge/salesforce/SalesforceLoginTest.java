package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.camel.component.salesforce.AuthenticationType;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.env.MockEnvironment;

class SalesforceLoginTest {

    private static SalesforceProperties properties(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("bridge.salesforce",
                SalesforceProperties.class);
    }

    private static MockEnvironment realMode() {
        return new MockEnvironment().withProperty("bridge.sandbox.enabled", "false");
    }

    @Test
    void sandboxModeWithoutClientIdUsesTheSandboxCredentialsAndTheSandboxLoginUrl() {
        SalesforceLogin login = SalesforceLogin.resolve(properties(Map.of()),
                new MockEnvironment().withProperty("bridge.sandbox.enabled", "true")
                        .withProperty("bridge.sandbox.salesforce.password", "other-password"));

        assertThat(login.type()).isEqualTo(AuthenticationType.USERNAME_PASSWORD);
        assertThat(login.loginUrl()).isEmpty();
        assertThat(login.clientId()).isEqualTo("sandbox-client-id");
        assertThat(login.password()).isEqualTo("other-password");
    }

    @Test
    void realModeNeedsAClientId() {
        assertThatThrownBy(() -> SalesforceLogin.resolve(properties(Map.of()), realMode()))
                .hasMessageContaining("SALESFORCE_CLIENT_ID");
    }

    @Test
    void theAuthenticationTypeIsInferredFromTheSecretsPresent() {
        assertThat(SalesforceLogin.resolve(properties(Map.of("bridge.salesforce.client-id", "id",
                "bridge.salesforce.client-secret", "s", "bridge.salesforce.username", "u",
                "bridge.salesforce.password", "p")), realMode()).type()).isEqualTo(AuthenticationType.USERNAME_PASSWORD);
        assertThat(SalesforceLogin.resolve(properties(Map.of("bridge.salesforce.client-id", "id",
                "bridge.salesforce.refresh-token", "r")), realMode()).type()).isEqualTo(AuthenticationType.REFRESH_TOKEN);
        assertThat(SalesforceLogin.resolve(properties(Map.of("bridge.salesforce.client-id", "id",
                "bridge.salesforce.username", "u", "bridge.salesforce.jwt.keystore", "/k.p12",
                "bridge.salesforce.jwt.keystore-password", "kp")), realMode()).type()).isEqualTo(AuthenticationType.JWT);
        SalesforceLogin credentials = SalesforceLogin.resolve(properties(Map.of("bridge.salesforce.client-id", "id",
                "bridge.salesforce.client-secret", "s")), realMode());
        assertThat(credentials.type()).isEqualTo(AuthenticationType.CLIENT_CREDENTIALS);
        assertThat(credentials.loginUrl()).isEqualTo("https://login.salesforce.com");
    }

    @Test
    void anExplicitTypeNamesEveryMissingSettingWithoutPrintingSecrets() {
        assertThatThrownBy(() -> SalesforceLogin.resolve(properties(Map.of("bridge.salesforce.client-id", "id",
                "bridge.salesforce.authentication-type", "username-password",
                "bridge.salesforce.client-secret", "top-secret")), realMode()))
                .hasMessageContaining("SALESFORCE_USERNAME").hasMessageContaining("SALESFORCE_PASSWORD")
                .hasMessageNotContaining("top-secret");
        assertThatThrownBy(() -> SalesforceLogin.resolve(properties(Map.of("bridge.salesforce.client-id", "id",
                "bridge.salesforce.authentication-type", "oauth-magic")), realMode()))
                .hasMessageContaining("is not one of");
    }

    @Test
    void toStringNeverHoldsASecret() {
        SalesforceProperties settings = properties(Map.of("bridge.salesforce.client-id", "id",
                "bridge.salesforce.client-secret", "secret-1", "bridge.salesforce.username", "u",
                "bridge.salesforce.password", "secret-2", "bridge.salesforce.jwt.keystore-password", "secret-3"));
        String printed = settings + " " + SalesforceLogin.resolve(settings, realMode());

        assertThat(printed).doesNotContain("secret-1", "secret-2", "secret-3");
    }
}
