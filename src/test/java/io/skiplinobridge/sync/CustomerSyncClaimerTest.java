package io.skiplinobridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.store.WorkLeases;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The claim route's scheduler is greedy: it polls again at once when the last poll says it found work,
 * and Camel's scheduler assumes it did unless told otherwise. A claim that fails (the store unreachable)
 * must say it found nothing, or the route retries in a tight loop, flooding the log for as long as the
 * store is down (seen in the suite: thousands of errors a minute from a context whose database had stopped).
 */
class CustomerSyncClaimerTest {

    @Test
    void aClaimThatFailsTellsTheGreedySchedulerItFoundNothing() {
        BridgeFlags flags = mock(BridgeFlags.class);
        when(flags.isActive(anyString())).thenThrow(new DataAccessResourceFailureException("store unreachable"));
        SkiplinoCustomers skiplino = mock(SkiplinoCustomers.class);
        when(skiplino.acceptingWork()).thenReturn(true);
        SyncProperties properties = mock(SyncProperties.class);
        when(properties.enabled()).thenReturn(true);
        when(properties.workers()).thenReturn(4);
        CustomerSyncClaimer claimer = new CustomerSyncClaimer(mock(SyncStore.class), skiplino, mock(DirectoryPreload.class),
                flags, properties, mock(TransactionTemplate.class), Clock.systemUTC(), mock(InstanceId.class),
                mock(WorkLeases.class));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());

        assertThatThrownBy(() -> claimer.claim(exchange)).isInstanceOf(DataAccessResourceFailureException.class);

        assertThat(exchange.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, true, Boolean.class)).isFalse();
    }

    /**
     * A busy bridge claims in batches: not each freed slot on its own (one commit per customer, which took
     * a sixth of the bridge's CPU in a backfill), but once a worker's worth of slots is free, while the
     * queue still holds work for every worker.
     */
    @Test
    void claimsOnceAWorkersWorthOfSlotsIsFree() {
        SyncStore store = mock(SyncStore.class);
        when(store.claim(anyString(), anyInt(), any(), any())).thenAnswer(call -> {
            int limit = call.getArgument(1);
            return IntStream.range(0, limit).mapToObj(i -> "c-" + i + "-" + System.nanoTime()).toList();
        });
        TransactionTemplate tx = mock(TransactionTemplate.class);
        when(tx.execute(any())).thenAnswer(call -> call.<TransactionCallback<?>>getArgument(0).doInTransaction(null));
        SkiplinoCustomers skiplino = mock(SkiplinoCustomers.class);
        when(skiplino.acceptingWork()).thenReturn(true);
        DirectoryPreload preload = mock(DirectoryPreload.class);
        when(preload.beforeFirstClaim()).thenReturn(true);
        SyncProperties properties = mock(SyncProperties.class);
        when(properties.enabled()).thenReturn(true);
        when(properties.workers()).thenReturn(4);
        when(properties.lease()).thenReturn(Duration.ofMinutes(1));
        InstanceId instance = mock(InstanceId.class);
        when(instance.value()).thenReturn("me");
        WorkLeases leases = new WorkLeases("customer-sync", "me", Duration.ofMinutes(1), Clock.systemUTC(),
                mock(WorkLeases.LeaseTable.class));
        CustomerSyncClaimer claimer = new CustomerSyncClaimer(store, skiplino, preload, mock(BridgeFlags.class),
                properties, tx, Clock.systemUTC(), instance, leases);

        Exchange first = new DefaultExchange(new DefaultCamelContext());
        List<String> claimed = claimer.claim(first);
        assertThat(claimed).as("an idle bridge fills all 4 x workers slots at once").hasSize(16);
        assertThat(first.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, Boolean.class)).isTrue();

        claimed.subList(0, 3).forEach(claimer::released);
        Exchange second = new DefaultExchange(new DefaultCamelContext());
        assertThat(claimer.claim(second)).as("three free slots: the queue still feeds every worker").isEmpty();
        assertThat(second.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, Boolean.class)).isFalse();
        verify(store, never()).claim(anyString(), eq(3), any(), any());

        claimer.released(claimed.get(3));
        assertThat(claimer.claim(new DefaultExchange(new DefaultCamelContext()))).hasSize(4);
        assertThat(claimer.inFlight()).isEqualTo(16);
    }
}
