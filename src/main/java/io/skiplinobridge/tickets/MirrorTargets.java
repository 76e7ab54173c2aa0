package io.skiplinobridge.tickets;

import java.util.ArrayList;
import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * The CRMs every new or changed ticket is queued for, decided once at start-up: {@code salesforce} when
 * the Salesforce target is on, and {@code webhook:<name>} for each configured webhook target.
 */
@Component
@ConditionalOnFlows
class MirrorTargets {

    static final String SALESFORCE = "salesforce";
    static final String WEBHOOK_PREFIX = "webhook:";

    private final List<String> targets;
    private final boolean salesforce;

    MirrorTargets(TicketProperties properties, ListableBeanFactory beans) {
        this.salesforce = salesforceOn(properties, beans);
        List<String> all = new ArrayList<>();
        if (salesforce) {
            all.add(SALESFORCE);
        }
        properties.webhook().targets().keySet().stream().sorted().forEach(name -> all.add(WEBHOOK_PREFIX + name));
        this.targets = List.copyOf(all);
    }

    /**
     * Unset means: on exactly when the Salesforce connector is, i.e. when the context holds the configured
     * component ({@code salesforce}, defined by the connector in sandbox mode or with a client id).
     */
    static boolean salesforceOn(TicketProperties properties, ListableBeanFactory beans) {
        Boolean configured = properties.salesforce().enabled();
        if (configured != null) {
            return configured;
        }
        return beans.containsBean(properties.salesforce().component());
    }

    List<String> all() {
        return targets;
    }

    boolean salesforce() {
        return salesforce;
    }

    static boolean isWebhook(String target) {
        return target.startsWith(WEBHOOK_PREFIX);
    }

    static String webhookName(String target) {
        return target.substring(WEBHOOK_PREFIX.length());
    }
}
