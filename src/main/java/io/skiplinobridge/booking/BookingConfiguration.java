package io.skiplinobridge.booking;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.ops.OpsToken;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts the booking API behind the ops token ({@code BRIDGE_OPS_TOKEN}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlows
class BookingConfiguration {

    @Bean
    FilterRegistrationBean<BookingTokenFilter> bookingTokenFilter(OpsToken token, ObjectMapper json) {
        FilterRegistrationBean<BookingTokenFilter> registration =
                new FilterRegistrationBean<>(new BookingTokenFilter(token, json));
        registration.addUrlPatterns(BookingTokenFilter.URL_PATTERNS);
        // before anything else looks at the request: no booking answer, not even a 404 or 405, without the token
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
