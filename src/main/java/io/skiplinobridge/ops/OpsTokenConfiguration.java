package io.skiplinobridge.ops;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.config.ConditionalOnFlows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Decides the ops API's token once, at start-up:
 * <ol>
 *   <li>{@code BRIDGE_OPS_TOKEN} when set (at least {@value OpsToken#MIN_LENGTH} characters);</li>
 *   <li>otherwise, in sandbox mode, the token kept in {@code <bridge.data-dir>/ops-token} (generated on
 *       first start; the log says where, never what);</li>
 *   <li>otherwise none: every ops call is answered 401 and a warning says so.</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlows
class OpsTokenConfiguration {

    static final String TOKEN_VARIABLE = "BRIDGE_OPS_TOKEN";
    private static final Logger log = LoggerFactory.getLogger(OpsTokenConfiguration.class);

    @Bean
    OpsToken opsToken(OpsProperties properties, @Value("${bridge.sandbox.enabled:false}") boolean sandbox,
                      @Value("${bridge.data-dir:./data}") Path dataDir) {
        return resolve(properties.token(), sandbox, dataDir);
    }

    @Bean
    FilterRegistrationBean<OpsTokenFilter> opsTokenFilter(OpsToken token, ObjectMapper json) {
        FilterRegistrationBean<OpsTokenFilter> registration = new FilterRegistrationBean<>(new OpsTokenFilter(token, json));
        registration.addUrlPatterns(OpsTokenFilter.URL_PATTERNS);
        // before anything else looks at the request: no ops answer, not even a 404 or 405, without the token
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    static OpsToken resolve(String configured, boolean sandbox, Path dataDir) {
        if (!configured.isEmpty()) {
            if (configured.length() < OpsToken.MIN_LENGTH) {
                throw new IllegalStateException(TOKEN_VARIABLE + " is shorter than " + OpsToken.MIN_LENGTH
                        + " characters; use a random value, e.g. the output of: openssl rand -hex 32");
            }
            return OpsToken.of(configured);
        }
        if (sandbox) {
            SandboxOpsTokenFile file = new SandboxOpsTokenFile(dataDir);
            SandboxOpsTokenFile.Loaded loaded = file.loadOrCreate();
            log.info("Sandbox mode without {}: the ops API and dashboard (/ops/) accept the {} token in {} "
                    + "(readable by its owner only)", TOKEN_VARIABLE, loaded.generated() ? "newly generated" : "kept",
                    file.path());
            return OpsToken.of(loaded.token());
        }
        log.warn("{} is not set: every call to the ops API (/ops/api/...) is answered 401 until it is set",
                TOKEN_VARIABLE);
        return OpsToken.none();
    }
}
