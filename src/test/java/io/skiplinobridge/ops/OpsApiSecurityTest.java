package io.skiplinobridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.sync.CustomerSyncClaimer;
import org.junit.jupiter.api.Test;

/**
 * No ops endpoint answers without the token (not even with a 404 or 405), the dashboard page itself
 * holds nothing, and the actuator exposes nothing but health, info and prometheus.
 */
class OpsApiSecurityTest extends OpsSpringTestBase {

    /** Every ops call, plus paths and methods that do not exist. */
    static final List<String[]> CALLS = List.of(
            new String[] {"GET", "/ops/api/status"},
            new String[] {"GET", "/ops/api/customers/crm-1"},
            new String[] {"GET", "/ops/api/failures"},
            new String[] {"POST", "/ops/api/failures/1/retry"},
            new String[] {"POST", "/ops/api/failures/retry"},
            new String[] {"POST", "/ops/api/resync"},
            new String[] {"GET", "/ops/api/resync"},
            new String[] {"GET", "/ops/api/resync/rs-1"},
            new String[] {"GET", "/ops/api/flows"},
            new String[] {"POST", "/ops/api/flows/customer-sync/pause"},
            new String[] {"POST", "/ops/api/flows/customer-sync/resume"},
            new String[] {"POST", "/ops/api/flows/deletes/resume"},
            new String[] {"GET", "/ops/api"},
            new String[] {"GET", "/ops/api/"},
            new String[] {"GET", "/ops/api/no-such-thing"},
            new String[] {"DELETE", "/ops/api/status"},
            new String[] {"PUT", "/ops/api/flows/customer-sync/pause"});

    @Test
    void everyOpsCallWithoutAValidTokenIs401ProblemJson() {
        List<String> wrongCredentials = new ArrayList<>();
        wrongCredentials.add(null);
        wrongCredentials.add("Bearer wrong-" + OPS_TOKEN);
        wrongCredentials.add("Bearer " + OPS_TOKEN.substring(0, OPS_TOKEN.length() - 1));
        wrongCredentials.add("Basic " + OPS_TOKEN);
        wrongCredentials.add(OPS_TOKEN);
        wrongCredentials.add("Bearer ");
        for (String[] call : CALLS) {
            for (String authorization : wrongCredentials) {
                OpsHttp.Response response = http.send(call[0], call[1], authorization,
                        call[0].equals("POST") ? "{\"reason\": \"x\", \"dryRun\": false}" : null);
                String what = call[0] + " " + call[1] + " with " + authorization;
                assertThat(response.status()).as(what).isEqualTo(401);
                assertThat(response.contentType()).as(what).startsWith("application/problem+json");
                assertThat(response.headers().firstValue("WWW-Authenticate")).as(what).hasValue("Bearer realm=\"ops\"");
                assertThat(response.json().get("status").asInt()).isEqualTo(401);
            }
        }
        assertThat(flags.isActive(CustomerSyncClaimer.PAUSE_FLAG)).as("nothing was paused").isFalse();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event", Integer.class)).as("nothing resynced").isZero();
    }

    @Test
    void theTokenIsAcceptedWithAnyCaseOfTheSchemeAndUnknownPathsAreThen404() {
        assertThat(http.send("GET", "/ops/api/status", "bearer " + OPS_TOKEN, null).status()).isEqualTo(200);
        assertThat(http.send("GET", "/ops/api/no-such-thing", "Bearer " + OPS_TOKEN, null).status()).isEqualTo(404);
    }

    @Test
    void theDashboardIsServedWithoutTheTokenAndHoldsNoData() {
        OpsHttp.Response page = http.send("GET", "/ops/", null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<label for=\"token\">Ops token</label>").doesNotContain(OPS_TOKEN);
        assertThat(http.send("GET", "/ops/index.html", null, null).body()).isEqualTo(page.body());
        OpsHttp.Response bare = http.send("GET", "/ops", null, null);
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/ops/");
        assertThat(http.send("GET", "/ops/ops.js", null, null).body()).contains("sessionStorage");
    }

    @Test
    void theActuatorExposesOnlyHealthInfoAndPrometheus() {
        JsonNode links = OpsHttp.expect(http.send("GET", "/actuator", null, null), 200).json().get("_links");
        List<String> names = new ArrayList<>();
        links.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus");
        for (String hidden : List.of("env", "beans", "configprops", "loggers", "metrics", "heapdump", "threaddump",
                "mappings", "scheduledtasks", "camelroutes", "camelroutecontroller", "quartz", "flyway", "conditions")) {
            assertThat(http.send("GET", "/actuator/" + hidden, null, null).status()).as(hidden).isEqualTo(404);
        }
        assertThat(http.send("POST", "/actuator/shutdown", null, null).status()).isEqualTo(404);
        assertThat(http.send("GET", "/actuator/info", null, null).status()).isEqualTo(200);
        assertThat(http.send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(200);
    }
}
