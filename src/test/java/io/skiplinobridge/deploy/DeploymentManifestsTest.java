package io.skiplinobridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.convert.DurationStyle;

/**
 * The container and Kubernetes files agree with the application they deploy: every manifest parses,
 * the probes hit the actuator's liveness and readiness groups on the port the container exposes, every
 * secret the bridge reads comes from a Secret, config/ and routes/ are mounted where the image keeps
 * them, and Kubernetes waits longer than the bridge's own shutdown bound before it kills.
 */
class DeploymentManifestsTest {

    static final Path DEPLOY = Path.of("docs", "deploy");
    /** Environment variables that carry credentials: they must never be written as plain values. */
    static final List<String> SECRETS = List.of("DB_PASSWORD", "SKIPLINO_API_KEY", "BRIDGE_WEBHOOK_SECRETS",
            "BRIDGE_OPS_TOKEN", "SALESFORCE_CLIENT_SECRET", "SALESFORCE_PASSWORD");

    @Test
    void everyManifestParsesAndNamesItsKind() throws IOException {
        List<Map<String, Object>> documents = documents("deployment.yaml");
        documents.addAll(documents("secret.example.yaml"));
        assertThat(documents).extracting(d -> d.get("kind"))
                .containsExactlyInAnyOrder("Deployment", "Service", "PodDisruptionBudget", "Secret");
        assertThat(documents).allSatisfy(d -> assertThat(d).containsKeys("apiVersion", "metadata"));
    }

    @Test
    void probesUseTheActuatorHealthGroupsOnTheContainersPort() throws IOException {
        Map<String, Object> container = container();
        Map<String, Object> port = list(container, "ports").get(0);
        assertThat(port.get("containerPort")).isEqualTo(exposedPort());
        String portName = (String) port.get("name");

        assertThat(probe(container, "livenessProbe")).containsEntry("path", "/actuator/health/liveness")
                .containsEntry("port", portName);
        assertThat(probe(container, "readinessProbe")).containsEntry("path", "/actuator/health/readiness")
                .containsEntry("port", portName);
        assertThat(probe(container, "startupProbe")).containsEntry("path", "/actuator/health/liveness");
        assertThat(env(container)).containsEntry("PORT", Map.of("value", String.valueOf(exposedPort())));
        String appConfig = Files.readString(Path.of("src", "main", "resources", "application.yaml"));
        assertThat(appConfig).as("the probe groups exist").contains("probes:\n        enabled: true")
                .contains("readiness:\n          include:").contains("liveness:\n          include:");
    }

    @Test
    void everyCredentialComesFromTheSecretAndTheSecretListsIt() throws IOException {
        Map<String, Map<String, Object>> env = env(container());
        Map<String, Object> secret = documents("secret.example.yaml").get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> keys = (Map<String, Object>) secret.get("stringData");
        for (String name : SECRETS) {
            assertThat(env).as(name).containsKey(name);
            assertThat(env.get(name)).as(name + " is no plain value").doesNotContainKey("value");
            @SuppressWarnings("unchecked")
            Map<String, Object> ref = (Map<String, Object>) ((Map<String, Object>) env.get(name).get("valueFrom")).get("secretKeyRef");
            assertThat(ref).as(name).containsEntry("name", "skiplino-bridge").containsEntry("key", name);
            assertThat(keys).as("the example Secret lists " + name).containsKey(name);
        }
        assertThat(keys.values()).as("no value is committed").allSatisfy(v -> assertThat(v).isEqualTo(""));
        assertThat(env.keySet().stream().filter(n -> n.matches(".*(KEY|SECRET|TOKEN|PASSWORD).*"))
                .collect(Collectors.toList())).as("every credential-like variable is a listed secret")
                .allSatisfy(n -> assertThat(SECRETS).contains(n));
    }

    @Test
    void configAndRoutesAreMountedWhereTheImageKeepsThem() throws IOException {
        Map<String, Object> container = container();
        Map<String, String> mounts = list(container, "volumeMounts").stream()
                .collect(Collectors.toMap(m -> (String) m.get("name"), m -> (String) m.get("mountPath")));
        assertThat(mounts).containsEntry("config", "/app/config").containsEntry("routes", "/app/routes");
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("WORKDIR /app").contains("COPY config/ /app/config/").contains("COPY routes/ /app/routes/");
        List<Map<String, Object>> volumes = list(podSpec(), "volumes");
        assertThat(volumes).anySatisfy(v -> assertThat(v.get("configMap")).isEqualTo(Map.of("name", "skiplino-bridge-config")));
        assertThat(volumes).anySatisfy(v -> assertThat(v.get("configMap")).isEqualTo(Map.of("name", "skiplino-bridge-routes")));
    }

