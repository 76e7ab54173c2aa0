package io.skiplinobridge.ops;

/**
 * A flow of the bridge as operators see it: it has a name, it can be paused and resumed from the ops
 * API, and it reports what it last did. Each feature declares its flows as Spring beans implementing
 * this (the Salesforce poll, ticket discovery, the CRM outbox); the ops API, the dashboard, the
 * {@code flows} health contributor and the {@code bridge.flow.*} metrics pick every one of them up.
 *
 * <p>Pausing sets the flow's {@link #pauseFlag()} in {@link io.skiplinobridge.store.BridgeFlags} (who,
 * when, why; kept across restarts and shared by every instance). The flow itself must check that flag
 * before each unit of work and do nothing while it is active: the bridge's flows already do, see
 * {@code CustomerSyncClaimer}.
 */
public interface OperatedFlow {

    /** Kebab-case name used in {@code /ops/api/flows/{name}/pause}, in metrics and on the dashboard, e.g. {@code salesforce-poll}. */
    String name();

    /** The {@link io.skiplinobridge.store.BridgeFlags} switch that holds the flow while active, e.g. {@code salesforce-poll.paused}. */
    String pauseFlag();

    /** One line for the dashboard: what the flow does. */
    String description();

    /**
     * What the flow last did and whether it is held back by something other than an operator. Called on
     * every status request, health check and metrics scrape: answer from memory or from a cache, never
     * with a remote call.
     */
    FlowReport report();
}
