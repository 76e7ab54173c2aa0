package io.skiplinobridge.skiplino;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Skiplino's paginated envelope {@code {"message", "data": [...], "pagination"}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SkiplinoPage<T>(String message, List<T> data, Pagination pagination) {
}
