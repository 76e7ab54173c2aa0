package io.skiplinobridge.tickets;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.salesforce.SalesforceCalls;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;

import org.springframework.stereotype.Component;

/**
 * The ticket outbox's Salesforce call (route {@code ticket-outbox-salesforce}): the batch's records go to
 * the composite collections upsert of the configured component, object and external id field through
 * {@link SalesforceCalls}, so a delivery caught in camel-salesforce's re-login cannot hold up a shutdown.
 * The answer (one result per record) becomes the body.
 */
@Component("salesforceTicketUpsert")
@ConditionalOnFlows
public class SalesforceTicketUpsert {

    private final SalesforceCalls salesforce;
    private final SalesforceTicketMapper mapper;

    SalesforceTicketUpsert(SalesforceCalls salesforce, SalesforceTicketMapper mapper) {
        this.salesforce = salesforce;
        this.mapper = mapper;
    }

    public void send(Exchange exchange) {
        Object records = exchange.getMessage().getBody();
        Exchange answer = salesforce.request(mapper.endpointUri(), request -> {
            request.setBody(records);
            // camel-salesforce 4.17 ignores the allOrNone endpoint option of this operation: it reads the header
            request.setHeader("allOrNone", Boolean.FALSE);
        });
        if (answer.getException() != null) {
            throw RuntimeCamelException.wrapRuntimeCamelException(answer.getException());
        }
        exchange.getMessage().setBody(answer.getMessage().getBody());
    }
}
