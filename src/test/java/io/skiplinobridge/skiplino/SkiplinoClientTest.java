package io.skiplinobridge.skiplino;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.skiplinobridge.skiplino.TestSkiplino.API_KEY;
import static io.skiplinobridge.skiplino.TestSkiplino.envelope;
import static io.skiplinobridge.skiplino.TestSkiplino.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.skiplinobridge.skiplino.SkiplinoTransientException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client against WireMock stubs built from the documentation's literal JSON examples
 * ({@code skiplino/documented}) and from its inferred shapes ({@code skiplino/inferred}).
 */
class SkiplinoClientTest {

    private static final String BASE = "/external/v1";
    private static final String CUSTOMER_ID = "9f2c8b7a4e1d6c3f0a5b8e2d7c4f1a9b";

    @RegisterExtension
    static WireMockExtension skiplino = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    SkiplinoClient client;

    @BeforeEach
    void newClient() {
        client = TestSkiplino.client(skiplino.baseUrl() + BASE).client();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Nested
    class DocumentedExamples {

        @Test
        void createsACustomerAndReadsTheDocumented201() {
            skiplino.stubFor(post(BASE + "/customers/create")
                    .willReturn(json(201, fixture("documented/customer-created-201.json"))));

            SkiplinoResponse<Customer> created = client.createCustomer(
                    new CustomerWrite("crm-7741", "Layla Hassan", null, null, null));

            assertThat(created.message()).isEqualTo("Customer created successfully.");
            Customer customer = created.data();
            assertThat(customer.id()).isEqualTo(CUSTOMER_ID);
            assertThat(customer.externalId()).isEqualTo("crm-7741");
            assertThat(customer.companyId()).isEqualTo("cmp_5f3a91");
            assertThat(customer.mobile()).isEqualTo("+97333445566");
            assertThat(customer.metadata()).containsEntry("tier", "gold").containsEntry("source", "mobile-app");
            assertThat(customer.createdAt()).isEqualTo(Instant.parse("2026-06-23T11:00:00Z"));
            skiplino.verify(postRequestedFor(urlPathEqualTo(BASE + "/customers/create"))
                    .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                    .withHeader("X-Locale", equalTo(""))
                    .withHeader("Content-Type", equalTo("application/json"))
                    // fields the caller did not set are left out, not sent as null
                    .withRequestBody(equalToJson("{\"externalId\":\"crm-7741\",\"name\":\"Layla Hassan\"}")));
        }

        @Test
        void fetchesAWaitingTicketWithItsLiveQueueData() {
            skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1")
                    .willReturn(json(200, fixture("documented/ticket-fetched-200.json"))));

            Ticket ticket = client.fetchTicket("k7m2p9x4q1").data();

            assertThat(ticket.id()).isEqualTo("k7m2p9x4q1");
            assertThat(ticket.ticketNumber()).isEqualTo("Q017");
            assertThat(ticket.status()).isEqualTo(Ticket.STATUS_WAITING);
            assertThat(ticket.type()).isEqualTo(Ticket.TYPE_SEQUENTIAL);
            assertThat(ticket.time()).isNull();
            assertThat(ticket.statusAt()).isEqualTo(Instant.parse("2026-06-23T11:10:00Z"));
            assertThat(ticket.service()).isEqualTo(new NamedRef("6fe8fb8b12", "Cash Withdrawal"));
            assertThat(ticket.customer().id()).isEqualTo(CUSTOMER_ID);
            assertThat(ticket.queueSize()).isEqualTo(6);
            assertThat(ticket.waitingTime()).isEqualTo(18);
            skiplino.verify(getRequestedFor(urlPathEqualTo(BASE + "/tickets/k7m2p9x4q1"))
                    .withHeader("Authorization", equalTo("Bearer " + API_KEY)));
        }

        @Test
        void booksAnAppointmentSendingTheDocumentedBody() {
            skiplino.stubFor(post(BASE + "/tickets/book")
                    .willReturn(json(201, fixture("documented/ticket-booked-201.json"))));

            BookTicketRequest request = BookTicketRequest
                    .appointment("6fe8fb8b12", "7c1f9a3b2d", Instant.parse("2026-07-01T09:30:00Z"), "crm-7741")
                    .withCustomerId(CUSTOMER_ID)
                    .withOptions(Map.of("accountType", "savings"))
                    .withLocation(26.2361, 50.5436);
            SkiplinoResponse<Ticket> booked = client.bookTicket(request);

            assertThat(booked.message()).isEqualTo("Appointment booked successfully.");
            assertThat(booked.data().status()).isEqualTo(Ticket.STATUS_UPCOMING);
            assertThat(booked.data().type()).isEqualTo(Ticket.TYPE_APPOINTMENT);
            assertThat(booked.data().time()).isEqualTo(Instant.parse("2026-07-01T09:30:00Z"));
            assertThat(booked.data().queueSize()).isNull();
            assertThat(booked.data().waitingTime()).isNull();
            // times go out as UTC with milliseconds and Z, exactly as in the documented example
            skiplino.verify(postRequestedFor(urlPathEqualTo(BASE + "/tickets/book"))
                    .withRequestBody(equalToJson(fixture("documented/book-ticket-request.json"))));
        }

        @Test
        void booksAWalkInWithTheDocumentedMinimalBody() {
            skiplino.stubFor(post(BASE + "/tickets/book")
                    .willReturn(json(201, fixture("documented/ticket-booked-201.json"))));

            client.bookTicket(BookTicketRequest.walkIn("6fe8fb8b12", "7c1f9a3b2d"));

            skiplino.verify(postRequestedFor(urlPathEqualTo(BASE + "/tickets/book"))
                    .withRequestBody(equalToJson(fixture("documented/book-walk-in-request-curl.json"))));
        }

        @Test
        void reschedulesAnAppointment() {
            skiplino.stubFor(post(BASE + "/tickets/k7m2p9x4q1/change-time")
                    .willReturn(json(200, fixture("documented/ticket-time-changed-200.json"))));

            SkiplinoResponse<Ticket> changed = client.changeTicketTime("k7m2p9x4q1",
                    ChangeTimeRequest.forCustomerId(Instant.parse("2026-07-02T13:00:00Z"), CUSTOMER_ID));

            assertThat(changed.message()).isEqualTo("Ticket updated successfully.");
            assertThat(changed.data().time()).isEqualTo(Instant.parse("2026-07-02T13:00:00Z"));
            assertThat(changed.data().bookedAt()).isEqualTo(Instant.parse("2026-06-23T11:05:22Z"));
            skiplino.verify(postRequestedFor(urlPathEqualTo(BASE + "/tickets/k7m2p9x4q1/change-time"))
                    .withRequestBody(equalToJson(fixture("documented/change-time-request-curl.json"))));
        }

        @Test
        void updatesACustomerSendingTheDocumentedBody() {
            skiplino.stubFor(put(BASE + "/customers/update").willReturn(json(200,
                    envelope("Customer updated successfully.", fixture("documented/customer-schema.json")))));

            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("tier", "platinum");
            SkiplinoResponse<Customer> updated = client.updateCustomer(CustomerUpdate.byId(CUSTOMER_ID)
                    .withNewExternalId("crm-7741")
                    .withName("Layla A. Hassan")
                    .withEmail("layla.new@example.com")
                    .withMobile("+97333778899")
                    .withMetadata(metadata));

            assertThat(updated.data().id()).isEqualTo(CUSTOMER_ID);
            skiplino.verify(putRequestedFor(urlPathEqualTo(BASE + "/customers/update"))
                    .withRequestBody(equalToJson(fixture("documented/customer-update-request.json"))));
        }
    }

