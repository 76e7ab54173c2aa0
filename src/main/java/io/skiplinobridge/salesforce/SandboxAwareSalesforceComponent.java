package io.skiplinobridge.salesforce;

import java.util.function.Supplier;

/**
 * A camel-salesforce component whose login URL may be this very process's Salesforce sandbox. That
 * URL is only known once the web server has its port (tests run on a random one), so it is resolved
 * when the component starts (it logs in then), not when the bean is built.
 */
class SandboxAwareSalesforceComponent extends FirstUseSafeSalesforceComponent {

    private final String configuredLoginUrl;
    private final Supplier<String> sandboxLoginUrl;
    private long requestTimeoutMillis;
    private int maxContentLength;

    SandboxAwareSalesforceComponent(String configuredLoginUrl, Supplier<String> sandboxLoginUrl) {
        this.configuredLoginUrl = configuredLoginUrl;
        this.sandboxLoginUrl = sandboxLoginUrl;
        if (!configuredLoginUrl.isEmpty()) {
            setLoginUrl(configuredLoginUrl);
        }
    }

    /** The bridge's request timeout and largest answer, set now and again at start (see {@link #doStart()}). */
    void httpLimits(long requestTimeoutMillis, int maxContentLength) {
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.maxContentLength = maxContentLength;
        setHttpRequestTimeout(requestTimeoutMillis);
        setHttpMaxContentLength(maxContentLength);
    }

    /**
     * Sets the login URL and the HTTP limits again just before logging in: camel-salesforce-starter's
     * component customizer applies its own {@code camel.component.salesforce.*} defaults (login.salesforce.com,
     * a 60 s request timeout) to this bean after it is built, which would otherwise replace the configured
     * values (a configured {@code bridge.salesforce.request-timeout} was ignored until this).
     */
    @Override
    protected void doStart() throws Exception {
        setLoginUrl(configuredLoginUrl.isEmpty() ? sandboxLoginUrl.get() : configuredLoginUrl);
        if (requestTimeoutMillis > 0) {
            setHttpRequestTimeout(requestTimeoutMillis);
            setHttpMaxContentLength(maxContentLength);
        }
        super.doStart();
    }
}
