package io.skiplinobridge.skiplino;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.env.MockEnvironment;

class SkiplinoStartupCheckTest {

    private static MockEnvironment realMode(String baseUrl, String apiKey) {
        return new MockEnvironment()
                .withProperty("bridge.sandbox.enabled", "false")
                .withProperty("skiplino.base-url", baseUrl)
                .withProperty("skiplino.api-key", apiKey);
    }

    private static Optional<String> refusal(MockEnvironment environment) {
        return SkiplinoStartupCheck.refusal(environment, logger -> false).map(Throwable::getMessage);
    }

    @Test
    void sandboxDefaultsPass() {
        assertThat(refusal(new MockEnvironment().withProperty("bridge.sandbox.enabled", "true"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api-dev.skiplino.com/external/v1", "http://127.0.0.1:8089/external/v1",
            "http://127.5.6.7/v1", "http://localhost:8080/sandbox/skiplino/external/v1", "http://[::1]:9000/v1"})
    void secretKeyWithHttpsOrLoopbackPasses(String baseUrl) {
        assertThat(refusal(realMode(baseUrl, "sk_live_abc"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://api.skiplino.com/external/v1 | pk_live_abc | is a public key (pk_...)",
            "https://api.skiplino.com/external/v1 | live_abc    | is not a Skiplino secret key (sk_...)",
            "https://api.skiplino.com/external/v1 | ''          | SKIPLINO_API_KEY (skiplino.api-key) is not set",
            "''                                   | sk_live_abc | SKIPLINO_BASE_URL (skiplino.base-url) is not set",
            "http://api.skiplino.com/external/v1  | sk_live_abc | uses plain http to api.skiplino.com",
            "http://10.0.0.5/external/v1          | sk_live_abc | uses plain http to 10.0.0.5",
            "http://127.example.com/external/v1   | sk_live_abc | uses plain http to 127.example.com",
            "https://user:pw@api.skiplino.com/v1  | sk_live_abc | must not carry credentials",
            "ftp://api.skiplino.com/v1            | sk_live_abc | is not an http(s) URL with a host",
            "api.skiplino.com/v1                  | sk_live_abc | is not an http(s) URL with a host"})
    void refusesSettingsThatCannotWork(String baseUrl, String apiKey, String reason) {
        assertThat(refusal(realMode(baseUrl, apiKey))).hasValueSatisfying(message ->
                assertThat(message).contains(reason).doesNotContain(apiKey.isEmpty() ? "\u0000" : apiKey));
    }

    @Test
    void explicitSettingsAreCheckedInSandboxModeToo() {
        MockEnvironment sandbox = new MockEnvironment()
                .withProperty("bridge.sandbox.enabled", "true")
                .withProperty("skiplino.base-url", "http://skiplino.internal/v1");

        assertThat(refusal(sandbox)).hasValueSatisfying(message -> assertThat(message).contains("plain http"));
    }

    @Test
    void appliesOnlyWhileFlowsAndSyncRun() {
        assertThat(refusal(realMode("", "pk_live_abc").withProperty("bridge.sync.enabled", "false"))).isEmpty();
        assertThat(refusal(realMode("", "pk_live_abc").withProperty("bridge.flows.enabled", "false"))).isEmpty();
    }

    @Test
    void refusesHttpClientHeaderOrWireDebugLoggingWithARealKey() {
        MockEnvironment real = realMode("https://api.skiplino.com/external/v1", "sk_live_abc");

        assertThat(SkiplinoStartupCheck.refusal(real, SkiplinoStartupCheck.HEADER_LOGGER::equals))
                .hasValueSatisfying(refused -> assertThat(refused.getMessage()).contains("would write the Skiplino API key"));
        assertThat(SkiplinoStartupCheck.refusal(real, SkiplinoStartupCheck.WIRE_LOGGER::equals)).isPresent();
        assertThat(SkiplinoStartupCheck.refusal(real, "org.apache.hc.client5.http.impl.classic"::equals)).isEmpty();
    }
}