    @Nested
    class InferredShapes {

        @Test
        void updateSendsExplicitNullEmptyStringOrNothingAsTheCallerChose() {
            skiplino.stubFor(put(BASE + "/customers/update").willReturn(json(200,
                    envelope("Customer updated successfully.", fixture("documented/customer-schema.json")))));

            client.updateCustomer(CustomerUpdate.byExternalId("crm-7741").withName(null).withEmail(""));

            // name: explicit null, email: empty string, mobile and metadata: not sent at all
            skiplino.verify(putRequestedFor(urlPathEqualTo(BASE + "/customers/update"))
                    .withRequestBody(equalToJson("{\"externalId\":\"crm-7741\",\"name\":null,\"email\":\"\"}")));
        }

        @Test
        void getOneEncodesAnyExternalIdSoSkiplinoReadsItBackUnchanged() {
            String externalId = "crm 77&41+x=1/é?عربي%";
            skiplino.stubFor(get(urlPathEqualTo(BASE + "/customers/getOne")).willReturn(json(200,
                    envelope("Customer fetched successfully.", fixture("documented/customer-schema.json")))));

            client.getCustomer(CustomerKey.byExternalId(externalId));

            LoggedRequest request = skiplino.findAll(getRequestedFor(urlPathEqualTo(BASE + "/customers/getOne"))).get(0);
            assertThat(request.queryParameter("externalId").firstValue()).isEqualTo(externalId);
            assertThat(request.queryParameter("id").isPresent()).isFalse();
            assertThat(request.getUrl()).contains("crm%2077%2641%2Bx%3D1%2F%C3%A9%3F%D8%B9").doesNotContain("+");
        }

