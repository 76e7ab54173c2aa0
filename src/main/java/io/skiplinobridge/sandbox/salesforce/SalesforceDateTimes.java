package io.skiplinobridge.sandbox.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Salesforce's datetime wire format, {@code 2026-11-26T10:00:00.000+0000}, always in UTC. */
final class SalesforceDateTimes {

    private static final DateTimeFormatter WIRE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WIRE_INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]xx");

    private SalesforceDateTimes() {
    }

    static String format(Instant instant) {
        return WIRE.format(instant);
    }

    /** Accepts ISO-8601 with an offset ({@code Z}, {@code +03:00}) and Salesforce's {@code +0000} form. */
    static Optional<Instant> parse(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException notIso) {
            try {
                return Optional.of(OffsetDateTime.parse(text, WIRE_INPUT).toInstant());
            } catch (DateTimeParseException notWire) {
                return Optional.empty();
            }
        }
    }
}
