package io.skiplinobridge.skiplino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skiplinobridge.config.SelfAddress;
import io.skiplinobridge.skiplino.SkiplinoTransientException.Reason;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The client as the bridge wires it in sandbox mode (no base URL, no key configured) against the
 * in-process Skiplino sandbox, which was written from the same documentation independently: every
 * endpoint, its success and its documented errors.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SkiplinoClientSandboxTest {

    private static final AtomicInteger COMPONENTS = new AtomicInteger();
    private static final ZoneId COMPANY_ZONE = ZoneId.of("Asia/Bahrain");

    private static final String SEEF_MALL = "802b33af66";
    private static final String TELLER_GROUP = "7c1f9a3b2d";
    private static final String CASH_WITHDRAWAL = "6fe8fb8b12";
    private static final String CUSTOMER_SERVICE_GROUP = "4e2b8c1d95";
    private static final String ACCOUNT_OPENING = "8c4f1a6e2b";
    private static final String RIFFA_TELLER_GROUP = "1f4a6c8e03";
    private static final String RIFFA_CASH_WITHDRAWAL = "b2d4f6a8c0";

    @Autowired
    SkiplinoClient client;

    @Autowired
    CamelContext camel;

    @Autowired
    SelfAddress self;

    @Autowired
    TestRestTemplate http;

    private static String externalId() {
        return "crm-" + UUID.randomUUID();
    }

    /** A second client on the same sandbox with its own key and its own guard. */
    private SkiplinoClient clientWithKey(String apiKey) {
        SkiplinoProperties properties = TestSkiplino.properties();
        SkiplinoTransport transport = new SkiplinoTransport(camel, "skiplino-sandbox-test-" + COMPONENTS.incrementAndGet(),
                properties, apiKey, () -> self.url(SkiplinoConfiguration.SANDBOX_PATH));
        SkiplinoGuard guard = new SkiplinoGuard(properties.rateLimit(), properties.circuitBreaker(),
                new SimpleMeterRegistry(), Clock.systemUTC());
        return new SkiplinoClient(transport, guard, new SkiplinoReplies(SkiplinoJson.mapper(), Clock.systemUTC()));
    }

    private static <T extends SkiplinoException> T failure(Class<T> type, Runnable call) {
        T failure = catchThrowableOfType(type, call::run);
        assertThat(failure).as("the call should fail with " + type.getSimpleName()).isNotNull();
        return failure;
    }

    private Customer create(String externalId, String name) {
        return client.createCustomer(new CustomerWrite(externalId, name, null, null, null)).data();
    }

    private Instant firstSlotTomorrow() {
        List<Slot> slots = client.slots(ACCOUNT_OPENING, LocalDate.now(COMPANY_ZONE).plusDays(1)).data();
        assertThat(slots).isNotEmpty();
        return slots.get(0).time();
    }

    @Nested
    class Branches {

        @Test
        void listsActiveBranchesWithTheirOpenStatus() {
            List<Branch> branches = client.listBranches().data();

            assertThat(branches).extracting(Branch::id).contains(SEEF_MALL).doesNotContain("9b0e4c6a13");
            assertThat(branches).filteredOn(branch -> branch.id().equals(SEEF_MALL))
                    .singleElement().satisfies(branch -> assertThat(branch.branchStatus().isBranchOpen()).isTrue());
        }

        @Test
        void readsABranchTree() {
            List<BranchTreeGroup> tree = client.branchTree(SEEF_MALL).data();

            assertThat(tree).extracting(BranchTreeGroup::id).contains(TELLER_GROUP, CUSTOMER_SERVICE_GROUP);
            assertThat(tree).flatExtracting(BranchTreeGroup::services)
                    .filteredOn(service -> service.id().equals(ACCOUNT_OPENING))
                    .singleElement().satisfies(service -> assertThat(service.isAppointment()).isTrue());
        }

        @Test
        void anUnknownBranchIsAValidationError() {
            SkiplinoValidationException unknown = failure(SkiplinoValidationException.class,
                    () -> client.branchTree("0000000000"));

            assertThat(unknown.isDoesNotExist()).isTrue();
        }
    }

    @Nested
    class Slots {

        @Test
        void listsTomorrowsSlots() {
            List<Slot> slots = client.slots(ACCOUNT_OPENING, LocalDate.now(COMPANY_ZONE).plusDays(1)).data();

            assertThat(slots).isNotEmpty().allSatisfy(slot -> {
                assertThat(slot.time()).isAfter(Instant.now());
                assertThat(slot.remaining()).isPositive();
            });
        }

        @Test
        void aPastDateIsAValidationError() {
            SkiplinoValidationException past = failure(SkiplinoValidationException.class,
                    () -> client.slots(ACCOUNT_OPENING, LocalDate.now(COMPANY_ZONE).minusDays(1)));

            assertThat(past.fieldErrors()).containsKey("date");
        }

        @Test
        void aWalkInServiceHasNoSlots() {
            SkiplinoValidationException walkIn = failure(SkiplinoValidationException.class,
                    () -> client.slots(CASH_WITHDRAWAL));

            assertThat(walkIn.fieldErrors()).containsEntry("id", "This service does not support appointment booking.");
        }
    }

    @Nested
    class Tickets {

        @Test
        void booksFetchesAndCancelsAWalkIn() {
            Ticket booked = client.bookTicket(BookTicketRequest.walkIn(CASH_WITHDRAWAL, TELLER_GROUP)).data();

            assertThat(booked.status()).isEqualTo(Ticket.STATUS_WAITING);
            assertThat(booked.type()).isEqualTo(Ticket.TYPE_SEQUENTIAL);
            assertThat(booked.time()).isNull();
            assertThat(booked.queueSize()).isNotNull();
            Ticket fetched = client.fetchTicket(booked.id()).data();
            assertThat(fetched.ticketNumber()).isEqualTo(booked.ticketNumber());
            Ticket cancelled = client.cancelTicket(booked.id()).data();
            assertThat(cancelled.status()).isEqualTo(Ticket.STATUS_CANCELLED);
            assertThat(cancelled.queueSize()).isNull();

            SkiplinoPermanentException again = failure(SkiplinoPermanentException.class,
                    () -> client.cancelTicket(booked.id()));
            assertThat(again.isConflict()).isTrue();
        }

        @Test
        void booksAndReschedulesAnAppointmentByExternalId() {
            String externalId = externalId();
            create(externalId, "Layla Hassan");
            Instant slot = firstSlotTomorrow();

            SkiplinoResponse<Ticket> booked = client.bookTicket(
                    BookTicketRequest.appointment(ACCOUNT_OPENING, CUSTOMER_SERVICE_GROUP, slot, externalId)
                            .withOptions(Map.of("accountType", "savings")).withLocation(26.2361, 50.5436));

            assertThat(booked.message()).isEqualTo("Appointment booked successfully.");
            assertThat(booked.data().status()).isEqualTo(Ticket.STATUS_UPCOMING);
            assertThat(booked.data().time()).isEqualTo(slot);
            List<Slot> later = client.slots(ACCOUNT_OPENING, LocalDate.now(COMPANY_ZONE).plusDays(2)).data();
            Instant newTime = later.get(0).time();
            Ticket moved = client.changeTicketTime(booked.data().id(),
                    ChangeTimeRequest.forCustomerExternalId(newTime, externalId)).data();
            assertThat(moved.time()).isEqualTo(newTime);

            SkiplinoValidationException wrongCustomer = failure(SkiplinoValidationException.class,
                    () -> client.changeTicketTime(booked.data().id(),
                            ChangeTimeRequest.forCustomerExternalId(newTime, externalId())));
            assertThat(wrongCustomer.fieldErrors()).isNotEmpty();
        }

        @Test
        void anAppointmentNeedsACustomer() {
            Instant slot = firstSlotTomorrow();

            SkiplinoValidationException noCustomer = failure(SkiplinoValidationException.class, () -> client.bookTicket(
                    new BookTicketRequest(ACCOUNT_OPENING, CUSTOMER_SERVICE_GROUP, slot, null, null, null, null)));

            assertThat(noCustomer.fieldErrors()).isNotEmpty();
        }

        @Test
        void bookingInAClosedBranchIsABusinessRuleError() {
            SkiplinoPermanentException closed = failure(SkiplinoPermanentException.class,
                    () -> client.bookTicket(BookTicketRequest.walkIn(RIFFA_CASH_WITHDRAWAL, RIFFA_TELLER_GROUP)));

            assertThat(closed.status()).isEqualTo(400);
            assertThat(closed.error()).isEqualTo("The branch is closed.");
        }

        @Test
        void anUnknownTicketIsRefused() {
            SkiplinoPermanentException unknown = failure(SkiplinoPermanentException.class,
                    () -> client.fetchTicket("zzzzzzzzzz"));

            assertThat(unknown.isTransient()).isFalse();
        }

        @Test
        void cancellingAServedTicketIsAConflict() {
            String externalId = externalId();
            create(externalId, "Omar Khalid");
            ResponseEntity<String> started = http.postForEntity("/sandbox/control/skiplino/activity", Map.of(
                    "tickets", 1, "externalIds", List.of(externalId), "appointmentShare", 0, "cancelShare", 0,
                    "dwellMs", Map.of("min", 20, "max", 40), "bookingIntervalMs", Map.of("min", 1, "max", 2)),
                    String.class);
            assertThat(started.getStatusCode().value()).as(started.getBody()).isEqualTo(202);

            Ticket served = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.customerTickets(CustomerKey.byExternalId(externalId), 1, 10).data(),
                            tickets -> tickets.size() == 1 && tickets.get(0).status().equals(Ticket.STATUS_SERVED))
                    .get(0);

            SkiplinoPermanentException conflict = failure(SkiplinoPermanentException.class,
                    () -> client.cancelTicket(served.id()));
            assertThat(conflict.isConflict()).isTrue();
        }
    }

    @Nested
    class Customers {

        @Test
        void createsReadsUpdatesAndDeletesACustomer() {
            String externalId = externalId();
            Customer created = client.createCustomer(new CustomerWrite(externalId, "Layla Hassan",
                    "layla.hassan@example.com", "+97333445566", Map.of("tier", "gold"))).data();
            assertThat(created.id()).matches("[0-9a-f]{32}");
            assertThat(created.createdAt()).isNotNull();

            assertThat(client.getCustomer(CustomerKey.byExternalId(externalId)).data()).isEqualTo(created);
            assertThat(client.getCustomer(CustomerKey.byId(created.id())).data().externalId()).isEqualTo(externalId);

            Customer updated = client.updateCustomer(CustomerUpdate.byExternalId(externalId)
                    .withName("Layla A. Hassan").withEmail(null).withMetadata(Map.of("tier", "platinum"))).data();
            assertThat(updated.name()).isEqualTo("Layla A. Hassan");
            assertThat(updated.email()).as("an explicit null clears the field in the sandbox").isNull();
            assertThat(updated.mobile()).as("a field not sent stays").isEqualTo("+97333445566");
            assertThat(updated.metadata()).isEqualTo(Map.of("tier", "platinum"));

            String renamed = externalId();
            assertThat(client.updateCustomer(CustomerUpdate.byId(created.id()).withNewExternalId(renamed)).data()
                    .externalId()).isEqualTo(renamed);

            SkiplinoResponse<Void> deleted = client.deleteCustomer(CustomerKey.byExternalId(renamed));
            assertThat(deleted.message()).isEqualTo("Customer deleted successfully.");
            assertThat(failure(SkiplinoValidationException.class,
                    () -> client.getCustomer(CustomerKey.byExternalId(renamed))).isDoesNotExist()).isTrue();
        }

        @Test
        void aDuplicateExternalIdIsAlreadyTaken() {
            String externalId = externalId();
            create(externalId, "First");

            SkiplinoValidationException duplicate = failure(SkiplinoValidationException.class,
                    () -> create(externalId, "Second"));

            assertThat(duplicate.isAlreadyTaken("externalId")).isTrue();
        }

        @Test
        void unknownCustomersDoNotExist() {
            String nobody = externalId();

            assertThat(failure(SkiplinoValidationException.class,
                    () -> client.getCustomer(CustomerKey.byExternalId(nobody))).isDoesNotExist()).isTrue();
            assertThat(failure(SkiplinoValidationException.class,
                    () -> client.updateCustomer(CustomerUpdate.byExternalId(nobody).withName("x"))).isDoesNotExist())
                    .isTrue();
            assertThat(failure(SkiplinoValidationException.class,
                    () -> client.deleteCustomer(CustomerKey.byExternalId(nobody))).isDoesNotExist()).isTrue();
        }

        @Test
        void externalIdsWithAnyCharactersRoundTrip() {
            String externalId = "crm 77&41+x=1/é?عربي%" + UUID.randomUUID();
            Customer created = create(externalId, "Noor");

            assertThat(client.getCustomer(CustomerKey.byExternalId(externalId)).data().id()).isEqualTo(created.id());
            assertThat(client.customerTickets(CustomerKey.byExternalId(externalId), 1, 10).data()).isEmpty();
        }

        @Test
        void pagesThroughCustomersAndTickets() {
            String one = externalId();
            create(one, "One");
            String two = externalId();
            create(two, "Two");
            String withTickets = externalId();
            create(withTickets, "Three");
            client.bookTicket(BookTicketRequest.walkIn(CASH_WITHDRAWAL, TELLER_GROUP).withCustomerExternalId(withTickets));
            client.bookTicket(BookTicketRequest.walkIn(CASH_WITHDRAWAL, TELLER_GROUP).withCustomerExternalId(withTickets));

            SkiplinoPage<Customer> first = client.listCustomers(1, 2);
            SkiplinoPage<Ticket> tickets = client.customerTickets(CustomerKey.byExternalId(withTickets), 1, 1);

            assertThat(first.data()).hasSize(2);
            // this context's own sandbox sync may add the demo contacts at any moment: the order is checked
            // among this test's customers, wherever they are in the whole list
            List<String> all = new ArrayList<>();
            for (int page = 1; all.size() < first.pagination().total() && page <= 100; page++) {
                client.listCustomers(page, 100).data().forEach(customer -> all.add(customer.externalId()));
            }
            assertThat(all).as("newest first").containsSubsequence(withTickets, two, one);
            assertThat(first.pagination().total()).isGreaterThanOrEqualTo(3);
            assertThat(first.pagination().hasNextPage()).isTrue();
            assertThat(first.pagination().hasPrevPage()).isFalse();
            assertThat(tickets.data()).hasSize(1);
            assertThat(tickets.pagination().total()).isEqualTo(2);
            assertThat(tickets.pagination().hasNextPage()).isTrue();
        }

        @Test
        void pageLimitsAreValidated() {
            assertThat(failure(SkiplinoValidationException.class, () -> client.listCustomers(1, 101)).fieldErrors())
                    .containsKey("limit");
            String externalId = externalId();
            create(externalId, "Limit");
            assertThat(failure(SkiplinoValidationException.class,
                    () -> client.customerTickets(CustomerKey.byExternalId(externalId), 1, 11)).fieldErrors())
                    .containsKey("limit");
        }

        @Test
        void aPublicKeyMayReadTicketsButNotWriteCustomers() {
            SkiplinoClient publicClient = clientWithKey("pk_sandbox_public");
            String externalId = externalId();
            create(externalId, "Reader");

            assertThat(publicClient.customerTickets(CustomerKey.byExternalId(externalId), 1, 10).data()).isEmpty();
            SkiplinoAuthenticationException refused = failure(SkiplinoAuthenticationException.class,
                    () -> publicClient.createCustomer(new CustomerWrite(externalId(), null, null, null, null)));
            assertThat(refused.status()).isEqualTo(401);
        }

        @Test
        void aWrongKeyIsAnAuthenticationError() {
            assertThat(failure(SkiplinoAuthenticationException.class,
                    () -> clientWithKey("sk_not_the_sandbox_key").listBranches()).isTransient()).isFalse();
        }
    }

    @Nested
    class Faults {

        @AfterEach
        void clearFaults() {
            http.delete("/sandbox/control/skiplino/faults");
        }

        private void fault(Map<String, Object> settings) {
            ResponseEntity<String> set = http.exchange("/sandbox/control/skiplino/faults", HttpMethod.PUT,
                    new HttpEntity<>(settings), String.class);
            assertThat(set.getStatusCode().value()).as(set.getBody()).isEqualTo(200);
        }

        private SkiplinoTransientException transientFailureOfBranches() {
            return failure(SkiplinoTransientException.class, () -> clientWithKey("sk_sandbox_secret").listBranches());
        }

        @Test
        void unavailableWithRetryAfter() {
            fault(Map.of("errorRate", 1.0, "errorStatus", 503, "retryAfterSeconds", 7, "pathPrefix", "/branches"));

            SkiplinoTransientException failure = transientFailureOfBranches();

            assertThat(failure.reason()).isEqualTo(Reason.SERVER_ERROR);
            assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
        }

        @Test
        void tooManyRequestsWithAnHttpDate() {
            fault(Map.of("errorRate", 1.0, "errorStatus", 429, "retryAfterSeconds", 30, "retryAfterHttpDate", true,
                    "pathPrefix", "/branches"));

            SkiplinoTransientException failure = transientFailureOfBranches();

            assertThat(failure.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(failure.retryAfter()).hasValueSatisfying(wait ->
                    assertThat(wait).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(30)));
        }

        @Test
        void connectionReset() {
            fault(Map.of("resetRate", 1.0, "pathPrefix", "/branches"));

            assertThat(transientFailureOfBranches().reason()).isEqualTo(Reason.IO_ERROR);
        }

        @Test
        void truncatedAndHtmlAnswersWithStatus200() {
            fault(Map.of("bodyFault", "truncated", "pathPrefix", "/branches"));
            assertThat(transientFailureOfBranches().reason()).isEqualTo(Reason.INVALID_RESPONSE);

            fault(Map.of("bodyFault", "html", "pathPrefix", "/branches"));
            assertThat(transientFailureOfBranches().reason()).isEqualTo(Reason.INVALID_RESPONSE);
        }
    }
}