        @Test
        void pathIdsAreEncodedAsOneSegment() {
            skiplino.stubFor(get(anyUrl()).willReturn(json(200, fixture("documented/ticket-fetched-200.json"))));

            client.fetchTicket("a/b c?d");

            assertThat(skiplino.getAllServeEvents().get(0).getRequest().getUrl())
                    .isEqualTo(BASE + "/tickets/a%2Fb%20c%3Fd");
        }

        @Test
        void listsCustomersWithPagination() {
            skiplino.stubFor(get(urlPathEqualTo(BASE + "/customers/getAll"))
                    .withQueryParam("page", equalTo("2")).withQueryParam("limit", equalTo("1"))
                    .willReturn(json(200, fixture("inferred/customers-page-200.json"))));

            SkiplinoPage<Customer> page = client.listCustomers(2, 1);

            assertThat(page.data()).extracting(Customer::externalId).containsExactly("crm-7741");
            assertThat(page.data().get(0).email()).isNull();
            assertThat(page.pagination()).isEqualTo(new Pagination(2, 1, 3, 3, true, true));
        }

        @Test
        void listsACustomersTicketsByExternalId() {
            skiplino.stubFor(get(urlPathEqualTo(BASE + "/customers/tickets"))
                    .withQueryParam("externalId", equalTo("crm-7741"))
                    .withQueryParam("page", equalTo("1")).withQueryParam("limit", equalTo("10"))
                    .willReturn(json(200, fixture("inferred/customer-tickets-page-200.json"))));

            SkiplinoPage<Ticket> tickets = client.customerTickets(CustomerKey.byExternalId("crm-7741"), 1, 10);

            assertThat(tickets.data()).extracting(Ticket::status).containsExactly(Ticket.STATUS_SERVED);
            // page and limit are only inferred to be there; without them paging still works
            assertThat(tickets.pagination().page()).isNull();
            assertThat(tickets.pagination().hasNextPage()).isFalse();
        }

        @Test
        void getsAndDeletesACustomerById() {
            skiplino.stubFor(get(urlPathEqualTo(BASE + "/customers/getOne")).withQueryParam("id", equalTo(CUSTOMER_ID))
                    .willReturn(json(200, envelope("Customer fetched successfully.",
                            fixture("documented/customer-schema.json")))));
            skiplino.stubFor(delete(urlPathEqualTo(BASE + "/customers/delete")).withQueryParam("id", equalTo(CUSTOMER_ID))
                    .willReturn(json(200, fixture("inferred/customer-deleted-200.json"))));

            assertThat(client.getCustomer(CustomerKey.byId(CUSTOMER_ID)).data().externalId()).isEqualTo("crm-7741");
            SkiplinoResponse<Void> deleted = client.deleteCustomer(CustomerKey.byId(CUSTOMER_ID));

            assertThat(deleted.message()).isEqualTo("Customer deleted successfully.");
            assertThat(deleted.data()).isNull();
            skiplino.verify(deleteRequestedFor(urlPathEqualTo(BASE + "/customers/delete"))
                    .withQueryParam("externalId", absent()));
        }

