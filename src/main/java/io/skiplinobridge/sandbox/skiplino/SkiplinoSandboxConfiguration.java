package io.skiplinobridge.sandbox.skiplino;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts {@link SkiplinoTraffic} in front of the sandbox's Skiplino API paths only. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSandbox
class SkiplinoSandboxConfiguration {

    @Bean
    FilterRegistrationBean<SkiplinoTraffic> skiplinoSandboxTraffic(TrafficStats stats, RequestLog log,
                                                                   FaultInjector faults, ObjectMapper json, Clock clock) {
        FilterRegistrationBean<SkiplinoTraffic> registration =
                new FilterRegistrationBean<>(new SkiplinoTraffic(stats, log, faults, json, clock));
        registration.addUrlPatterns(SkiplinoSandboxApiController.BASE + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setName("skiplinoSandboxTraffic");
        return registration;
    }
}
