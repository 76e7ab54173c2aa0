package io.skiplinobridge.salesforce;

import io.skiplinobridge.config.SelfAddress;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code salesforce} Camel component every Salesforce call of the bridge goes through (the
 * Contact poll, ticket upserts): {@code salesforce:query}, {@code salesforce:compositeUpsertSObjectCollections}, ...
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSalesforce
class SalesforceConfiguration {

    /** The bean name is the URI scheme: routes and producers write {@code salesforce:...}. */
    static final String COMPONENT = "salesforce";
    static final String SANDBOX_PATH = "/sandbox/salesforce";

    private static final Logger log = LoggerFactory.getLogger(SalesforceConfiguration.class);

    @Bean(COMPONENT)
    SalesforceComponent salesforce(SalesforceProperties properties, Environment environment,
                                   ObjectProvider<SelfAddress> self) {
        SalesforceLogin login = SalesforceLogin.resolve(properties, environment);
        SandboxAwareSalesforceComponent component = new SandboxAwareSalesforceComponent(login.loginUrl(),
                () -> self.getObject().url(SANDBOX_PATH));
        component.setAuthenticationType(login.type());
        component.setClientId(login.clientId());
        switch (login.type()) {
            case USERNAME_PASSWORD -> {
                component.setClientSecret(login.clientSecret());
                component.setUserName(login.username());
                component.setPassword(login.password());
            }
            case REFRESH_TOKEN -> {
                if (!login.clientSecret().isEmpty()) {
                    component.setClientSecret(login.clientSecret());
                }
                component.setRefreshToken(login.refreshToken());
            }
            case JWT -> {
                component.setUserName(login.username());
                KeyStoreParameters keystore = new KeyStoreParameters();
                keystore.setResource(resource(login.jwt().keystore()));
                keystore.setPassword(login.jwt().keystorePassword());
                keystore.setType(login.jwt().keystoreType());
                component.setKeystore(keystore);
                if (!login.jwt().audience().isEmpty()) {
                    component.setJwtAudience(login.jwt().audience());
                }
            }
            case CLIENT_CREDENTIALS -> component.setClientSecret(login.clientSecret());
            default -> throw new SalesforceSettingsException("unsupported authentication type " + login.type());
        }
        if (!properties.instanceUrl().isEmpty()) {
            component.setInstanceUrl(properties.instanceUrl());
        }
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(properties.apiVersion());
        component.setConfig(config);
        // a 2000-record page of a wide object can pass the component's 4 MiB default
        component.httpLimits(properties.requestTimeout().toMillis(), 32 * 1024 * 1024);
        log.info("Salesforce connector: {}", login);
        return component;
    }

    /** A bare path is a file; {@code classpath:}, {@code file:} and {@code http(s):} are passed on. */
    private static String resource(String location) {
        return location.contains(":") && !location.matches("^[A-Za-z]:\\\\.*") ? location : "file:" + location;
    }
}
