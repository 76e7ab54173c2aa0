package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Answers.RETURNS_DEEP_STUBS;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;

import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.ops.SalesforcePollMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

/** As CustomerSyncClaimerTest: a failed write-back claim must not make the greedy scheduler poll again at once. */
class SalesforceWriteBackClaimTest {

    @Test
    void aClaimThatFailsTellsTheGreedySchedulerItFoundNothing() {
        SalesforceWriteBacks store = mock(SalesforceWriteBacks.class);
        when(store.enabled()).thenReturn(true);
        when(store.claim(anyString(), anyInt(), any(), any())).thenThrow(new DataAccessResourceFailureException("store unreachable"));
        InstanceId instance = mock(InstanceId.class);
        when(instance.value()).thenReturn("test-instance");
        SalesforceCalls salesforce = mock(SalesforceCalls.class);
        when(salesforce.accepting()).thenReturn(true);
        SalesforceWriteBack writeBack = new SalesforceWriteBack(store, salesforce, Clock.systemUTC(),
                instance, mock(SalesforceProperties.class, RETURNS_DEEP_STUBS), mock(SalesforcePollMetrics.class));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());

        assertThatThrownBy(() -> writeBack.deliver(exchange)).isInstanceOf(DataAccessResourceFailureException.class);

        assertThat(exchange.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, true, Boolean.class)).isFalse();
    }
}
