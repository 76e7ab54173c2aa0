package io.skiplinobridge.tickets;

import io.skiplinobridge.config.SelfAddress;
import io.skiplinobridge.salesforce.FirstUseSafeSalesforceComponent;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A camel-salesforce component logged in to this process's Salesforce sandbox, under a name of its own
 * ({@code bridge.tickets.salesforce.component=ticketsSalesforce}), so the ticket tests run the real
 * component whatever else configures the connector. The sandbox's port is known only once the web
 * server started, so the login URL is set when the component starts.
 */
@TestConfiguration(proxyBeanMethods = false)
class TicketTestSalesforce {

    static final String COMPONENT = "ticketsSalesforce";

    @Bean(COMPONENT)
    SalesforceComponent ticketsSalesforce(SelfAddress self) {
        SalesforceComponent component = new FirstUseSafeSalesforceComponent() {
            @Override
            protected void doStart() throws Exception {
                setLoginUrl(self.url("/sandbox/salesforce"));
                super.doStart();
            }
        };
        component.setAuthenticationType(AuthenticationType.USERNAME_PASSWORD);
        component.setClientId("sandbox-client-id");
        component.setClientSecret("sandbox-client-secret");
        component.setUserName("bridge@sandbox.example.com");
        component.setPassword("sandbox-password");
        component.setLazyLogin(false);
        return component;
    }
}
