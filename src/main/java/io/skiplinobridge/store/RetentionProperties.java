package io.skiplinobridge.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Store retention ({@code bridge.retention.*}): finished history is deleted once it is older than
 * {@code keep}, by a Quartz job that runs once per cluster.
 *
 * @param cron      Quartz cron of the clean-up (seconds first), e.g. {@code 0 17 3 * * ?} for 03:17 daily
 * @param keep      age after which finished inbox events, attempts, resolved failures and schedule runs go
 * @param batchSize rows deleted per statement (short transactions beside the running flows)
 */
@ConfigurationProperties("bridge.retention")
public record RetentionProperties(
        @DefaultValue("0 17 3 * * ?") String cron,
        @DefaultValue("30d") Duration keep,
        @DefaultValue("1000") int batchSize) {

    public RetentionProperties {
        if (keep.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("bridge.retention.keep must be at least 1h (it is " + keep + ")");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("bridge.retention.batch-size must be at least 1");
        }
    }
}
