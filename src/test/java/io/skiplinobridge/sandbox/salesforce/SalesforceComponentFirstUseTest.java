package io.skiplinobridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.salesforce.FirstUseSafeSalesforceComponent;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A Salesforce component's first use by several threads at once (the ticket outbox's delivery threads
 * at their first batch): every call is answered. With camel-salesforce's own component, a thread could
 * log in on the component's HTTP client before another thread had finished starting it, and both waited
 * forever (a CI run hung on it); see {@link FirstUseSafeSalesforceComponent}.
 */
class SalesforceComponentFirstUseTest extends SalesforceSandboxTestSupport {

    private static final int THREADS = 6;
    private static final int ROUNDS = 8;

    @Test
    void manyThreadsUsingANewComponentAtOnceAreAllAnswered() throws Exception {
        createContacts(3, "first-use-");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String name = bound(passwordComponent());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Map<String, Object>>> answers = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return query(name, "query", "SELECT Id, Email FROM Contact", 200);
                    }));
                }
                go.countDown();
                for (Future<Map<String, Object>> answer : answers) {
                    // a bound on a liveness wait, not a measurement: the deadlock this guards against never ends
                    assertThat(records(answer.get(60, TimeUnit.SECONDS))).hasSize(3);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noEndpointIsCreatedOnceCamelIsStopping() {
        // the component refuses by the context's state; a stopped context is the state a shutdown reaches
        FirstUseSafeSalesforceComponent component = passwordComponent();
        DefaultCamelContext stopped = new DefaultCamelContext();
        stopped.addComponent("sf", component);
        stopped.start();
        stopped.stop();

        assertThat(catchThrowable(() -> component.createEndpoint("sf:query"))).hasStackTraceContaining("Camel is stopping");
    }

    private FirstUseSafeSalesforceComponent passwordComponent() {
        String loginUrl = loginUrl();
        FirstUseSafeSalesforceComponent sf = new FirstUseSafeSalesforceComponent() {
            @Override
            protected void doStart() throws Exception {
                // camel-salesforce-starter's customizer resets the login URL of every Salesforce component bean
                setLoginUrl(loginUrl);
                super.doStart();
            }
        };
        sf.setAuthenticationType(AuthenticationType.USERNAME_PASSWORD);
        sf.setClientId("sandbox-client-id");
        sf.setClientSecret("sandbox-client-secret");
        sf.setUserName("bridge@sandbox.example.com");
        sf.setPassword("sandbox-password");
        return sf;
    }
}
