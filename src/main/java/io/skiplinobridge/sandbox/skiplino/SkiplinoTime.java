package io.skiplinobridge.sandbox.skiplino;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/** Skiplino's date-time form: ISO-8601 UTC with milliseconds and a trailing {@code Z}. */
final class SkiplinoTime {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Requests must be UTC with a trailing Z (stated); seconds are required, milliseconds optional. */
    private static final Pattern UTC_WITH_Z = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z");

    private SkiplinoTime() {
    }

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    /** The instant of a request value, or empty when it is not UTC ISO-8601 with a trailing {@code Z}. */
    static Optional<Instant> parseUtc(String value) {
        if (value == null || !UTC_WITH_Z.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
