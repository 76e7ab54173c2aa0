package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The rules of {@link SalesforceCalls} without Salesforce: a component whose producer keeps every call
 * and answers only when the test says so stands in for camel-salesforce caught in a re-login.
 */
class SalesforceCallsTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final HoldingComponent salesforce = new HoldingComponent();

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    private SalesforceCalls calls(Duration callTimeout) {
        camel.addComponent("held", salesforce);
        camel.start();
        SalesforceProperties properties = mock(SalesforceProperties.class);
        when(properties.callTimeout()).thenReturn(callTimeout);
        @SuppressWarnings("unchecked")
        ObjectProvider<CamelContext> provider = mock(ObjectProvider.class);
        when(provider.getObject()).thenReturn(camel);
        SalesforceCalls calls = new SalesforceCalls(provider, properties);
        calls.start();
        return calls;
    }

    @Test
    void anAnsweredCallReturnsTheAnswer() throws Exception {
        SalesforceCalls calls = calls(Duration.ofMinutes(1));
        CompletableFuture<Exchange> answer = CompletableFuture.supplyAsync(() ->
                calls.request("held:query", request -> request.setBody("SELECT Id FROM Contact")));
        Held call = salesforce.calls.poll(30, TimeUnit.SECONDS);
        assertThat(call).isNotNull();
        assertThat(call.exchange.getIn().getBody()).isEqualTo("SELECT Id FROM Contact");
        call.exchange.getMessage().setBody("records");
        call.callback.done(false);

        assertThat(answer.get(30, TimeUnit.SECONDS).getMessage().getBody()).isEqualTo("records");
    }

    @Test
    void aCallWithoutAnAnswerIsGivenUpAfterTheCallTimeout() {
        SalesforceCalls calls = calls(Duration.ofMillis(300));

        SalesforceCallAbandonedException abandoned = (SalesforceCallAbandonedException) catchThrowable(() ->
                calls.request("held:upsert", request -> request.setBody("records")));

        assertThat(abandoned.bridgeStopping()).isFalse();
        assertThat(abandoned).hasMessageContaining("bridge.salesforce.call-timeout");
        assertThat(salesforce.calls).hasSize(1);
    }

    @Test
    void stoppingGivesUpEveryWaitingCallAtOnceAndRefusesNewOnes() {
        SalesforceCalls calls = calls(Duration.ofHours(1));
        CompletableFuture<Exchange> first = CompletableFuture.supplyAsync(() -> calls.request("held:upsert", request -> { }));
        CompletableFuture<Exchange> second = CompletableFuture.supplyAsync(() -> calls.request("held:query", request -> { }));
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.calls.size() == 2);

        calls.stop();

        for (CompletableFuture<Exchange> call : List.of(first, second)) {
            // a liveness bound: only the stop can end these calls (their timeout is an hour)
            assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(SalesforceCallAbandonedException.class,
                            abandoned -> assertThat(abandoned.bridgeStopping()).isTrue());
        }
        int producers = salesforce.producersCreated.get();
        assertThatThrownBy(() -> calls.request("held:other", request -> { }))
                .isInstanceOfSatisfying(SalesforceCallAbandonedException.class,
                        abandoned -> assertThat(abandoned.bridgeStopping()).isTrue());
        assertThat(calls.accepting()).isFalse();
        assertThat(salesforce.producersCreated).as("no producer is created once stopping").hasValue(producers);
    }

    @Test
    void producersAreCreatedOncePerEndpoint() {
        SalesforceCalls calls = calls(Duration.ofMillis(50));
        for (int i = 0; i < 3; i++) {
            catchThrowable(() -> calls.request("held:query", request -> { }));
        }
        assertThat(salesforce.producersCreated).hasValue(1);
    }

    private record Held(Exchange exchange, AsyncCallback callback) {
    }

    /** Keeps every call it is given; the test answers it, or never does. */
    private static final class HoldingComponent extends DefaultComponent {

        final BlockingQueue<Held> calls = new LinkedBlockingQueue<>();
        final AtomicInteger producersCreated = new AtomicInteger();

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    producersCreated.incrementAndGet();
                    return new DefaultAsyncProducer(this) {
                        @Override
                        public boolean process(Exchange exchange, AsyncCallback callback) {
                            calls.add(new Held(exchange, callback));
                            return false;
                        }
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    throw new UnsupportedOperationException("producer only");
                }
            };
        }
    }
}
