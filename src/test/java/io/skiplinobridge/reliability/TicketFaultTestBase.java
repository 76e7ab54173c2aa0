package io.skiplinobridge.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.skiplinobridge.skiplino.BookTicketRequest;
import io.skiplinobridge.skiplino.SkiplinoClient;
import io.skiplinobridge.skiplino.Ticket;
import io.skiplinobridge.tickets.TicketDiscovery;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The reliability context with the ticket mirror at work (its own context: the customer-side tests run
 * without discovery): discovery every 250 ms, paused by every test's set-up until the test resumes it,
 * and every ticket state also sent to a webhook target {@code crm}, the WireMock receiver
 * {@link #CRM_HOOKS} (204 unless a test says otherwise).
 */
@TestPropertySource(properties = {
        "bridge.test.ticket-discovery=true",
        "bridge.tickets.discovery.poll-interval=250ms",
        "bridge.tickets.discovery.requests-per-minute=6000",
        "bridge.tickets.webhook.allow-loopback=true",
        "bridge.tickets.webhook.timeout=2s",
        "bridge.tickets.outbox.backoff-base=100ms",
        "bridge.tickets.outbox.backoff-max=500ms"})
abstract class TicketFaultTestBase extends ReliabilityTestBase {

    static final String TELLER_GROUP = "7c1f9a3b2d";
    static final String CASH_WITHDRAWAL = "6fe8fb8b12";

    static final WireMockServer CRM_HOOKS = new WireMockServer(wireMockConfig().dynamicPort()
            .extensions(new BreakAfterForwarding()));

    static {
        CRM_HOOKS.start();
    }

    @DynamicPropertySource
    static void webhookTarget(DynamicPropertyRegistry registry) {
        registry.add("bridge.tickets.webhook.targets.crm", () -> CRM_HOOKS.baseUrl() + "/hooks");
    }

    @Autowired
    SkiplinoClient skiplino;

    @BeforeEach
    void ticketsCleanSlate() {
        flags.set(TicketDiscovery.PAUSE_FLAG, true, "test set-up", "test");
        jdbc.update("DELETE FROM crm_outbox");
        jdbc.update("DELETE FROM ticket_mirror");
        jdbc.update("DELETE FROM ticket_poll");
        CRM_HOOKS.resetAll();
        CRM_HOOKS.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withStatus(204)));
    }

    void resumeDiscovery() {
        flags.set(TicketDiscovery.PAUSE_FLAG, false, "test", "test");
    }

    void pauseDiscovery() {
        flags.set(TicketDiscovery.PAUSE_FLAG, true, "test", "test");
    }

    /** A walk-in ticket for the customer, booked in Skiplino directly (not through the bridge's booking API). */
    Ticket bookWalkIn(String externalId) {
        return skiplino.bookTicket(BookTicketRequest.walkIn(CASH_WITHDRAWAL, TELLER_GROUP).withCustomerExternalId(externalId)).data();
    }
}
