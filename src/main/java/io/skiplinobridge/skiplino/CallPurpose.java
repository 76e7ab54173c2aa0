package io.skiplinobridge.skiplino;

/**
 * What a Skiplino call is for. Every call is tagged with one, in metrics too, so that a request budget
 * can later give each purpose its own share (e.g. keep ticket polling from starving customer sync).
 */
public enum CallPurpose {
    /** Customer sync: create, update, delete, lookups. */
    SYNC,
    /** Ticket mirroring: ticket history and live ticket polling. */
    TICKETS,
    /** Booking on behalf of a customer: branches, services, slots, book, cancel, reschedule. */
    BOOKING
}
