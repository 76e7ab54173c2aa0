package io.skiplinobridge.salesforce;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.skiplinobridge.config.ConditionalOnFlows;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The one way the bridge calls Salesforce (the poll's queries, the ticket upserts), on producers it owns
 * rather than Camel's producer caches, so that no Salesforce call can hold up a shutdown
 * (docs/reliability.md, "Shutdown while Salesforce is unreachable"):
 * <ul>
 *   <li>a producer is created and started once per endpoint, one at a time (the first calls of several
 *       workers do not start the component concurrently), and never again once the bridge is stopping:
 *       a Camel cache would restart a stopped producer on use, which then logs in on a stopped client;</li>
 *   <li>the caller waits at most {@code bridge.salesforce.call-timeout} for the answer, whatever
 *       camel-salesforce's re-login and retries do meanwhile (they can outlast any one request timeout,
 *       and an answer that arrives while its client stops is never delivered);</li>
 *   <li>when the application context begins to close, before the web server's graceful shutdown (so
 *       before an embedded Salesforce sandbox goes away) and before Camel stops its routes, every call
 *       still waiting is given up at once and new ones are refused. The callers hand their work back:
 *       the rows stay pending for the next start or another instance.</li>
 * </ul>
 * A call is made on a copy of the caller's message: an answer that comes after it was given up
 * changes nothing the caller still holds.
 */
@Component("salesforceCalls")
@ConditionalOnFlows
public class SalesforceCalls implements SmartLifecycle {

    /** Stops first: above the web server's graceful shutdown, which Camel's own stop follows. */
    static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;

    private static final Logger log = LoggerFactory.getLogger(SalesforceCalls.class);

    /** Looked up on use: a lifecycle bean's dependencies are started with it, and Camel must start on its own cue. */
    private final ObjectProvider<CamelContext> camel;
    private final Duration callTimeout;
    private final Map<String, AsyncProducer> producers = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<Exchange>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean closing;

    SalesforceCalls(ObjectProvider<CamelContext> camel, SalesforceProperties properties) {
        this.camel = camel;
        this.callTimeout = properties.callTimeout();
    }

    /**
     * Sends a request to a Salesforce endpoint ({@code salesforce:query?rawPayload=true}, ...) and returns
     * the answered exchange: its body is the answer, its exception set when Salesforce failed the call.
     *
     * @throws SalesforceCallAbandonedException when the bridge is stopping, or no answer came within the call timeout
     */
    public Exchange request(String uri, Consumer<Message> request) {
        refuseWhenStopping();
        AsyncProducer producer = producer(uri);
        Exchange call = producer.getEndpoint().createExchange(ExchangePattern.InOut);
        request.accept(call.getIn());
        CompletableFuture<Exchange> answer = new CompletableFuture<>();
        waiting.add(answer);
        try {
            // checked again once registered: a stop that began meanwhile either sees this call or is seen here
            refuseWhenStopping();
            try {
                producer.process(call, doneSync -> answer.complete(call));
            } catch (RuntimeException failure) {
                call.setException(failure);
                answer.complete(call);
            }
            return answer.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("No answer from Salesforce within {} ({}): the call is given up", callTimeout, producer.getEndpoint());
            throw new SalesforceCallAbandonedException("no answer from Salesforce within bridge.salesforce.call-timeout ("
                    + callTimeout + ")", false);
        } catch (ExecutionException e) {
            // only stop() completes a call exceptionally
            throw (SalesforceCallAbandonedException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceCallAbandonedException("interrupted while waiting for Salesforce", true);
        } finally {
            waiting.remove(answer);
        }
    }

    private AsyncProducer producer(String uri) {
        AsyncProducer producer = producers.get(uri);
        if (producer != null) {
            return producer;
        }
        synchronized (producers) {
            producer = producers.get(uri);
            if (producer == null) {
                refuseWhenStopping();
                try {
                    // resolving the endpoint starts its component (the login) if it is not started yet
                    producer = camel.getObject().getEndpoint(uri).createAsyncProducer();
                    ServiceHelper.startService(producer);
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeCamelException(e);
                }
                producers.put(uri, producer);
            }
            return producer;
        }
    }

    /** False once the bridge is stopping: a call now would be refused. */
    public boolean accepting() {
        CamelContext context = camel.getObject();
        return !closing && !context.isStopping() && !context.isStopped();
    }

    private void refuseWhenStopping() {
        if (!accepting()) {
            throw new SalesforceCallAbandonedException("the bridge is stopping: no Salesforce call now", true);
        }
    }

    @Override
    public void start() {
        closing = false;
        running = true;
    }

    /**
     * Gives up every call still waiting and refuses new ones. The producers are left to the component's
     * stop, which closes their HTTP client: stopping them here would wait for the very requests given up.
     */
    @Override
    public void stop() {
        closing = true;
        running = false;
        SalesforceCallAbandonedException stopping =
                new SalesforceCallAbandonedException("the bridge is stopping: the Salesforce call is given up", true);
        int given = 0;
        for (CompletableFuture<Exchange> call : waiting) {
            given += call.completeExceptionally(stopping) ? 1 : 0;
        }
        producers.clear();
        if (given > 0) {
            log.info("{} Salesforce call(s) in flight given up: the bridge is stopping (their work is handed back)", given);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
