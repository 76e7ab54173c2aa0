package io.skiplinobridge.crm;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Decides which secrets {@code POST /api/crm/events} accepts, once, at start-up:
 * <ol>
 *   <li>{@code BRIDGE_WEBHOOK_SECRETS} when set; a malformed secret stops start-up;</li>
 *   <li>otherwise, in sandbox mode, the secret kept in {@code <bridge.data-dir>/webhook-secret}
 *       (generated on first start);</li>
 *   <li>otherwise none: every request is refused with 401 and a warning says so.</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlows
class CrmWebhookConfiguration {

    static final String SECRETS_VARIABLE = "BRIDGE_WEBHOOK_SECRETS";
    private static final Logger log = LoggerFactory.getLogger(CrmWebhookConfiguration.class);

    @Bean
    StandardWebhooks crmWebhookSignatures(WebhookProperties properties, Clock clock,
                                          @Value("${bridge.sandbox.enabled:false}") boolean sandbox,
                                          @Value("${bridge.data-dir:./data}") Path dataDir) {
        return new StandardWebhooks(resolveSecrets(properties.secrets(), sandbox, dataDir), clock,
                properties.timestampTolerance());
    }

    static List<WebhookSecret> resolveSecrets(String configured, boolean sandbox, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return parse(configured.strip().split("\\s+"));
        }
        if (sandbox) {
            SandboxWebhookSecretFile file = new SandboxWebhookSecretFile(dataDir);
            SandboxWebhookSecretFile.Loaded loaded = file.loadOrCreate();
            log.info("Sandbox mode without {}: CRM webhooks on /api/crm/events are verified with the {} secret in {} "
                            + "(readable by its owner only; sign requests with it)", SECRETS_VARIABLE,
                    loaded.generated() ? "newly generated" : "kept", file.path());
            return List.of(loaded.secret());
        }
        log.warn("{} is not set: POST /api/crm/events answers 401 to every request until it is set to one or more "
                + "space-separated whsec_ secrets", SECRETS_VARIABLE);
        return List.of();
    }

    private static List<WebhookSecret> parse(String[] texts) {
        List<WebhookSecret> secrets = new ArrayList<>(texts.length);
        for (int i = 0; i < texts.length; i++) {
            try {
                secrets.add(WebhookSecret.parse(texts[i]));
            } catch (InvalidWebhookSecretException e) {
                throw new InvalidWebhookSecretException(SECRETS_VARIABLE + ": secret " + (i + 1) + " of " + texts.length
                        + " " + e.getMessage());
            }
        }
        return List.copyOf(secrets);
    }
}