    @Test
    void theImageRunsAsNonRootWithAHealthCheckOnReadiness() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("RUN ./mvnw").contains("FROM eclipse-temurin:17-jre").contains("USER bridge")
                .contains("/actuator/health/readiness").contains("HEALTHCHECK");
        assertThat(dockerfile).as("/dev/tcp is a bash feature; Ubuntu's sh is dash").doesNotContain("CMD [\"sh\"");
        Matcher uid = Pattern.compile("--uid (\\d+)").matcher(dockerfile);
        assertThat(uid.find()).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> security = (Map<String, Object>) podSpec().get("securityContext");
        assertThat(security).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", Integer.parseInt(uid.group(1)));
    }

    @Test
    void kubernetesWaitsLongerThanTheBridgesOwnShutdownBound() throws IOException {
        String config = Files.readString(Path.of("config", "application.yaml"));
        Duration phase = DurationStyle.detectAndParse(setting(config, "timeout-per-shutdown-phase"));
        Duration camel = Duration.ofSeconds(Long.parseLong(setting(config, "shutdown-timeout")));
        Map<String, Object> container = container();
        @SuppressWarnings("unchecked")
        Map<String, Object> preStop = (Map<String, Object>) ((Map<String, Object>) container.get("lifecycle")).get("preStop");
        @SuppressWarnings("unchecked")
        int preStopSeconds = (Integer) ((Map<String, Object>) preStop.get("sleep")).get("seconds");
        int grace = (Integer) podSpec().get("terminationGracePeriodSeconds");

        assertThat(Duration.ofSeconds(grace)).isGreaterThan(phase.plus(camel).plusSeconds(preStopSeconds).plusSeconds(5));
        assertThat(config).contains("shutdown: graceful");
    }

    @Test
    void theDisruptionBudgetKeepsAReplicaOfTheDeployment() throws IOException {
        Map<String, Object> pdb = documents("deployment.yaml").stream().filter(d -> "PodDisruptionBudget".equals(d.get("kind")))
                .findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) pdb.get("spec");
        assertThat(spec).containsEntry("minAvailable", 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> deploymentSpec = (Map<String, Object>) deployment().get("spec");
        assertThat(spec.get("selector")).isEqualTo(deploymentSpec.get("selector"));
        assertThat((Integer) deploymentSpec.get("replicas")).isGreaterThan(1);
    }

    /** The single-line value of {@code key: value} in a YAML file, with any ${ENV:default} reduced to its default. */
    private static String setting(String yaml, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + ":\\s*(\\S+)").matcher(yaml);
        assertThat(m.find()).as(key + " is set").isTrue();
        String value = m.group(1);
        Matcher placeholder = Pattern.compile("\\$\\{[A-Z_]+:([^}]+)}").matcher(value);
        return placeholder.matches() ? placeholder.group(1) : value;
    }

    private static int exposedPort() throws IOException {
        Matcher m = Pattern.compile("(?m)^EXPOSE (\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> probe(Map<String, Object> container, String name) {
        return (Map<String, Object>) ((Map<String, Object>) container.get(name)).get("httpGet");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        return list(container, "env").stream().collect(Collectors.toMap(e -> (String) e.get("name"), e -> {
            Map<String, Object> rest = new LinkedHashMap<>(e);
            rest.remove("name");
            return rest;
        }));
    }

    private static Map<String, Object> container() throws IOException {
        return list(podSpec(), "containers").get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> podSpec() throws IOException {
        Map<String, Object> spec = (Map<String, Object>) deployment().get("spec");
        return (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    }

    private static Map<String, Object> deployment() throws IOException {
        return documents("deployment.yaml").stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> map, String key) {
        return (List<Map<String, Object>>) map.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(DEPLOY.resolve(file))) {
            for (Object document : new Yaml().loadAll(reader)) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }
}
