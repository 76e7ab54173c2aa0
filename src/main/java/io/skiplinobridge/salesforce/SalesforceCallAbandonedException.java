package io.skiplinobridge.salesforce;

/**
 * The bridge stopped waiting for a Salesforce call ({@link SalesforceCalls}): it outlasted
 * {@code bridge.salesforce.call-timeout}, or the bridge is stopping. Salesforce may still have applied
 * the request; every write the bridge makes is an upsert by external id, so sending it again is safe.
 */
public class SalesforceCallAbandonedException extends RuntimeException {

    private final boolean bridgeStopping;

    SalesforceCallAbandonedException(String message, boolean bridgeStopping) {
        super(message);
        this.bridgeStopping = bridgeStopping;
    }

    /** True when the call was refused or given up because the bridge is shutting down (not Salesforce's fault). */
    public boolean bridgeStopping() {
        return bridgeStopping;
    }

    /** The abandonment in a failure's cause chain, if there is one. */
    public static SalesforceCallAbandonedException in(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SalesforceCallAbandonedException abandoned) {
                return abandoned;
            }
        }
        return null;
    }
}