        @Test
        void readsBranchesTreeAndSlotsIgnoringUnknownFields() {
            skiplino.stubFor(get(BASE + "/branches").willReturn(json(200, fixture("inferred/branches-200.json"))));
            skiplino.stubFor(get(BASE + "/branches/802b33af66/tree")
                    .willReturn(json(200, fixture("inferred/branch-tree-200.json"))));
            skiplino.stubFor(get(urlPathEqualTo(BASE + "/services/9a8b7c6d5e/slots"))
                    .willReturn(json(200, fixture("inferred/slots-200.json"))));

            List<Branch> branches = client.listBranches().data();
            List<BranchTreeGroup> tree = client.branchTree("802b33af66").data();
            List<Slot> slots = client.slots("9a8b7c6d5e", LocalDate.of(2026, 7, 1)).data();
            client.slots("9a8b7c6d5e");

            assertThat(branches).extracting(Branch::id).containsExactly("802b33af66", "1a2b3c4d5e");
            assertThat(branches.get(0).branchStatus().isBranchOpen()).isTrue();
            assertThat(branches.get(1).branchStatus().isBranchOpen()).isFalse();
            assertThat(tree.get(0).id()).isEqualTo("7c1f9a3b2d");
            assertThat(tree.get(0).services()).containsExactly(
                    new BranchTreeService("6fe8fb8b12", "Cash Withdrawal", true, false),
                    new BranchTreeService("9a8b7c6d5e", "Account Opening", false, true));
            assertThat(slots).containsExactly(new Slot(Instant.parse("2026-07-01T09:30:00Z"), 3),
                    new Slot(Instant.parse("2026-07-01T10:00:00Z"), 1));
            List<LoggedRequest> slotRequests = skiplino.findAll(
                    getRequestedFor(urlPathEqualTo(BASE + "/services/9a8b7c6d5e/slots")));
            assertThat(slotRequests.get(0).queryParameter("date").firstValue()).isEqualTo("2026-07-01");
            assertThat(slotRequests.get(1).queryParameter("date").isPresent()).isFalse();
        }

        @Test
        void cancelsATicketWithAnEmptyBody() {
            skiplino.stubFor(post(BASE + "/tickets/k7m2p9x4q1/cancel")
                    .willReturn(json(200, fixture("inferred/ticket-cancelled-200.json"))));

            Ticket cancelled = client.cancelTicket("k7m2p9x4q1").data();

            assertThat(cancelled.status()).isEqualTo(Ticket.STATUS_CANCELLED);
            assertThat(cancelled.customer()).isNull();
            LoggedRequest request = skiplino.findAll(postRequestedFor(urlPathEqualTo(BASE + "/tickets/k7m2p9x4q1/cancel")))
                    .get(0);
            assertThat(request.getBody()).isEmpty();
        }

        @Test
        void sendsTheConfiguredLocale() {
            SkiplinoClient arabic = TestSkiplino.client(skiplino.baseUrl() + BASE, TestSkiplino.properties("ar",
                    TestSkiplino.rateLimit(1000, 8, Duration.ofSeconds(5)),
                    TestSkiplino.circuitBreaker(100, Duration.ofMinutes(1)))).client();
            skiplino.stubFor(get(BASE + "/branches").willReturn(json(200, fixture("inferred/branches-200.json"))));

            arabic.listBranches();

            skiplino.verify(getRequestedFor(urlPathEqualTo(BASE + "/branches")).withHeader("X-Locale", equalTo("ar")));
        }
    }

    @Nested
    class Errors {

        private SkiplinoException failureOf(Runnable call) {
            SkiplinoException failure = catchThrowableOfType(SkiplinoException.class, call::run);
            assertThat(failure).as("the call should fail with a SkiplinoException").isNotNull();
            assertThat(failure.getMessage()).doesNotContain(API_KEY);
            return failure;
        }

        private void stubCreate(ResponseDefinitionBuilder response) {
            skiplino.stubFor(post(BASE + "/customers/create").willReturn(response));
        }

        private SkiplinoException createFails() {
            return failureOf(() -> client.createCustomer(new CustomerWrite("crm-7741", null, null, null, null)));
        }

        @Test
        void unauthorisedIsAnAuthenticationError() {
            stubCreate(json(401, fixture("inferred/error-401.json")));

            SkiplinoException failure = createFails();

            assertThat(failure).isInstanceOf(SkiplinoAuthenticationException.class);
            assertThat(failure.isTransient()).isFalse();
            assertThat(failure.status()).isEqualTo(401);
            assertThat(failure.operation()).isEqualTo("POST /customers/create");
        }

        @Test
        void duplicateExternalIdIsAValidationErrorThatSaysAlreadyTaken() {
            stubCreate(json(422, fixture("inferred/error-422-already-taken.json")));

            SkiplinoValidationException failure = (SkiplinoValidationException) createFails();

            assertThat(failure.isTransient()).isFalse();
            assertThat(failure.isAlreadyTaken("externalId")).isTrue();
            assertThat(failure.isAlreadyTaken("email")).isFalse();
            assertThat(failure.isDoesNotExist()).isFalse();
            assertThat(failure.fieldErrors()).containsExactly(Map.entry("externalId", "This value is already taken."));
            assertThat(failure.getMessage()).contains("422").contains("externalId: This value is already taken.");
        }

