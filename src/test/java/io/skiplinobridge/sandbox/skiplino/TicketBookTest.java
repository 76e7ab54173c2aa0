package io.skiplinobridge.sandbox.skiplino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import io.skiplinobridge.sandbox.skiplino.CustomerDirectory.Locator;
import io.skiplinobridge.sandbox.skiplino.CustomerPatch.Change;
import org.junit.jupiter.api.Test;

/** The doc-literal reading of rescheduling: {@code change-time-statuses=waiting}. */
class TicketBookTest {

    private static final Instant NOW = Instant.parse("2026-06-23T11:00:00Z");
    private static final Instant SLOT = Instant.parse("2026-06-24T06:00:00Z");
    private static final Instant OTHER_SLOT = Instant.parse("2026-06-24T07:30:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SkiplinoSandboxProperties properties = CustomerDirectoryTest.properties(Set.of("waiting"));
    private final SkiplinoCatalog catalog = new SkiplinoCatalog();
    private final CustomerDirectory customers = new CustomerDirectory(clock, properties);
    private final TicketBook tickets = new TicketBook(catalog, customers, clock, properties);

    @Test
    void withWaitingOnlyAnUpcomingAppointmentCannotBeRescheduledButAWaitingOneCan() {
        StoredCustomer layla = customers.create(new CustomerPatch(Change.set("crm-1"), Change.absent(), Change.absent(),
                Change.absent(), Change.absent()));
        Locator byId = Locator.id("customerId", layla.id());
        SandboxTicket ticket = tickets.book(new TicketRequests.Booking(SkiplinoCatalog.SEEF_ACCOUNT_OPENING,
                SkiplinoCatalog.SEEF_CUSTOMER_SERVICE_GROUP, SLOT, byId), "en");

        assertThatThrownBy(() -> tickets.changeTime(ticket.id, new TicketRequests.ChangeTime(OTHER_SLOT, byId), "en"))
                .isInstanceOfSatisfying(SkiplinoApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(422);
                    assertThat(e.body().error().toString()).contains("Only appointments in waiting status");
                });

        assertThat(tickets.advance(ticket, SandboxTicket.UPCOMING, SandboxTicket.WAITING)).isTrue();
        SandboxTicket moved = tickets.changeTime(ticket.id, new TicketRequests.ChangeTime(OTHER_SLOT, byId), "en");

        assertThat(moved.time()).isEqualTo(OTHER_SLOT);
        assertThat(tickets.view(moved, "en").queueSize()).isZero();
    }
}
