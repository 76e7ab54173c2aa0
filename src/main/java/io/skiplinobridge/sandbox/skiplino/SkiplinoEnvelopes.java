package io.skiplinobridge.sandbox.skiplino;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every body shape the sandbox's Skiplino API answers with, in one place. The success shapes are
 * the documented ones; the error shapes follow the inferences of skiplino-api.md §1.4, which the
 * Skiplino pages never print in full.
 */
final class SkiplinoEnvelopes {

    private SkiplinoEnvelopes() {
    }

    /** {@code {"message", "data"}}; {@code data} is written even when null (delete answers {@code data: null}). */
    record Success(String message, @JsonInclude(JsonInclude.Include.ALWAYS) Object data) {
    }

    /** A page: {@code {"message", "data": [...], "pagination": {...}}}. */
    record Page(String message, List<?> data, Pagination pagination) {
    }

    record Pagination(int page, int limit, long total, long totalPages, boolean hasNextPage, boolean hasPrevPage) {

        static Pagination of(int page, int limit, long total) {
            long totalPages = (total + limit - 1) / limit;
            return new Pagination(page, limit, total, totalPages, page < totalPages, page > 1);
        }
    }

    /**
     * {@code {"message", "error"}}: {@code error} is an object keyed by field name for validation
     * failures (422), a (localised) reason string for business rules, auth and conflicts, or
     * {@code null} (the update page's "404 with error: null").
     */
    record Error(String message, @JsonInclude(JsonInclude.Include.ALWAYS) Object error) {
    }
}
