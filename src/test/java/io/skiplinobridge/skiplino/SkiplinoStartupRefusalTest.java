package io.skiplinobridge.skiplino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.regex.Pattern;

import io.skiplinobridge.BridgeApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

/** The real application refuses to start, with Spring Boot's short failure report naming the reason. */
@ExtendWith(OutputCaptureExtension.class)
class SkiplinoStartupRefusalTest {

    /** Starts the bridge with these settings as command-line arguments, which outrank config/application.yaml. */
    private static Throwable start(String... settings) {
        String[] args = Arrays.stream(settings).map(setting -> "--" + setting).toArray(String[]::new);
        return catchThrowable(() -> new SpringApplicationBuilder(BridgeApplication.class)
                .web(WebApplicationType.NONE)
                .run(args)
                .close());
    }

    private static void assertRefused(Throwable failure, CapturedOutput output, String reason) {
        assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(SkiplinoStartupRefusedException.class)
                .hasMessageContaining(reason);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .containsPattern("Description:\\R\\R[^\\r\\n]*" + Pattern.quote(reason) + "[^\\r\\n]*\\R\\R"
                        + "Action:")
                .doesNotContain("pk_live_9c2e41");
    }

    @Test
    void refusesAPublicKey(CapturedOutput output) {
        Throwable failure = start("bridge.sandbox.enabled=false", "skiplino.api-key=pk_live_9c2e41",
                "skiplino.base-url=https://api.skiplino.example/external/v1");

        assertRefused(failure, output, "SKIPLINO_API_KEY (skiplino.api-key) is a public key (pk_...)");
    }

    @Test
    void refusesPlainHttpToAnotherMachine(CapturedOutput output) {
        Throwable failure = start("bridge.sandbox.enabled=false", "skiplino.api-key=sk_live_9c2e41",
                "skiplino.base-url=http://api.skiplino.example/external/v1");

        assertRefused(failure, output, "uses plain http to api.skiplino.example");
        assertThat(output.getAll()).doesNotContain("sk_live_9c2e41");
    }

    @Test
    void refusesHttpClientHeaderLoggingThatWouldPrintTheKey(CapturedOutput output) {
        Throwable failure = start("bridge.sandbox.enabled=false", "skiplino.api-key=sk_live_9c2e41",
                "skiplino.base-url=https://api.skiplino.example/external/v1",
                "logging.level.org.apache.hc.client5.http.headers=DEBUG");

        assertRefused(failure, output, "would write the Skiplino API key to the log");
    }
}
