package io.skiplinobridge.sandbox.skiplino;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code POST /sandbox/control/skiplino/activity} asks for. Only {@code tickets} is required.
 *
 * @param tickets           how many tickets to book
 * @param externalIds       the customers to book for (default: every customer existing at the start)
 * @param eachCustomerOnce  book for each of those customers at most once, in a random order, instead of
 *                          drawing a customer for every ticket (default false; needs tickets ≤ customers)
 * @param appointmentShare  share of tickets booked as appointments (default 0.3)
 * @param cancelShare       share of tickets cancelled from {@code waiting} or {@code upcoming} (default 0.1)
 * @param dwellMs           how long each intermediate status lasts (default 1000 to 3000 ms)
 * @param statusDwellMs     per-status overrides of {@code dwellMs}, keyed {@code upcoming}, {@code waiting}, {@code serving}
 * @param bookingIntervalMs pause between two bookings (default 100 to 500 ms)
 * @param seed              seed of the random choices, for a repeatable run
 */
record ActivitySettings(Integer tickets, List<String> externalIds, Boolean eachCustomerOnce,
                        Double appointmentShare, Double cancelShare,
                        Range dwellMs, Map<String, Range> statusDwellMs, Range bookingIntervalMs, Long seed) {

    static final int MAX_TICKETS = 1_000_000;
    static final Set<String> INTERMEDIATE = Set.of(SandboxTicket.UPCOMING, SandboxTicket.WAITING, SandboxTicket.SERVING);

    /** An inclusive range of milliseconds. */
    record Range(long min, long max) {
    }

    ActivitySettings withDefaults() {
        return new ActivitySettings(tickets, externalIds, Boolean.TRUE.equals(eachCustomerOnce),
                appointmentShare == null ? 0.3 : appointmentShare, cancelShare == null ? 0.1 : cancelShare,
                dwellMs == null ? new Range(1000, 3000) : dwellMs, statusDwellMs == null ? Map.of() : statusDwellMs,
                bookingIntervalMs == null ? new Range(100, 500) : bookingIntervalMs, seed);
    }

    Range dwellOf(String status) {
        return statusDwellMs.getOrDefault(status, dwellMs);
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (tickets == null || tickets < 1 || tickets > MAX_TICKETS) {
            problems.add("tickets must be between 1 and " + MAX_TICKETS);
        }
        share("appointmentShare", appointmentShare, problems);
        share("cancelShare", cancelShare, problems);
        range("dwellMs", dwellMs, problems);
        range("bookingIntervalMs", bookingIntervalMs, problems);
        if (statusDwellMs != null) {
            statusDwellMs.forEach((status, range) -> {
                if (!INTERMEDIATE.contains(status)) {
                    problems.add("statusDwellMs keys must be upcoming, waiting or serving, not " + status);
                }
                range("statusDwellMs." + status, range, problems);
            });
        }
        return problems;
    }

    private static void share(String name, Double value, List<String> problems) {
        if (value != null && (value.isNaN() || value < 0 || value > 1)) {
            problems.add(name + " must be between 0 and 1");
        }
    }

    private static void range(String name, Range range, List<String> problems) {
        if (range != null && (range.min() < 0 || range.max() < range.min() || range.max() > 3_600_000)) {
            problems.add(name + " needs 0 <= min <= max <= 3600000");
        }
    }
}