        @Test
        void unknownCustomerIsAValidationErrorThatSaysDoesNotExist() {
            skiplino.stubFor(get(urlPathEqualTo(BASE + "/customers/getOne"))
                    .willReturn(json(422, fixture("inferred/error-422-does-not-exist.json"))));

            SkiplinoValidationException failure = (SkiplinoValidationException) failureOf(
                    () -> client.getCustomer(CustomerKey.byExternalId("crm-nobody")));

            assertThat(failure.isDoesNotExist()).isTrue();
            assertThat(failure.isDoesNotExist("externalId")).isTrue();
            assertThat(failure.isAlreadyTaken("externalId")).isFalse();
        }

        @Test
        void validationErrorWithAStringNullOrNoEnvelopeIsStillAValidationError() {
            stubCreate(json(422, "{\"message\":\"Invalid.\",\"error\":\"This value does not exist.\"}"));
            SkiplinoValidationException asString = (SkiplinoValidationException) createFails();
            assertThat(asString.fieldErrors()).isEmpty();
            assertThat(asString.error()).isEqualTo("This value does not exist.");
            assertThat(asString.isDoesNotExist()).isTrue();

            stubCreate(json(422, "{\"message\":\"Invalid.\",\"error\":null}"));
            SkiplinoValidationException asNull = (SkiplinoValidationException) createFails();
            assertThat(asNull.skiplinoMessage()).isEqualTo("Invalid.");
            assertThat(asNull.fieldErrors()).isEmpty();

            stubCreate(aResponse().withStatus(422).withBody("<html>Unprocessable</html>"));
            SkiplinoValidationException asHtml = (SkiplinoValidationException) createFails();
            assertThat(asHtml.skiplinoMessage()).isNull();
            assertThat(asHtml.getMessage()).contains("422").contains("not Skiplino's error envelope");

            stubCreate(json(422, "{\"message\":\"Invalid.\",\"error\":{\"email\":[\"Too long.\",\"Not an email.\"]}}"));
            SkiplinoValidationException asArrays = (SkiplinoValidationException) createFails();
            assertThat(asArrays.fieldErrors()).containsEntry("email", "Too long.; Not an email.");
        }

        @Test
        void slotsOfAServiceWithoutAppointmentsReportTheFieldMessage() {
            skiplino.stubFor(get(urlPathEqualTo(BASE + "/services/6fe8fb8b12/slots"))
                    .willReturn(json(422, fixture("inferred/error-422-no-appointments.json"))));

            SkiplinoValidationException failure = (SkiplinoValidationException) failureOf(
                    () -> client.slots("6fe8fb8b12"));

            assertThat(failure.fieldErrors()).containsEntry("id", "This service does not support appointment booking.");
        }

        @Test
        void notFoundWithNullErrorIsPermanent() {
            skiplino.stubFor(put(BASE + "/customers/update").willReturn(json(404, fixture("inferred/error-404-null.json"))));

            SkiplinoException failure = failureOf(
                    () -> client.updateCustomer(CustomerUpdate.byExternalId("crm-7741").withName("Layla")));

            assertThat(failure).isExactlyInstanceOf(SkiplinoPermanentException.class);
            SkiplinoPermanentException notFound = (SkiplinoPermanentException) failure;
            assertThat(notFound.isNotFound()).isTrue();
            assertThat(notFound.error()).isNull();
            assertThat(notFound.skiplinoMessage()).isEqualTo("Customer not found.");
        }

        @Test
        void ticketNotFoundCarriesSkiplinosError() {
            skiplino.stubFor(post(BASE + "/tickets/k7m2p9x4q1/change-time")
                    .willReturn(json(404, fixture("inferred/error-404-ticket-not-found.json"))));

            SkiplinoPermanentException failure = (SkiplinoPermanentException) failureOf(() -> client.changeTicketTime(
                    "k7m2p9x4q1", ChangeTimeRequest.forCustomerExternalId(Instant.now(), "crm-7741")));

            assertThat(failure.error()).isEqualTo("Ticket not found.");
            assertThat(failure.getMessage()).contains("POST /tickets/{id}/change-time").contains("Ticket not found.");
        }

