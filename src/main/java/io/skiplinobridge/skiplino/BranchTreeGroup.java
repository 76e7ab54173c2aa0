package io.skiplinobridge.skiplino;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A service group of a branch's tree; its {@code id} is the {@code groupOfServiceId} used when booking.
 * The {@code services} key is inferred (the schema page was not recovered).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BranchTreeGroup(String id, String name, List<BranchTreeService> services) {
}
