package io.skiplinobridge.skiplino;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Paging metadata. {@code total}, {@code totalPages}, {@code hasNextPage} and {@code hasPrevPage} are
 * documented; {@code page} and {@code limit} are inferred, so they may be null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pagination(
        Integer page,
        Integer limit,
        long total,
        long totalPages,
        boolean hasNextPage,
        boolean hasPrevPage) {
}
