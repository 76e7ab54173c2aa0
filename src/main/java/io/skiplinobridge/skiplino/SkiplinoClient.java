package io.skiplinobridge.skiplino;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Skiplino External API v1, one method per endpoint. Every call passes the {@link SkiplinoGuard}
 * and ends either in the documented answer or in one {@link SkiplinoException}:
 * {@link SkiplinoTransientException} (retry later), {@link SkiplinoAuthenticationException} (401),
 * {@link SkiplinoValidationException} (422) or another {@link SkiplinoPermanentException}.
 *
 * <p>Calls are tagged with the purpose their endpoint usually serves (customers: SYNC, ticket reads:
 * TICKETS, the rest: BOOKING); {@link #forPurpose} tags every call of a view with another one.
 */
public final class SkiplinoClient {

    private final SkiplinoTransport transport;
    private final SkiplinoGuard guard;
    private final SkiplinoReplies replies;
    private final CallPurpose purpose;

    SkiplinoClient(SkiplinoTransport transport, SkiplinoGuard guard, SkiplinoReplies replies) {
        this(transport, guard, replies, null);
    }

    private SkiplinoClient(SkiplinoTransport transport, SkiplinoGuard guard, SkiplinoReplies replies,
            CallPurpose purpose) {
        this.transport = transport;
        this.guard = guard;
        this.replies = replies;
        this.purpose = purpose;
    }

    /** The same client, with every call counted under {@code purpose}. */
    public SkiplinoClient forPurpose(CallPurpose callPurpose) {
        return new SkiplinoClient(transport, guard, replies, callPurpose);
    }

    /** {@code GET /branches}: the company's active branches with their live open/closed status. */
    public SkiplinoResponse<List<Branch>> listBranches() {
        return call(SkiplinoOperation.LIST_BRANCHES, "/branches", null, null, replies.listResponse(Branch.class));
    }

    /** {@code GET /branches/{branchId}/tree}: the branch's service groups and their active services. */
    public SkiplinoResponse<List<BranchTreeGroup>> branchTree(String branchId) {
        return call(SkiplinoOperation.BRANCH_TREE, "/branches/" + segment(branchId, "branchId") + "/tree", null, null,
                replies.listResponse(BranchTreeGroup.class));
    }

    /** {@code GET /services/{id}/slots} for today in the company's timezone. */
    public SkiplinoResponse<List<Slot>> slots(String serviceId) {
        return slots(serviceId, null);
    }

    /**
     * {@code GET /services/{id}/slots?date=YYYY-MM-DD}: bookable slots of an appointment service (422 for
     * a past date or a service that takes no appointments).
     *
     * @param date null for today in the company's timezone
     */
    public SkiplinoResponse<List<Slot>> slots(String serviceId, LocalDate date) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("date", date);
        return call(SkiplinoOperation.SLOTS, "/services/" + segment(serviceId, "serviceId") + "/slots", query, null,
                replies.listResponse(Slot.class));
    }

    /** {@code POST /tickets/book}: a walk-in (no time) or an appointment (with time); 201 either way. */
    public SkiplinoResponse<Ticket> bookTicket(BookTicketRequest request) {
        return call(SkiplinoOperation.BOOK_TICKET, "/tickets/book", null, require(request, "request"),
                replies.response(Ticket.class));
    }

    /** {@code GET /tickets/{id}}: the ticket now, with queue size and wait while it is waiting. */
    public SkiplinoResponse<Ticket> fetchTicket(String ticketId) {
        return call(SkiplinoOperation.FETCH_TICKET, "/tickets/" + segment(ticketId, "ticketId"), null, null,
                replies.response(Ticket.class));
    }

    /** {@code POST /tickets/{id}/cancel}: only waiting or upcoming tickets; anything else is a 409. */
    public SkiplinoResponse<Ticket> cancelTicket(String ticketId) {
        return call(SkiplinoOperation.CANCEL_TICKET, "/tickets/" + segment(ticketId, "ticketId") + "/cancel", null,
                null, replies.response(Ticket.class));
    }

    /** {@code POST /tickets/{id}/change-time}: reschedules an appointment. */
    public SkiplinoResponse<Ticket> changeTicketTime(String ticketId, ChangeTimeRequest request) {
        return call(SkiplinoOperation.CHANGE_TICKET_TIME,
                "/tickets/" + segment(ticketId, "ticketId") + "/change-time", null, require(request, "request"),
                replies.response(Ticket.class));
    }

    /** {@code POST /customers/create}; a taken externalId is a 422 with {@code isAlreadyTaken("externalId")}. */
    public SkiplinoResponse<Customer> createCustomer(CustomerWrite customer) {
        return call(SkiplinoOperation.CREATE_CUSTOMER, "/customers/create", null, require(customer, "customer"),
                replies.response(Customer.class));
    }

    /** {@code GET /customers/getAll?page&limit}: newest first; page from 1, limit 1..100. */
    public SkiplinoPage<Customer> listCustomers(int page, int limit) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("page", page);
        query.put("limit", limit);
        return call(SkiplinoOperation.LIST_CUSTOMERS, "/customers/getAll", query, null, replies.page(Customer.class));
    }

    /** {@code GET /customers/getOne}; an unknown customer is a 422 with {@code isDoesNotExist()}, not a 404. */
    public SkiplinoResponse<Customer> getCustomer(CustomerKey key) {
        return call(SkiplinoOperation.GET_CUSTOMER, "/customers/getOne", keyQuery(key), null,
                replies.response(Customer.class));
    }

    /** {@code PUT /customers/update}: only the fields the update carries change. */
    public SkiplinoResponse<Customer> updateCustomer(CustomerUpdate update) {
        return call(SkiplinoOperation.UPDATE_CUSTOMER, "/customers/update", null, require(update, "update"),
                replies.response(Customer.class));
    }

    /** {@code DELETE /customers/delete}: 200 with {@code data: null}; the customer's tickets stay. */
    public SkiplinoResponse<Void> deleteCustomer(CustomerKey key) {
        SkiplinoResponse<JsonNode> deleted = call(SkiplinoOperation.DELETE_CUSTOMER, "/customers/delete",
                keyQuery(key), null, replies.response(JsonNode.class), false);
        return new SkiplinoResponse<>(deleted.message(), null);
    }

    /** {@code GET /customers/tickets}: one customer's tickets, newest first; page from 1, limit 1..10. */
    public SkiplinoPage<Ticket> customerTickets(CustomerKey key, int page, int limit) {
        Map<String, Object> query = keyQuery(key);
        query.put("page", page);
        query.put("limit", limit);
        return call(SkiplinoOperation.CUSTOMER_TICKETS, "/customers/tickets", query, null, replies.page(Ticket.class));
    }

    private <T> T call(SkiplinoOperation operation, String path, Map<String, Object> query, Object body,
            JavaType type) {
        return call(operation, path, query, body, type, true);
    }

    private <T> T call(SkiplinoOperation operation, String path, Map<String, Object> query, Object body,
            JavaType type, boolean dataRequired) {
        byte[] json = body == null ? null : replies.write(body);
        String rawQuery = query == null ? null : encode(query);
        CallPurpose callPurpose = purpose == null ? operation.defaultPurpose() : purpose;
        return guard.call(callPurpose, operation, () -> {
            HttpReply reply = transport.send(operation, path, rawQuery, json);
            T value = replies.read(operation, reply, type, dataRequired);
            return new SkiplinoGuard.Answered<>(reply.status(), value);
        });
    }

    private static Map<String, Object> keyQuery(CustomerKey key) {
        require(key, "key");
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("id", key.id());
        query.put("externalId", key.externalId());
        return query;
    }

    private static String encode(Map<String, Object> query) {
        StringJoiner joined = new StringJoiner("&");
        query.forEach((name, value) -> {
            if (value != null) {
                joined.add(percentEncode(name) + "=" + percentEncode(value.toString()));
            }
        });
        return joined.toString();
    }

    private static String segment(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return percentEncode(value);
    }

    /** RFC 3986 percent-encoding of UTF-8 (a space is {@code %20}, a {@code +} is {@code %2B}). */
    private static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
