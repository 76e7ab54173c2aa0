package io.skiplinobridge.ops;

import java.time.Instant;

/**
 * The CRM outbox's backlog, for the {@code bridge.outbox.*} gauges and the status page. The ticket
 * mirror declares one bean implementing this; until it does, both gauges read 0. Read through the
 * ops surface's cache, so an implementation may simply query its table.
 */
public interface OutboxBacklog {

    /** Rows waiting to be written to the CRM, and when the oldest of them was created. */
    Backlog read();

    /**
     * @param size     entries waiting
     * @param oldestAt creation time of the oldest waiting entry, null when none waits
     */
    record Backlog(long size, Instant oldestAt) {

        public static final Backlog EMPTY = new Backlog(0, null);
    }
}
