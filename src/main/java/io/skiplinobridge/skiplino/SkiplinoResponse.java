package io.skiplinobridge.skiplino;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Skiplino's success envelope {@code {"message", "data"}}; {@code message} is human text only. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SkiplinoResponse<T>(String message, T data) {
}
