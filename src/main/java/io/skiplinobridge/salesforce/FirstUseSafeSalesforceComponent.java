package io.skiplinobridge.salesforce;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.salesforce.SalesforceComponent;

/**
 * A camel-salesforce component that may be used for the first time by several threads at once.
 *
 * <p>Camel starts a component bean on its first use. When two threads use one at the same moment (the
 * ticket outbox's delivery threads at their first batch, or the poll and the write-back), the second one
 * can get the component while the first is still starting it, create an endpoint and a producer, and log
 * in on the component's HTTP client before that client has started: the login never answers, and the
 * first thread's start then waits forever for a lock the second one holds (seen in CI as a
 * {@code ticket-outbox-deliver} thread parked in {@code SalesforceSession.login}). Here every endpoint is
 * created from a started component: {@link #start()} waits for a start in progress on another thread, and
 * tries again a start that failed (Salesforce unreachable at the first use). Once Camel is stopping, no
 * endpoint is created at all, so that nothing logs in on a client that is shutting down.
 */
public class FirstUseSafeSalesforceComponent extends SalesforceComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CamelContext context = getCamelContext();
        if (context.isStopping() || context.isStopped()) {
            throw new IllegalStateException("Camel is stopping: no new Salesforce endpoint (" + remaining + ")");
        }
        start();
        return super.createEndpoint(uri, remaining, parameters);
    }
}