        @Test
        void conflictAndBusinessRuleAreConflictAndPermanent() {
            skiplino.stubFor(post(BASE + "/tickets/k7m2p9x4q1/cancel").willReturn(json(409, fixture("inferred/error-409.json"))));
            skiplino.stubFor(post(BASE + "/tickets/book").willReturn(json(400, fixture("inferred/error-400-business-rule.json"))));

            SkiplinoPermanentException conflict = (SkiplinoPermanentException) failureOf(
                    () -> client.cancelTicket("k7m2p9x4q1"));
            SkiplinoPermanentException businessRule = (SkiplinoPermanentException) failureOf(
                    () -> client.bookTicket(BookTicketRequest.walkIn("6fe8fb8b12", "7c1f9a3b2d")));

            assertThat(conflict.isConflict()).isTrue();
            assertThat(conflict.isTransient()).isFalse();
            assertThat(businessRule.status()).isEqualTo(400);
            assertThat(businessRule.error()).isEqualTo("The branch is closed.");
        }

        @Test
        void redirectIsNotFollowedAndIsPermanent() {
            stubCreate(aResponse().withStatus(301).withHeader("Location", skiplino.baseUrl() + "/elsewhere"));

            SkiplinoException failure = createFails();

            assertThat(failure.isTransient()).isFalse();
            assertThat(failure.status()).isEqualTo(301);
            assertThat(skiplino.getAllServeEvents()).hasSize(1);
        }

        @Test
        void tooManyRequestsIsTransientWithRetryAfterSeconds() {
            stubCreate(json(429, "{\"message\":\"Too many requests.\"}").withHeader("Retry-After", "7"));

            SkiplinoTransientException failure = (SkiplinoTransientException) createFails();

            assertThat(failure.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
            assertThat(failure.notSent()).isFalse();
        }

        @Test
        void tooManyRequestsWithAnHttpDate() {
            String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(90));
            stubCreate(aResponse().withStatus(429).withHeader("Retry-After", inNinetySeconds));

            SkiplinoTransientException failure = (SkiplinoTransientException) createFails();

            assertThat(failure.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(failure.retryAfter()).hasValueSatisfying(wait ->
                    assertThat(wait).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(90)));
        }

        @Test
        void tooManyRequestsWithoutRetryAfter() {
            stubCreate(aResponse().withStatus(429));

            SkiplinoTransientException failure = (SkiplinoTransientException) createFails();

            assertThat(failure.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(failure.retryAfter()).isEmpty();
        }

        @Test
        void serverErrorsAreTransient() {
            stubCreate(json(500, fixture("inferred/error-500.json")));
            SkiplinoTransientException internal = (SkiplinoTransientException) createFails();
            assertThat(internal.reason()).isEqualTo(Reason.SERVER_ERROR);
            assertThat(internal.status()).isEqualTo(500);
            assertThat(internal.retryAfter()).isEmpty();

            stubCreate(aResponse().withStatus(503).withHeader("Retry-After", "120").withBody("<html>Maintenance</html>"));
            SkiplinoTransientException unavailable = (SkiplinoTransientException) createFails();
            assertThat(unavailable.reason()).isEqualTo(Reason.SERVER_ERROR);
            assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(120));
        }

        @Test
        void requestTimeoutStatusIsTransient() {
            stubCreate(aResponse().withStatus(408));

            SkiplinoTransientException failure = (SkiplinoTransientException) createFails();

            assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(failure.status()).isEqualTo(408);
        }

        @Test
        void connectionResetIsTransientAndNotRetriedByHttpClient() {
            skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

            SkiplinoTransientException failure = (SkiplinoTransientException) failureOf(
                    () -> client.fetchTicket("k7m2p9x4q1"));

            assertThat(failure.reason()).isEqualTo(Reason.IO_ERROR);
            assertThat(failure.status()).isZero();
            assertThat(failure.notSent()).isFalse();
            // the bridge owns retries: HttpClient must not have re-sent the request on its own
            assertThat(skiplino.getAllServeEvents()).hasSize(1);
        }

