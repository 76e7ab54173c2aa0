package io.skiplinobridge.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class WebhookSecretTest {

    private static String secretOf(int bytes) {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void readsTheBase64KeyAfterThePrefix() {
        String text = secretOf(32);

        WebhookSecret secret = WebhookSecret.parse(text);

        assertThat(secret.encoded()).isEqualTo(text);
        assertThat(secret.key()).hasSize(32);
    }

    @Test
    void acceptsTheKeySizesTheSpecAllows() {
        assertThat(WebhookSecret.parse(secretOf(24)).key()).hasSize(24);
        assertThat(WebhookSecret.parse(secretOf(64)).key()).hasSize(64);
    }

    @Test
    void refusesMalformedSecretsWithoutQuotingThem() {
        String noPrefix = secretOf(32).substring("whsec_".length());
        String notBase64 = "whsec_s3cr3t-v@lue!not/base64";
        String tooShort = secretOf(16);
        String tooLong = secretOf(65);

        assertThatThrownBy(() -> WebhookSecret.parse(noPrefix))
                .isInstanceOf(InvalidWebhookSecretException.class)
                .hasMessage("does not start with whsec_");
        assertThatThrownBy(() -> WebhookSecret.parse(notBase64))
                .hasMessage("is not valid base64 after whsec_")
                .hasNoCause();
        assertThatThrownBy(() -> WebhookSecret.parse(tooShort))
                .hasMessage("decodes to 16 bytes; a Standard Webhooks secret has 24 to 64 random bytes");
        assertThatThrownBy(() -> WebhookSecret.parse(tooLong)).hasMessageContaining("65 bytes");
        assertThatThrownBy(() -> WebhookSecret.parse(null)).isInstanceOf(InvalidWebhookSecretException.class);
    }

    @Test
    void generatesDistinctSecretsThatReadBack() {
        WebhookSecret one = WebhookSecret.generate();
        WebhookSecret two = WebhookSecret.generate();

        assertThat(one.encoded()).startsWith("whsec_").isNotEqualTo(two.encoded());
        assertThat(WebhookSecret.parse(one.encoded()).key()).isEqualTo(one.key());
    }

    @Test
    void neverShowsTheKeyInToString() {
        WebhookSecret secret = WebhookSecret.parse(secretOf(32));

        assertThat(secret.toString()).isEqualTo("WebhookSecret[redacted]");
    }
}
