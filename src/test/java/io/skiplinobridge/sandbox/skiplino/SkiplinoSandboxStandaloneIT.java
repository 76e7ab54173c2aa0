package io.skiplinobridge.sandbox.skiplino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar started with the documented standalone command serves the Skiplino sandbox and
 * loads no bridge route, even with a routes/ directory beside it.
 */
class SkiplinoSandboxStandaloneIT {

    private static final Path JAR = Path.of("target/skiplino-crm-bridge.jar").toAbsolutePath();

    @TempDir
    Path workDir;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theSandboxOnlyProfileServesTheSandboxAndNoBridgeRoute() throws Exception {
        copyConfig();
        Files.createDirectories(workDir.resolve("routes"));
        Files.writeString(workDir.resolve("routes/probe.camel.yaml"), """
                - route:
                    id: probe-route
                    from:
                      uri: timer:probe
                      steps:
                        - log:
                            message: probe route is running
                """);
        int port = freePort();
        Path output = workDir.resolve("sandbox.log");
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--spring.profiles.active=sandbox-only", "--server.port=" + port)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        SandboxHttp http = new SandboxHttp(port);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> http.api("GET", "/branches", SandboxHttp.SECRET, null).status() == 200);

        SandboxHttp.Answer branches = http.api("GET", "/branches", SandboxHttp.SECRET, null);
        assertThat(branches.json().get("message").asText()).isEqualTo("Branches fetched successfully.");
        assertThat(http.control("GET", "/stats", null).json().get("requests")).isNotEmpty();
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(log).contains("Routes startup (total:0)").doesNotContain("probe route is running");
    }

    private void copyConfig() throws IOException {
        Path config = Path.of("config");
        Files.createDirectories(workDir.resolve("config"));
        try (Stream<Path> files = Files.list(config)) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            for (Path yaml : yamls) {
                Files.copy(yaml, workDir.resolve("config").resolve(yaml.getFileName()));
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
