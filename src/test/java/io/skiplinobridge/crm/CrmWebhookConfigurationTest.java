package io.skiplinobridge.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import io.skiplinobridge.crm.StandardWebhooks.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class CrmWebhookConfigurationTest {

    private static final String VALID = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @TempDir
    Path dataDir;

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(Support.class, CrmWebhookConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebhookProperties.class)
    static class Support {

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    @Test
    void acceptsSeveralSpaceSeparatedSecrets() {
        String rotatedIn = WebhookSecret.generate().encoded();
        contexts.withPropertyValues("bridge.webhook.secrets= " + VALID + "  " + rotatedIn + " ",
                        "bridge.sandbox.enabled=true", "bridge.data-dir=" + dataDir)
                .run(context -> {
                    StandardWebhooks webhooks = context.getBean(StandardWebhooks.class);
                    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                    long now = Clock.systemUTC().instant().getEpochSecond();
                    String onlyNew = new StandardWebhooks(List.of(WebhookSecret.parse(rotatedIn)),
                            Clock.systemUTC()).sign("m", now, body);

                    assertThat(webhooks.verify("m", Long.toString(now), onlyNew, body)).isEqualTo(Verification.VALID);
                    // configured secrets win: no sandbox file is generated
                    assertThat(dataDir.resolve(SandboxWebhookSecretFile.FILE_NAME)).doesNotExist();
                });
    }

    @Test
    void stopsStartUpOnAMalformedSecretWithAOneLineReasonThatHidesIt() {
        String badBase64 = "whsec_Sup3r*Secr3t*Value*That*Must*Not*Leak";
        contexts.withPropertyValues("bridge.webhook.secrets=" + VALID + " " + badBase64)
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    FailureAnalysis analysis = new WebhookSecretFailureAnalyzer().analyze(failure);

                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription())
                            .isEqualTo("BRIDGE_WEBHOOK_SECRETS: secret 2 of 2 is not valid base64 after whsec_")
                            .doesNotContain("\n");
                    assertThat(analysis.getAction()).doesNotContain("Sup3r");
                    assertThat(stackTraceOf(failure)).doesNotContain("Sup3r").doesNotContain(VALID.substring(6));
                });
    }

    @Test
    void refusesASecretWithoutThePrefix() {
        contexts.withPropertyValues("bridge.webhook.secrets=" + VALID.substring("whsec_".length()))
                .run(context -> assertThat(new WebhookSecretFailureAnalyzer().analyze(context.getStartupFailure())
                        .getDescription()).isEqualTo("BRIDGE_WEBHOOK_SECRETS: secret 1 of 1 does not start with whsec_"));
    }

    @Test
    void withoutSecretsOutsideSandboxModeRefusesEverythingAndWarns(CapturedOutput output) {
        contexts.withPropertyValues("bridge.sandbox.enabled=false", "bridge.data-dir=" + dataDir)
                .run(context -> {
                    StandardWebhooks webhooks = context.getBean(StandardWebhooks.class);

                    assertThat(webhooks.hasSecrets()).isFalse();
                    assertThat(webhooks.verify("m", "1", "v1,x", new byte[0])).isEqualTo(Verification.NO_SECRETS);
                    assertThat(output).contains("WARN").contains(
                            "BRIDGE_WEBHOOK_SECRETS is not set: POST /api/crm/events answers 401 to every request");
                    assertThat(dataDir.resolve(SandboxWebhookSecretFile.FILE_NAME)).doesNotExist();
                });
    }

    @Test
    void inSandboxModeGeneratesAKeptSecretAndLogsWhereNotWhat(CapturedOutput output) throws Exception {
        Path file = dataDir.resolve(SandboxWebhookSecretFile.FILE_NAME).toAbsolutePath();
        contexts.withPropertyValues("bridge.sandbox.enabled=true", "bridge.data-dir=" + dataDir)
                .run(context -> assertThat(context.getBean(StandardWebhooks.class).hasSecrets()).isTrue());
        String secret = Files.readString(file).strip();

        contexts.withPropertyValues("bridge.sandbox.enabled=true", "bridge.data-dir=" + dataDir)
                .run(context -> {
                    long now = Clock.systemUTC().instant().getEpochSecond();
                    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                    String signed = new StandardWebhooks(List.of(WebhookSecret.parse(secret)),
                            Clock.systemUTC()).sign("m", now, body);

                    assertThat(context.getBean(StandardWebhooks.class).verify("m", Long.toString(now), signed, body))
                            .isEqualTo(Verification.VALID);
                });

        assertThat(output).contains("newly generated secret in " + file).contains("kept secret in " + file)
                .doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
    }

    @Test
    void doesNotExistWithoutTheBridgeFlows() {
        new ApplicationContextRunner()
                .withUserConfiguration(Support.class, CrmWebhookConfiguration.class, CrmEventReader.class,
                        CrmEventsController.class, WebhookMetrics.class)
                .withPropertyValues("bridge.flows.enabled=false", "bridge.webhook.secrets=not-even-valid")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(StandardWebhooks.class)
                            .doesNotHaveBean(CrmEventsController.class)
                            .doesNotHaveBean(CrmEventReader.class)
                            .doesNotHaveBean(WebhookMetrics.class);
                });
    }

    private static String stackTraceOf(Throwable failure) {
        var text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
