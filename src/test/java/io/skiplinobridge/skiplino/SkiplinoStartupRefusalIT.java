package io.skiplinobridge.skiplino;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged bridge, started as operators start it, refuses a public key: non-zero exit, one-line reason. */
class SkiplinoStartupRefusalIT {

    private static final String PUBLIC_KEY = "pk_live_2b7c90e1";

    @Test
    void thePackagedBridgeExitsNonZeroWithTheReason(@TempDir Path dataDir) throws Exception {
        Path jar = Path.of("target", "skiplino-crm-bridge.jar");
        assertThat(jar).exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder start = new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true);
        start.environment().remove("BRIDGE_SANDBOX");
        start.environment().put("SKIPLINO_API_KEY", PUBLIC_KEY);
        start.environment().put("SKIPLINO_BASE_URL", "https://api.skiplino.example/external/v1");
        start.environment().put("BRIDGE_DATA_DIR", dataDir.toString());
        start.environment().put("PORT", "0");

        Process bridge = start.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(bridge.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean exited = bridge.waitFor(3, TimeUnit.MINUTES);
        if (!exited) {
            bridge.destroyForcibly();
        }

        assertThat(exited).as("the bridge should stop by itself").isTrue();
        assertThat(bridge.exitValue()).isNotZero();
        assertThat(output.get(30, TimeUnit.SECONDS))
                .containsPattern("Description:\\R\\RSKIPLINO_API_KEY \\(skiplino.api-key\\) is a public key \\(pk_\\.\\.\\.\\)"
                        + "[^\\r\\n]*\\R\\RAction:")
                .doesNotContain(PUBLIC_KEY);
    }
}
