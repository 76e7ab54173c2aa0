package io.skiplinobridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps docs/configuration.md true to the configuration files: every environment variable a file in
 * config/ reads, and every section under {@code bridge:} and at the top level, is named on the page.
 */
class ConfigurationDocTest {

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):");

    private final String page = read(Path.of("docs/configuration.md"));

    @Test
    void everyEnvironmentVariableOfTheConfigurationFilesIsDocumented() throws IOException {
        TreeSet<String> variables = new TreeSet<>();
        for (Path file : configFiles()) {
            String settings = read(file).lines().filter(line -> !line.strip().startsWith("#"))
                    .collect(Collectors.joining("\n"));
            Matcher matcher = ENV_PLACEHOLDER.matcher(settings);
            while (matcher.find()) {
                variables.add(matcher.group(1));
            }
        }

        assertThat(variables).contains("SKIPLINO_API_KEY", "BRIDGE_OPS_TOKEN", "DB_URL");
        assertThat(variables).allSatisfy(variable -> assertThat(page).as("docs/configuration.md names " + variable)
                .contains("`" + variable + "`"));
    }

    @Test
    void everySectionOfApplicationYamlIsDocumented() throws IOException {
        Map<String, Object> root;
        try (InputStream in = Files.newInputStream(Path.of("config/application.yaml"))) {
            root = new Yaml().load(in);
        }
        List<String> sections = new ArrayList<>();
        root.keySet().stream().filter(key -> !key.equals("bridge")).forEach(key -> sections.add(key + ".*"));
        @SuppressWarnings("unchecked")
        Map<String, Object> bridge = (Map<String, Object>) root.get("bridge");
        bridge.forEach((key, value) -> {
            if (value instanceof Map) {
                sections.add("bridge." + key + ".*");
            } else {
                sections.add("bridge." + key);
            }
        });

        assertThat(sections).allSatisfy(section -> assertThat(page).as("docs/configuration.md names " + section)
                .contains("`" + section + "`"));
    }

    private static List<Path> configFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("config"), "*.yaml")) {
            dir.forEach(files::add);
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
