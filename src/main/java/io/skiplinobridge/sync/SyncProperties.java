package io.skiplinobridge.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Customer sync engine settings ({@code bridge.sync.*}).
 *
 * @param enabled      run the customer sync flow at all
 * @param workers      customers applied concurrently by this instance
 * @param lease        how long a claimed customer stays reserved for this instance; must exceed the
 *                     slowest apply (rate-limit wait plus two Skiplino calls at the read timeout)
 * @param maxAttempts  transient failures of one change before it is parked
 * @param backoffBase  first retry delay (exponential, full jitter)
 * @param backoffMax   longest retry delay
 * @param authBackoff  wait after Skiplino refused the API key (401), without using up attempts
 * @param deletes      how CRM deletions are applied
 * @param preload      when Skiplino's customer directory is read before the first claim
 *                     ({@link DirectoryPreload})
 */
@ConfigurationProperties("bridge.sync")
public record SyncProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("16") int workers,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("1s") Duration backoffBase,
        @DefaultValue("5m") Duration backoffMax,
        @DefaultValue("60s") Duration authBackoff,
        @DefaultValue Deletes deletes,
        @DefaultValue("COLD_START") PreloadMode preload) {

    public SyncProperties {
        if (workers < 1) {
            throw new IllegalArgumentException("bridge.sync.workers must be at least 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("bridge.sync.max-attempts must be at least 1");
        }
    }

    /**
     * @param mode          DELETE removes the customer from Skiplino; IGNORE leaves Skiplino untouched
     * @param maxPerWindow  mass-delete guard: more deletes than this inside {@code window} pauses deletes
     * @param window        the guard's sliding window
     */
    public record Deletes(@DefaultValue("DELETE") DeleteMode mode,
                          @DefaultValue("100") int maxPerWindow,
                          @DefaultValue("10m") Duration window) {
    }

    public enum DeleteMode { DELETE, IGNORE }

    /**
     * COLD_START: read Skiplino's directory when the store knows no Skiplino customer yet; EVERY_START:
     * at every start (repairs drift, costs one call per 100 customers); OFF: never.
     */
    public enum PreloadMode { COLD_START, EVERY_START, OFF }
}
