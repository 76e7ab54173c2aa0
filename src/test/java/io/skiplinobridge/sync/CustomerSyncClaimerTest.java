package io.skiplinobridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;

import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.store.WorkLeases;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
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
}
