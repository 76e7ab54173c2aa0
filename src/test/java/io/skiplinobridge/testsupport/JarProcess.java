package io.skiplinobridge.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged bridge jar run as a child process, as an operator runs it: from the project directory
 * (so {@code config/} and {@code routes/} are read from there), with its output in a log file. Used by
 * the crash, restart and multi-instance tests ({@code *IT}).
 */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "skiplino-crm-bridge.jar");

    private final String name;
    private final List<String> arguments;
    private final Path log;
    private final int port;
    private final List<String> jvmOptions;
    private Process process;

    private JarProcess(String name, int port, List<String> arguments, Path logDir) {
        this(name, port, arguments, logDir.resolve(name + ".log"), List.of());
    }

    private JarProcess(String name, int port, List<String> arguments, Path log, List<String> jvmOptions) {
        this.name = name;
        this.port = port;
        this.arguments = arguments;
        this.log = log;
        this.jvmOptions = jvmOptions;
    }

    /**
     * The same process with extra JVM options (before {@code -jar}), e.g. flags that start it faster on a
     * loaded machine; call before {@link #start()}.
     */
    public JarProcess withJvmOptions(String... options) {
        return new JarProcess(name, port, arguments, log, List.of(options));
    }

    /** A standalone sandbox (profile {@code sandbox-only}) on a free port. */
    public static JarProcess sandbox(Path workDir) {
        int port = freePort();
        return new JarProcess("sandbox", port, List.of("--spring.profiles.active=sandbox-only",
                "--server.port=" + port, "--bridge.data-dir=" + workDir.resolve("sandbox-data")), workDir);
    }

    /** A standalone sandbox with extra {@code --key=value} arguments (e.g. its own Skiplino secret key). */
    public static JarProcess sandbox(Path workDir, String... extra) {
        JarProcess sandbox = sandbox(workDir);
        List<String> args = new ArrayList<>(sandbox.arguments);
        args.addAll(List.of(extra));
        return new JarProcess(sandbox.name, sandbox.port, args, workDir);
    }

    /**
     * A bridge instance in real mode pointed at {@code sandbox}, with extra {@code --key=value} arguments;
     * an extra argument replaces a default one with the same key (Spring would join the two values).
     */
    public static JarProcess bridge(String name, Path workDir, JarProcess sandbox, String... extra) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--bridge.sandbox.enabled=false",
                "--skiplino.base-url=" + sandbox.baseUrl() + "/sandbox/skiplino/external/v1",
                "--skiplino.api-key=sk_sandbox_secret",
                "--bridge.data-dir=" + workDir.resolve(name + "-data"),
                "--bridge.instance-id=" + name));
        for (String argument : extra) {
            args.removeIf(arg -> key(arg).equals(key(argument)));
            args.add(argument);
        }
        return new JarProcess(name, port, args, workDir);
    }

    private static String key(String argument) {
        int equals = argument.indexOf('=');
        return equals < 0 ? argument : argument.substring(0, equals);
    }

    /** Starts the process, or starts it again (same port, arguments and log file) after it ended. */
    public JarProcess start() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: *IT tests run after 'package' (./mvnw verify)");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
        return this;
    }

    /** Starts and waits until {@code /actuator/health/readiness} is UP. */
    public JarProcess startAndAwaitReady() {
        start();
        try {
            awaitReady();
        } catch (RuntimeException | AssertionError notReady) {
            // a try-with-resources never closes a resource whose initialiser failed: do not leave it running
            close();
            throw notReady;
        }
        return this;
    }

    public void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        // generous: on a CI machine shared by several builds a cold start can take minutes
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"UP\"");
        });
    }

    /** SIGKILL: no shutdown hook, no graceful anything. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: the graceful shutdown path. Returns the exit code. */
    public int terminate(Duration atMost) {
        process.destroy();
        return waitFor(atMost);
    }

    private int waitFor(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + atMost);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
