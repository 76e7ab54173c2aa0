package io.skiplinobridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules and the Grafana dashboard under docs/ops/ parse, and use only metrics the runbook
 * documents; every alert of the runbook has a rule and every rule is in the runbook.
 */
class OpsDocsTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:bridge|skiplino|resilience4j)_[a-z0-9_]+)");

    @Test
    void everyAlertRuleIsWellFormedDocumentedAndUsesDocumentedMetrics() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(Path.of("docs/ops/prometheus-alerts.yaml")));
        List<Map<String, Object>> groups = list(rules.get("groups"));
        Set<String> alerts = new LinkedHashSet<>();
        for (Map<String, Object> group : groups) {
            for (Map<String, Object> rule : list(group.get("rules"))) {
                String name = (String) rule.get("alert");
                assertThat(name).isNotBlank();
                assertThat(alerts.add(name)).as("alert " + name + " defined once").isTrue();
                assertThat((String) rule.get("expr")).as(name).isNotBlank();
                assertThat(map(rule.get("labels")).get("severity")).as(name).isIn("info", "warning", "critical");
                assertThat(map(rule.get("annotations"))).as(name).containsKeys("summary", "description");
                assertThat(metricsIn((String) rule.get("expr"))).as(name + " uses documented metrics")
                        .isNotEmpty().isSubsetOf(OperationsDoc.metrics());
            }
        }
        assertThat(alerts).containsExactlyInAnyOrderElementsOf(OperationsDoc.alerts());
    }

    @Test
    void theGrafanaDashboardParsesAndUsesDocumentedMetrics() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Path.of("docs/ops/grafana-dashboard.json").toFile());
        assertThat(dashboard.get("title").asText()).isEqualTo("Skiplino CRM Bridge");
        Set<Integer> ids = new LinkedHashSet<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
            panel.path("targets").forEach(t -> expressions.add(t.get("expr").asText()));
        }
        assertThat(expressions).hasSizeGreaterThan(15);
        Set<String> used = new LinkedHashSet<>();
        expressions.forEach(e -> used.addAll(metricsIn(e)));
        assertThat(used).isSubsetOf(OperationsDoc.metrics());
        assertThat(used).contains("bridge_sync_backlog_events", "skiplino_client_requests_seconds",
                "bridge_tickets_mirror_lag_seconds", "bridge_salesforce_poll_duration_seconds");
    }

    /** Metric names in a PromQL expression, with the series suffixes of timers removed. */
    static Set<String> metricsIn(String expression) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(expression);
        while (m.find()) {
            names.add(m.group(1).replaceAll("_(bucket|count|sum|max)$", ""));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
