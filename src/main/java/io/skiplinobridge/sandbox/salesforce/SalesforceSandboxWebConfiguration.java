package io.skiplinobridge.sandbox.salesforce;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
@ConditionalOnSandbox
class SalesforceSandboxWebConfiguration implements WebMvcConfigurer {

    static final String BASE_PATH = "/sandbox/salesforce";

    private final SalesforceSandboxAuth auth;
    private final SalesforceFaults faults;
    private final SalesforceCallStats stats;

    SalesforceSandboxWebConfiguration(SalesforceSandboxAuth auth, SalesforceFaults faults, SalesforceCallStats stats) {
        this.auth = auth;
        this.faults = faults;
        this.stats = stats;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new SalesforceApiInterceptor(auth, faults, stats)).addPathPatterns(BASE_PATH + "/**");
    }
}
