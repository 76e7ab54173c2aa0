package io.skiplinobridge.crm;

/**
 * A webhook secret that is not a Standard Webhooks secret. The message says what is wrong with it
 * and never contains the secret itself.
 */
public class InvalidWebhookSecretException extends IllegalArgumentException {

    public InvalidWebhookSecretException(String message) {
        super(message);
    }
}
