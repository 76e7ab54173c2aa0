package io.skiplinobridge.sandbox.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * One application context for every Salesforce sandbox test: the sandbox-only profile (no bridge flows
 * calling the sandbox behind the test's back, no demo seed), the JWT
 * certificate of {@link JwtTestKeys#trusted()}, and a clock tests can move forward. Each test starts
 * from a reset sandbox and gets fresh camel-salesforce components, configured in code against the
 * random port exactly as the bridge's connector would be.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("sandbox-only")
abstract class SalesforceSandboxTestSupport {

    static final OffsetClock CLOCK = new OffsetClock();
    static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    static final TypeReference<List<Map<String, Object>>> ARRAY = new TypeReference<>() { };
    private static final AtomicInteger COMPONENTS = new AtomicInteger();

    @TestBean(name = "clock", methodName = "sandboxClock")
    Clock clock;

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> components = new ArrayList<>();

    static Clock sandboxClock() {
        return CLOCK;
    }

    @DynamicPropertySource
    static void jwtCertificate(DynamicPropertyRegistry registry) {
        registry.add("bridge.sandbox.salesforce.jwt-certificate", () -> JwtTestKeys.trusted().certificate().toString());
    }

    @BeforeEach
    void resetSandbox() {
        CLOCK.reset();
        assertStatus(send("POST", "/sandbox/control/reset", null), 204);
    }

    @AfterEach
    void removeComponents() {
        components.forEach(name -> ServiceHelper.stopAndShutdownService(camel.removeComponent(name)));
        components.clear();
    }

    String loginUrl() {
        return "http://127.0.0.1:" + port + "/sandbox/salesforce";
    }

    /** A started camel-salesforce component logged in with the sandbox's default password-grant credentials. */
    String component() {
        return component(AuthenticationType.USERNAME_PASSWORD, sf -> { });
    }

    /** A started component of the given auth type; {@code customize} may change credentials before login. */
    String component(AuthenticationType type, Consumer<SalesforceComponent> customize) {
        SalesforceComponent sf = new SalesforceComponent();
        sf.setLoginUrl(loginUrl());
        sf.setAuthenticationType(type);
        sf.setClientId("sandbox-client-id");
        switch (type) {
            case USERNAME_PASSWORD -> {
                sf.setClientSecret("sandbox-client-secret");
                sf.setUserName("bridge@sandbox.example.com");
                sf.setPassword("sandbox-password");
            }
            case REFRESH_TOKEN -> {
                sf.setClientSecret("sandbox-client-secret");
                sf.setRefreshToken("sandbox-refresh-token");
            }
            case JWT -> {
                sf.setUserName("bridge@sandbox.example.com");
                sf.setKeystore(keystore(JwtTestKeys.trusted()));
            }
            case CLIENT_CREDENTIALS -> sf.setClientSecret("sandbox-client-secret");
        }
        customize.accept(sf);
        String name = added(sf);
        sf.start();
        return name;
    }

    String added(SalesforceComponent sf) {
        String name = "sfSandbox" + COMPONENTS.incrementAndGet();
        camel.addComponent(name, sf);
        components.add(name);
        return name;
    }

    /**
     * The given component as a bean of the registry, which is how the bridge's components come (Spring
     * beans): Camel starts it on its first use. Removed from the context after the test.
     */
    String bound(SalesforceComponent sf) {
        String name = "sfSandbox" + COMPONENTS.incrementAndGet();
        camel.getRegistry().bind(name, sf);
        components.add(name);
        return name;
    }

    static KeyStoreParameters keystore(JwtTestKeys.KeyPairFiles keys) {
        KeyStoreParameters keystore = new KeyStoreParameters();
        keystore.setResource("file:" + keys.keystore());
        keystore.setPassword(JwtTestKeys.PASSWORD);
        keystore.setType("PKCS12");
        return keystore;
    }

    /** {@code query} or {@code queryAll} through the component with {@code rawPayload=true}; the parsed page. */
    Map<String, Object> query(String component, String operation, String soql, int batchSize) {
        Exchange exchange = producer.request(component + ":" + operation + "?rawPayload=true", request -> {
            request.getIn().setBody(soql);
            request.getIn().setHeader("Sforce-Query-Options", "batchSize=" + batchSize);
        });
        if (exchange.getException() != null) {
            throw CamelExecutionException.wrapCamelExecutionException(exchange, exchange.getException());
        }
        return parse(exchange.getMessage().getBody());
    }

    Map<String, Object> queryMore(String component, String nextRecordsUrl) {
        return parse(producer.requestBody(component + ":queryMore?rawPayload=true", nextRecordsUrl));
    }

    /** The bridge's paging pattern: one query, then {@code queryMore} until {@code done}. */
    List<Map<String, Object>> queryAllPages(String component, String operation, String soql, int batchSize,
                                            Consumer<Integer> afterPage) {
        List<Map<String, Object>> records = new ArrayList<>();
        Map<String, Object> page = query(component, operation, soql, batchSize);
        int pages = 1;
        while (true) {
            records.addAll(records(page));
            afterPage.accept(pages);
            if (Boolean.TRUE.equals(page.get("done"))) {
                return records;
            }
            page = queryMore(component, (String) page.get("nextRecordsUrl"));
            pages++;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> records(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("records");
    }

    static SalesforceException salesforceFailure(Runnable call) {
        try {
            call.run();
        } catch (CamelExecutionException failed) {
            if (failed.getCause() instanceof SalesforceException salesforce) {
                return salesforce;
            }
            throw failed;
        }
        throw new AssertionError("the call succeeded but a SalesforceException was expected");
    }

    /** Creates contacts through the control API; the stored records. */
    List<Map<String, Object>> createContacts(List<Map<String, Object>> contacts) {
        HttpResponse<String> response = send("POST", "/sandbox/control/salesforce/contacts", toJson(contacts));
        assertStatus(response, 201);
        return parseArray(response.body());
    }

    List<Map<String, Object>> createContacts(int count, String emailPrefix) {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            contacts.add(Map.of("LastName", "Contact " + i, "Email", emailPrefix + i + "@example.com"));
        }
        return createContacts(contacts);
    }

    List<Map<String, Object>> storedRecords(String sObject) {
        HttpResponse<String> response = send("GET", "/sandbox/control/salesforce/sobjects/" + sObject, null);
        assertStatus(response, 200);
        return parseArray(response.body());
    }

    void setFaults(String json) {
        assertStatus(send("PUT", "/sandbox/control/salesforce/faults", json), 200);
    }

    /** Count of calls of one kind and status from the control stats. */
    long calls(String kind, int status) {
        Map<String, Object> stats = parse(send("GET", "/sandbox/control/salesforce/stats", null).body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> calls = (List<Map<String, Object>>) stats.get("calls");
        return calls.stream().filter(call -> kind.equals(call.get("kind")) && Integer.valueOf(status).equals(call.get("status")))
                .mapToLong(call -> ((Number) call.get("count")).longValue()).sum();
    }

    HttpResponse<String> send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(request.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void assertStatus(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + response.statusCode() + ": " + response.body());
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> parse(Object body) {
        try {
            if (body instanceof InputStream in) {
                return JSON.readValue(in, OBJECT);
            }
            return JSON.readValue((String) body, OBJECT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, Object>> parseArray(String body) {
        try {
            return JSON.readValue(body, ARRAY);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
