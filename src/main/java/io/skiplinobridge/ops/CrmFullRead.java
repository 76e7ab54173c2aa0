package io.skiplinobridge.ops;

/**
 * A CRM connector's full re-read: every record read again from the CRM into the inbox, where the
 * engine compares each with what Skiplino holds (unchanged ones cost no Skiplino call). The Salesforce
 * connector declares one bean implementing this; {@code POST /ops/api/resync} with
 * {@code "source": "<source()>"} starts it.
 */
public interface CrmFullRead {

    /** The {@code source} value that selects it, e.g. {@code salesforce}. */
    String source();

    /**
     * Starts the re-read in the background and returns at once.
     *
     * @param requestedBy who asked, for the connector's log
     * @return one sentence for the operator: what will happen and where to watch it
     */
    String start(String requestedBy);
}