        @Test
        void emptyAnswerAndGarbageAreTransient() {
            skiplino.stubFor(get(BASE + "/tickets/a").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
            skiplino.stubFor(get(BASE + "/tickets/b").willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

            assertThat(((SkiplinoTransientException) failureOf(() -> client.fetchTicket("a"))).reason())
                    .isEqualTo(Reason.IO_ERROR);
            assertThat(((SkiplinoTransientException) failureOf(() -> client.fetchTicket("b"))).reason())
                    .isEqualTo(Reason.IO_ERROR);
        }

        @Test
        void slowAnswerPastTheReadTimeoutIsATimeout() {
            skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").willReturn(
                    json(200, fixture("documented/ticket-fetched-200.json")).withFixedDelay(2_000)));

            SkiplinoClient impatient = TestSkiplino.client(skiplino.baseUrl() + BASE, TestSkiplino.properties("",
                    Duration.ofMillis(300), TestSkiplino.rateLimit(1000, 8, Duration.ofSeconds(5)),
                    TestSkiplino.circuitBreaker(100, Duration.ofMinutes(1)))).client();

            SkiplinoTransientException failure = (SkiplinoTransientException) failureOf(
                    () -> impatient.fetchTicket("k7m2p9x4q1"));

            assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
        }

        @Test
        void anHttpsBaseUrlSpeaksTlsAndChecksTheCertificate() {
            WireMockServer tls = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort());
            tls.start();
            try {
                SkiplinoClient overTls = TestSkiplino.client("https://localhost:" + tls.httpsPort() + BASE).client();

                SkiplinoTransientException failure = (SkiplinoTransientException) failureOf(overTls::listBranches);

                // WireMock's self-signed certificate is not trusted: proof that TLS, not plain http, was spoken
                assertThat(failure.reason()).isEqualTo(Reason.IO_ERROR);
                assertThat(failure).hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            } finally {
                tls.stop();
            }
        }

        @Test
        void unreachableServerIsTransient() {
            SkiplinoClient nowhere = TestSkiplino.client("http://127.0.0.1:1/external/v1").client();

            SkiplinoTransientException failure = (SkiplinoTransientException) failureOf(nowhere::listBranches);

            assertThat(failure.reason()).isEqualTo(Reason.IO_ERROR);
        }

        @Test
        void truncatedJsonWithStatus200IsTransient() {
            String truncated = fixture("documented/ticket-fetched-200.json").substring(0, 120);
            skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").willReturn(json(200, truncated)));

            SkiplinoTransientException failure = (SkiplinoTransientException) failureOf(
                    () -> client.fetchTicket("k7m2p9x4q1"));

            assertThat(failure.reason()).isEqualTo(Reason.INVALID_RESPONSE);
            assertThat(failure.status()).isEqualTo(200);
        }

        @Test
        void htmlPageWithStatus200IsTransient() {
            skiplino.stubFor(get(BASE + "/branches").willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "text/html").withBody("<!DOCTYPE html><html><body>Login</body></html>")));

            SkiplinoTransientException failure = (SkiplinoTransientException) failureOf(client::listBranches);

            assertThat(failure.reason()).as(failure.getMessage(), failure).isEqualTo(Reason.INVALID_RESPONSE);
            assertThat(failure.getMessage()).contains("text/html");
        }

        @Test
        void wrongShapeOrMissingDataWithStatus200IsTransient() {
            skiplino.stubFor(get(BASE + "/tickets/a").willReturn(json(200, "{\"message\":\"ok\",\"data\":null}")));
            skiplino.stubFor(get(BASE + "/tickets/b").willReturn(json(200, "{\"message\":\"ok\",\"data\":[1,2]}")));
            skiplino.stubFor(get(urlPathEqualTo(BASE + "/customers/getAll"))
                    .willReturn(json(200, "{\"message\":\"ok\",\"data\":[]}")));
            skiplino.stubFor(get(BASE + "/tickets/c").willReturn(json(200, "")));

            for (Runnable call : List.<Runnable>of(() -> client.fetchTicket("a"), () -> client.fetchTicket("b"),
                    () -> client.listCustomers(1, 10), () -> client.fetchTicket("c"))) {
                assertThat(((SkiplinoTransientException) failureOf(call)).reason()).isEqualTo(Reason.INVALID_RESPONSE);
            }
        }

        @Test
        void badArgumentsAreRefusedBeforeAnythingIsSent() {
            skiplino.stubFor(any(anyUrl()).willReturn(json(200, "{}")));

            assertThatThrownBy(() -> client.fetchTicket(" ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> CustomerKey.byExternalId("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> CustomerUpdate.byExternalId("crm-1").withNewExternalId("crm-2"))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(skiplino.getAllServeEvents()).isEmpty();
        }
    }
}
