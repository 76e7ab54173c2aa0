package io.skiplinobridge.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Answers.RETURNS_DEEP_STUBS;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;

import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.ops.TicketMirrorMetrics;
import io.skiplinobridge.salesforce.SalesforceCalls;
import io.skiplinobridge.store.BridgeFlags;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

/** As CustomerSyncClaimerTest: a failed outbox claim must not make the greedy scheduler poll again at once. */
class TicketOutboxClaimTest {

    @Test
    void aClaimThatFailsTellsTheGreedySchedulerItFoundNothing() {
        BridgeFlags flags = mock(BridgeFlags.class);
        when(flags.isActive(anyString())).thenThrow(new DataAccessResourceFailureException("store unreachable"));
        TicketProperties properties = mock(TicketProperties.class, RETURNS_DEEP_STUBS);
        when(properties.enabled()).thenReturn(true);
        when(properties.outbox().workers()).thenReturn(4);
        when(properties.outbox().backoffBase()).thenReturn(Duration.ofSeconds(1));
        when(properties.outbox().backoffMax()).thenReturn(Duration.ofMinutes(5));
        TicketOutbox outbox = new TicketOutbox(mock(OutboxStore.class), mock(MirrorTargets.class), flags, properties,
                mock(TicketMirrorMetrics.class), Clock.systemUTC(), mock(InstanceId.class), mock(SalesforceCalls.class));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());

        assertThatThrownBy(() -> outbox.claim(exchange)).isInstanceOf(DataAccessResourceFailureException.class);

        assertThat(exchange.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, true, Boolean.class)).isFalse();
    }
}
