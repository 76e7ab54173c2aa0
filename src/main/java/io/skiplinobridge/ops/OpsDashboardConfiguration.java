package io.skiplinobridge.ops;

import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard: static files in {@code static/ops/} (no build step, nothing from a CDN), served at
 * {@code /ops/} and {@code /ops/index.html}. The page holds no data: it asks for the ops token and reads
 * everything from {@code /ops/api/}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlows
class OpsDashboardConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/ops", "/ops/");
        registry.addViewController("/ops/").setViewName("forward:/ops/index.html");
    }
}
