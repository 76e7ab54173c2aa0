package io.skiplinobridge.skiplino;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The {@code {id, name}} references inside a ticket (branch, service, group, customer); names are localised. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NamedRef(String id, String name) {
}
