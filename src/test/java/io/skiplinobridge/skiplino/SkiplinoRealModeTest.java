package io.skiplinobridge.skiplino;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.skiplinobridge.skiplino.TestSkiplino.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The client as Spring wires it in real mode, against WireMock, with DEBUG logging on for the bridge,
 * Camel and HttpClient.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "bridge.sandbox.enabled=false",
        "skiplino.read-timeout=3s",
        "skiplino.rate-limit.max-wait=7s",
        "skiplino.circuit-breaker.minimum-number-of-calls=100",
        "logging.level.io.skiplinobridge=DEBUG",
        "logging.level.org.apache.camel=DEBUG",
        "logging.level.org.apache.hc=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class SkiplinoRealModeTest {

    static final String API_KEY = "sk_canary_LeakCanary7f3a91c2";
    private static final String BASE = "/external/v1";

    @RegisterExtension
    static WireMockExtension skiplino = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    /** Dynamic, so that the key is not part of the test context's description, which Camel logs on DEBUG. */
    @DynamicPropertySource
    static void skiplino(DynamicPropertyRegistry registry) {
        registry.add("skiplino.base-url", () -> skiplino.baseUrl() + BASE);
        registry.add("skiplino.api-key", () -> API_KEY);
    }

    /**
     * Logger levels outlive a test context in the JVM: put the DEBUG ones back, so later tests do not log
     * on DEBUG (Camel would print their context, secrets included).
     */
    @AfterAll
    static void restoreLogLevels() {
        LoggingSystem logging = LoggingSystem.get(SkiplinoRealModeTest.class.getClassLoader());
        List.of("io.skiplinobridge", "org.apache.camel", "org.apache.hc").forEach(logger -> logging.setLogLevel(logger, null));
    }

    @Autowired
    SkiplinoClient client;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CamelContext camel;

    @Test
    void theHttpComponentKeepsTheBridgeSettingsOverCamelHttpStarterDefaults() {
        HttpComponent component = camel.getComponent(SkiplinoTransport.COMPONENT, HttpComponent.class);

        assertThat(component.isAutomaticRetriesDisabled()).isTrue();
        assertThat(component.isRedirectHandlingDisabled()).isTrue();
        assertThat(component.isCookieManagementDisabled()).isTrue();
        assertThat(component.getConnectTimeout()).isEqualTo(5_000);
        assertThat(component.getResponseTimeout()).isEqualTo(3_000);
        assertThat(component.getSoTimeout()).isEqualTo(3_000);
        assertThat(component.getConnectionRequestTimeout()).isEqualTo(7_000);
        assertThat(component.getMaxTotalConnections()).isEqualTo(20);
        assertThat(component.getConnectionsPerRoute()).isEqualTo(20);
        assertThat(component.isLogHttpActivity()).isFalse();
    }

    @Test
    void aConnectionResetIsNotRetriedByHttpClient() {
        skiplino.stubFor(get(BASE + "/tickets/reset-once").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        catchThrowableOfType(SkiplinoException.class, () -> client.fetchTicket("reset-once"));

        skiplino.verify(1, getRequestedFor(urlPathEqualTo(BASE + "/tickets/reset-once")));
    }

    @Test
    void theApiKeyNeverReachesLogsExceptionsOrMetrics(CapturedOutput output) {
        skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("documented/ticket-fetched-200.json"))));
        skiplino.stubFor(post(BASE + "/customers/create").willReturn(aResponse().withStatus(401)
                .withBody(fixture("inferred/error-401.json"))));
        skiplino.stubFor(get(urlPathEqualTo(BASE + "/customers/getOne")).willReturn(aResponse().withStatus(422)
                .withBody(fixture("inferred/error-422-does-not-exist.json"))));
        skiplino.stubFor(get(BASE + "/branches").willReturn(aResponse().withStatus(500).withBody("<html>oops</html>")));
        skiplino.stubFor(get(BASE + "/tickets/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        skiplino.stubFor(get(BASE + "/tickets/slow").willReturn(aResponse().withStatus(200).withFixedDelay(4_000)));

        client.fetchTicket("k7m2p9x4q1");
        List<SkiplinoException> failures = new ArrayList<>();
        for (Runnable call : List.<Runnable>of(
                () -> client.createCustomer(new CustomerWrite("crm-7741", null, null, null, null)),
                () -> client.getCustomer(CustomerKey.byExternalId("crm-7741")),
                client::listBranches,
                () -> client.fetchTicket("reset"),
                () -> client.fetchTicket("slow"))) {
            failures.add(catchThrowableOfType(SkiplinoException.class, call::run));
        }

        skiplino.verify(getRequestedFor(urlPathEqualTo(BASE + "/tickets/k7m2p9x4q1"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY)));
        assertThat(failures).doesNotContainNull().allSatisfy(failure -> {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(API_KEY);
        });
        assertThat(output.getAll())
                .as("DEBUG logging of Camel and HttpClient was really on")
                .contains(">>>> skiplino-http://").contains("executing GET /external/v1/tickets/k7m2p9x4q1")
                .doesNotContain(API_KEY)
                .doesNotContain(API_KEY.substring("sk_live_".length()));
        assertThat(meters.getMeters()).allSatisfy(meter -> {
            assertThat(meter.getId().getName()).doesNotContain(API_KEY);
            assertThat(meter.getId().getTags()).allSatisfy(tag -> assertThat(tag.getValue()).doesNotContain(API_KEY));
        });
    }
}
