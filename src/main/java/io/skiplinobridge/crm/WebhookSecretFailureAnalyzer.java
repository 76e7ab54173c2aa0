package io.skiplinobridge.crm;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a malformed webhook secret into a one-line start-up failure instead of a stack trace, and
 * makes sure no part of the secret is printed.
 */
class WebhookSecretFailureAnalyzer extends AbstractFailureAnalyzer<InvalidWebhookSecretException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidWebhookSecretException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set " + CrmWebhookConfiguration.SECRETS_VARIABLE + " to space-separated Standard Webhooks secrets, "
                        + "each whsec_ followed by the base64 of " + WebhookSecret.MIN_KEY_BYTES + " to "
                        + WebhookSecret.MAX_KEY_BYTES + " random bytes (e.g. echo \"whsec_$(openssl rand -base64 32)\").",
                null);
    }
}
