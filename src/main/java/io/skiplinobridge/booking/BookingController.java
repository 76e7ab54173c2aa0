package io.skiplinobridge.booking;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.Branch;
import io.skiplinobridge.skiplino.BranchTreeGroup;
import io.skiplinobridge.skiplino.Slot;
import io.skiplinobridge.skiplino.Ticket;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * The booking API (docs/booking-api.md): a CRM user acting for one customer, named by the CRM's
 * {@code externalId}. Every answer that is not a success is problem+json; input is checked before
 * anything is sent to Skiplino. Authentication is {@link BookingTokenFilter}'s.
 */
@RestController
@RequestMapping(BookingController.BASE)
@ConditionalOnFlows
class BookingController {

    static final String BASE = "/api/booking";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_EXTERNAL_ID = 255;

    /** A service's slots of one date; {@code date} is absent for Skiplino's "today". */
    record SlotsView(String serviceId, LocalDate date, Instant fetchedAt, List<Slot> slots) {
    }

    private final BookingService booking;
    private final BookingRequests requests;

    BookingController(BookingService booking, Clock clock) {
        this.booking = booking;
        this.requests = new BookingRequests(clock);
    }

    @GetMapping("/branches")
    List<Branch> branches() {
        return booking.branches();
    }

    @GetMapping("/branches/{branchId}/services")
    List<BranchTreeGroup> services(@PathVariable String branchId) {
        return booking.tree(BookingRequests.id("branchId", branchId));
    }

    @GetMapping("/services/{serviceId}/slots")
    SlotsView slots(@PathVariable String serviceId, @RequestParam(required = false) String date) {
        String service = BookingRequests.id("serviceId", serviceId);
        LocalDate day = requests.date(date);
        SlotCache.Slots slots = booking.slots(service, day);
        return new SlotsView(service, day, slots.fetchedAt(), slots.slots());
    }

    @PostMapping("/customers/{externalId}/tickets")
    ResponseEntity<String> book(@PathVariable String externalId,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body) {
        String customer = externalId(externalId);
        String key = BookingRequests.idempotencyKey(idempotencyKey);
        BookingRequests.Book request = requests.book(json(contentType, body));
        BookingService.Booked booked = booking.book(customer, request, key);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(booked.status())
                .contentType(MediaType.APPLICATION_JSON)
                .location(URI.create(BASE + "/customers/" + encode(customer) + "/tickets/" + booked.ticketId()));
        if (booked.replayed()) {
            answer.header(REPLAYED_HEADER, "true");
        }
        return answer.body(booked.body());
    }

    @GetMapping("/customers/{externalId}/tickets/{ticketId}")
    Ticket ticket(@PathVariable String externalId, @PathVariable String ticketId) {
        return booking.ticket(externalId(externalId), BookingRequests.id("ticketId", ticketId));
    }

    @PostMapping("/customers/{externalId}/tickets/{ticketId}/cancel")
    Ticket cancel(@PathVariable String externalId, @PathVariable String ticketId) {
        return booking.cancel(externalId(externalId), BookingRequests.id("ticketId", ticketId));
    }

    @PostMapping("/customers/{externalId}/tickets/{ticketId}/reschedule")
    Ticket reschedule(@PathVariable String externalId, @PathVariable String ticketId,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body) {
        String customer = externalId(externalId);
        String ticket = BookingRequests.id("ticketId", ticketId);
        Instant time = requests.reschedule(json(contentType, body));
        return booking.reschedule(customer, ticket, time);
    }

    private static String externalId(String externalId) {
        if (externalId == null || externalId.isBlank() || externalId.length() > MAX_EXTERNAL_ID
                || externalId.chars().anyMatch(Character::isISOControl)) {
            throw BookingProblem.badParameter("externalId",
                    "must be the CRM's id of the customer, 1 to 255 characters without control characters");
        }
        return externalId;
    }

    private static byte[] json(String contentType, byte[] body) {
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw BookingProblem.of(HttpStatus.PAYLOAD_TOO_LARGE, "The body is larger than " + MAX_BODY_BYTES
                    + " bytes. Nothing was sent to Skiplino.");
        }
        if (body != null && body.length > 0 && !isJson(contentType)) {
            throw BookingProblem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as Content-Type: application/json. Nothing was sent to Skiplino.");
        }
        return body;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String encode(String segment) {
        return UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8);
    }
}
