package io.skiplinobridge.sandbox.skiplino;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.skiplino.ApiKeyGuard.Access;
import io.skiplinobridge.sandbox.skiplino.CustomerDirectory.Locator;
import io.skiplinobridge.sandbox.skiplino.SkiplinoEnvelopes.Page;
import io.skiplinobridge.sandbox.skiplino.SkiplinoEnvelopes.Pagination;
import io.skiplinobridge.sandbox.skiplino.SkiplinoEnvelopes.Success;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The thirteen endpoints of the Skiplino External API v1, served under
 * {@value #BASE} with the paths, methods, messages, envelopes and status codes of the docs
 * (skiplino-api.md §2). docs/sandbox-skiplino.md maps each behaviour to its doc statement.
 */
@RestController
@ConditionalOnSandbox
@RequestMapping(SkiplinoSandboxApiController.BASE)
class SkiplinoSandboxApiController {

    static final String BASE = "/sandbox/skiplino/external/v1";
    private static final String LOCALE_HEADER = "X-Locale";
    private static final int MAX_CUSTOMER_PAGE = 100;
    private static final int MAX_TICKET_PAGE = 10;

    private final ApiKeyGuard guard;
    private final SkiplinoCatalog catalog;
    private final CustomerDirectory customers;
    private final CustomerFieldRules fieldRules;
    private final TicketBook tickets;
    private final WriteRejections rejections;
    private final ObjectMapper json;
    private final SkiplinoSandboxProperties properties;

    SkiplinoSandboxApiController(ApiKeyGuard guard, SkiplinoCatalog catalog, CustomerDirectory customers,
                                 CustomerFieldRules fieldRules, TicketBook tickets, WriteRejections rejections,
                                 ObjectMapper json, SkiplinoSandboxProperties properties) {
        this.guard = guard;
        this.catalog = catalog;
        this.customers = customers;
        this.fieldRules = fieldRules;
        this.tickets = tickets;
        this.rejections = rejections;
        this.json = json;
        this.properties = properties;
    }

    record BranchView(String id, String name, BranchStatus branchStatus) {
    }

    record BranchStatus(boolean isBranchOpen) {
    }

    record GroupView(String id, String name, List<ServiceView> services) {
    }

    record ServiceView(String id, String name, boolean isOpen, boolean isAppointment) {
    }

    record SlotView(String time, int remaining) {
    }

    // ---- branches and services

    @GetMapping("/branches")
    Success branches(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                     @RequestHeader(value = LOCALE_HEADER, required = false) String localeHeader) {
        guard.check(authorization, Access.PUBLIC_OR_SECRET);
        String locale = locale(localeHeader);
        List<BranchView> branches = catalog.activeBranches().stream()
                .map(b -> new BranchView(b.id(), b.name().in(locale), new BranchStatus(b.open())))
                .toList();
        return new Success("Branches fetched successfully.", branches);
    }

    @GetMapping("/branches/{branchId}/tree")
    Success tree(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                 @RequestHeader(value = LOCALE_HEADER, required = false) String localeHeader,
                 @PathVariable String branchId) {
        guard.check(authorization, Access.PUBLIC_OR_SECRET);
        String locale = locale(localeHeader);
        SkiplinoCatalog.Branch branch = catalog.activeBranch(branchId)
                .orElseThrow(() -> SkiplinoApiException.invalid("branchId", SkiplinoApiException.DOES_NOT_EXIST));
        List<GroupView> groups = catalog.treeGroups(branch.id()).stream()
                .map(g -> new GroupView(g.id(), g.name().in(locale), catalog.activeServices(g.id()).stream()
                        .map(s -> new ServiceView(s.id(), s.name().in(locale), catalog.isOpen(s), s.appointment()))
                        .toList()))
                .toList();
        return new Success("Branch tree fetched successfully.", groups);
    }

    @GetMapping("/services/{id}/slots")
    Success slots(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                  @PathVariable String id, @RequestParam(required = false) String date) {
        guard.check(authorization, Access.PUBLIC_OR_SECRET);
        List<SlotView> slots = tickets.slots(id, date).stream()
                .map(s -> new SlotView(SkiplinoTime.format(s.time()), s.remaining()))
                .toList();
        return new Success("Slots fetched successfully.", slots);
    }

    // ---- tickets

    @PostMapping("/tickets/book")
    ResponseEntity<Success> book(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                 @RequestHeader(value = LOCALE_HEADER, required = false) String localeHeader,
                                 @RequestBody(required = false) String body, HttpServletRequest request) {
        guard.check(authorization, Access.SECRET_ONLY);
        String locale = locale(localeHeader);
        TicketRequests.Booking booking = TicketRequests.booking(object(body));
        SandboxTicket ticket = tickets.book(booking, locale);
        SkiplinoTraffic.nameCustomer(request, ticket.customerId, null);
        String message = booking.appointment() ? "Appointment booked successfully." : "Ticket booked successfully.";
        return ResponseEntity.status(HttpStatus.CREATED).body(new Success(message, tickets.view(ticket, locale)));
    }

    @GetMapping("/tickets/{id}")
    Success ticket(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                   @RequestHeader(value = LOCALE_HEADER, required = false) String localeHeader,
                   @PathVariable String id) {
        guard.check(authorization, Access.PUBLIC_OR_SECRET);
        return new Success("Ticket fetched successfully.", tickets.view(tickets.require(id), locale(localeHeader)));
    }

    @PostMapping("/tickets/{id}/cancel")
    Success cancel(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                   @RequestHeader(value = LOCALE_HEADER, required = false) String localeHeader,
                   @PathVariable String id) {
        guard.check(authorization, Access.SECRET_ONLY);
        return new Success("Ticket cancelled successfully.", tickets.view(tickets.cancel(id), locale(localeHeader)));
    }

    @PostMapping("/tickets/{id}/change-time")
    Success changeTime(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                       @RequestHeader(value = LOCALE_HEADER, required = false) String localeHeader,
                       @PathVariable String id, @RequestBody(required = false) String body) {
        guard.check(authorization, Access.SECRET_ONLY);
        String locale = locale(localeHeader);
        SandboxTicket ticket = tickets.changeTime(id, TicketRequests.changeTime(object(body)), locale);
        return new Success("Ticket updated successfully.", tickets.view(ticket, locale));
    }

    // ---- customers

    @PostMapping("/customers/create")
    ResponseEntity<Success> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                   @RequestBody(required = false) String body, HttpServletRequest request) {
        guard.check(authorization, Access.SECRET_ONLY);
        CustomerPatch patch = fieldRules.forCreate(object(body));
        rejections.check(patch.externalId().value());
        StoredCustomer customer = customers.create(patch);
        SkiplinoTraffic.nameCustomer(request, customer.id(), customer.externalId());
        return ResponseEntity.status(HttpStatus.CREATED).body(new Success("Customer created successfully.", customer.view()));
    }

    @GetMapping("/customers/getAll")
    Page getAll(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                @RequestParam(required = false) String page, @RequestParam(required = false) String limit) {
        guard.check(authorization, Access.SECRET_ONLY);
        int pageNumber = page(page);
        int pageSize = limit(limit, MAX_CUSTOMER_PAGE);
        List<CustomerView> data = customers.newestFirst(pageNumber, pageSize).stream().map(StoredCustomer::view).toList();
        return new Page("Customers fetched successfully.", data, Pagination.of(pageNumber, pageSize, customers.count()));
    }

    @GetMapping("/customers/getOne")
    Success getOne(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                   @RequestParam(required = false) String id, @RequestParam(required = false) String externalId) {
        guard.check(authorization, Access.SECRET_ONLY);
        return new Success("Customer fetched successfully.", customers.require(locator(id, externalId)).view());
    }

    @PutMapping("/customers/update")
    Success update(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                   @RequestBody(required = false) String body, HttpServletRequest request) {
        guard.check(authorization, Access.SECRET_ONLY);
        ObjectNode object = object(body);
        Locator locator = locator(textOrNull(object, "id"), textOrNull(object, "externalId"));
        CustomerPatch patch = fieldRules.forUpdate(object);
        StoredCustomer current = customers.require(locator);
        rejections.check(current.externalId());
        StoredCustomer updated = customers.update(locator, patch);
        SkiplinoTraffic.nameCustomer(request, updated.id(), current.externalId());
        return new Success("Customer updated successfully.", updated.view());
    }

    @DeleteMapping("/customers/delete")
    Success delete(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                   @RequestParam(required = false) String id, @RequestParam(required = false) String externalId,
                   HttpServletRequest request) {
        guard.check(authorization, Access.SECRET_ONLY);
        Locator locator = locator(id, externalId);
        rejections.check(customers.require(locator).externalId());
        StoredCustomer deleted = customers.delete(locator);
        SkiplinoTraffic.nameCustomer(request, deleted.id(), deleted.externalId());
        return new Success("Customer deleted successfully.", null);
    }

    @GetMapping("/customers/tickets")
    Page customerTickets(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                         @RequestHeader(value = LOCALE_HEADER, required = false) String localeHeader,
                         @RequestParam(required = false) String id, @RequestParam(required = false) String externalId,
                         @RequestParam(required = false) String page, @RequestParam(required = false) String limit) {
        guard.check(authorization, Access.PUBLIC_OR_SECRET);
        Locator locator = locator(id, externalId);
        int pageNumber = page(page);
        int pageSize = limit(limit, MAX_TICKET_PAGE);
        StoredCustomer customer = customers.require(locator);
        String locale = locale(localeHeader);
        List<TicketView> data = tickets.ofCustomer(customer.id(), pageNumber, pageSize).stream()
                .map(t -> tickets.view(t, locale))
                .toList();
        return new Page("Customer tickets fetched successfully.", data,
                Pagination.of(pageNumber, pageSize, tickets.countOfCustomer(customer.id())));
    }

    // ---- request reading

    private String locale(String header) {
        return Localized.resolve(header, properties.defaultLocale());
    }

    /** getOne, delete, tickets and update: {@code id} wins when both are sent (stated for getOne). */
    private static Locator locator(String id, String externalId) {
        if (id != null && !id.isEmpty()) {
            return Locator.id(Locator.ID, id);
        }
        if (externalId != null && !externalId.isEmpty()) {
            return Locator.externalId(Locator.EXTERNAL_ID, externalId);
        }
        throw SkiplinoApiException.invalid(Map.of(Locator.ID, "The id field is required when externalId is not present."));
    }

    private static String textOrNull(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw SkiplinoApiException.invalid(field, "The " + field + " must be a string.");
        }
        return node.textValue();
    }

    private ObjectNode object(String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw SkiplinoApiException.invalid("body", "The body must be valid JSON.");
        }
        if (!(node instanceof ObjectNode object)) {
            throw SkiplinoApiException.invalid("body", "The body must be a JSON object.");
        }
        return object;
    }

    private static int page(String value) {
        return integerParameter("page", value, 1, Integer.MAX_VALUE, "The page must be an integer of at least 1.");
    }

    /** Stated: limit defaults to 10 and is capped at 100 for getAll, at 10 for a customer's tickets. */
    private static int limit(String value, int max) {
        return integerParameter("limit", value, 10, max, "The limit must be an integer between 1 and " + max + ".");
    }

    private static int integerParameter(String field, String value, int defaultValue, int max, String message) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw SkiplinoApiException.invalid(field, message);
        }
        if (parsed < 1 || parsed > max) {
            throw SkiplinoApiException.invalid(field, message);
        }
        return parsed;
    }
}
