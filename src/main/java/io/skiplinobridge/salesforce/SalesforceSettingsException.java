package io.skiplinobridge.salesforce;

/** The Salesforce settings cannot work; the message names the setting and never holds a secret. */
class SalesforceSettingsException extends IllegalStateException {

    SalesforceSettingsException(String message) {
        super(message);
    }
}
