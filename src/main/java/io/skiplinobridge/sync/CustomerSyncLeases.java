package io.skiplinobridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.store.LockRetry;
import io.skiplinobridge.store.WorkLeases;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The leases this instance holds on {@code customer_sync} rows (renewed and released by {@code WorkLeaseKeeper}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlows
class CustomerSyncLeases {

    static final String NAME = "customer-sync";

    @Bean
    WorkLeases customerSyncWorkLeases(SyncStore store, TransactionTemplate tx, SyncProperties properties,
                                      InstanceId instance, Clock clock) {
        return new WorkLeases(NAME, instance.value(), properties.lease(), clock, new WorkLeases.LeaseTable() {
            @Override
            public int extend(String owner, List<String> keys, Instant until) {
                return LockRetry.run("renewing customer leases",
                        () -> tx.execute(s -> store.extendLeases(owner, keys, until)));
            }

            @Override
            public int release(String owner, List<String> keys, Instant now) {
                return LockRetry.run("releasing customer leases",
                        () -> tx.execute(s -> store.releaseLeases(owner, keys, now)));
            }
        });
    }
}
