package io.skiplinobridge.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.env.MockEnvironment;

class WebhookTargetPolicyTest {

    private final WebhookTargetPolicy strict = new WebhookTargetPolicy(false, false);

    @Test
    void plainHttpIsRefusedOutsideLoopbackTests() {
        assertThat(strict.refusal(URI.create("http://93.184.215.14/hooks"))).contains("https");
        assertThat(new WebhookTargetPolicy(true, false).refusal(URI.create("http://93.184.215.14/hooks"))).contains("https");
    }

    @Test
    void httpsToAPublicAddressIsAccepted() {
        assertThat(strict.refusal(URI.create("https://93.184.215.14/hooks"))).isNull();
    }

    @Test
    void loopbackOnlyWithItsSetting() {
        assertThat(strict.refusal(URI.create("https://127.0.0.1:8443/hooks"))).contains("loopback");
        assertThat(strict.refusal(URI.create("http://[::1]:8080/hooks"))).contains("loopback");
        WebhookTargetPolicy tests = new WebhookTargetPolicy(true, false);
        assertThat(tests.refusal(URI.create("http://127.0.0.1:8080/hooks"))).isNull();
        assertThat(tests.refusal(URI.create("https://127.0.0.1:8443/hooks"))).isNull();
    }

    @Test
    void privateLinkLocalAndUniqueLocalTargetsAreRefusedUnlessAllowed() {
        for (String url : new String[] {"https://10.1.2.3/h", "https://192.168.0.10/h", "https://172.16.5.4/h",
                "https://169.254.169.254/latest/meta-data", "https://[fd00::1]/h", "https://[fe80::1]/h",
                "https://0.0.0.0/h", "https://100.64.0.1/h"}) {
            assertThat(strict.refusal(URI.create(url))).as(url).contains("private");
        }
        assertThat(new WebhookTargetPolicy(false, true).refusal(URI.create("https://10.1.2.3/h"))).isNull();
    }

    @Test
    void urlsWithoutHostOrWithCredentialsOrOtherSchemesAreRefused() {
        assertThat(strict.refusal(URI.create("mailto:crm@example.com"))).isNotNull();
        assertThat(strict.refusal(URI.create("https://user:pw@93.184.215.14/h"))).contains("credentials");
        assertThat(strict.refusal(URI.create("ftp://93.184.215.14/h"))).contains("https");
    }

    /** The sender checks its configured targets when it is made: a refused one stops the bridge's start. */
    @Test
    void theSenderRefusesPrivateLinkLocalAndLoopbackTargetsAtStartUnlessAllowed() {
        for (String url : new String[] {"https://10.0.0.5/hooks", "https://192.168.1.20/hooks",
                "https://169.254.169.254/latest/meta-data", "https://[fc00::5]/hooks", "https://[fe80::1]/hooks"}) {
            assertThatThrownBy(() -> sender(Map.of("targets.crm", url)))
                    .as(url).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bridge.tickets.webhook.targets.crm").hasMessageContaining("private");
            assertThat(sender(Map.of("targets.crm", url, "allow-private", "true"))).as(url + " with allow-private").isNotNull();
        }
        for (String url : new String[] {"http://127.0.0.1:8080/hooks", "https://[::1]:8443/hooks"}) {
            assertThatThrownBy(() -> sender(Map.of("targets.crm", url)))
                    .as(url).isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
            assertThat(sender(Map.of("targets.crm", url, "allow-loopback", "true"))).as(url + " with allow-loopback").isNotNull();
        }
    }

    private static TicketWebhookSender sender(Map<String, String> webhook) {
        Map<String, String> settings = new HashMap<>();
        webhook.forEach((key, value) -> settings.put("bridge.tickets.webhook." + key, value));
        settings.put("bridge.tickets.webhook.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        TicketProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("bridge.tickets", TicketProperties.class);
        return new TicketWebhookSender(null, properties, new MockEnvironment(), Clock.systemUTC(), new SimpleMeterRegistry());
    }
}
