package io.skiplinobridge.skiplino;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An active branch with its live open/closed status (computed by Skiplino at request time). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Branch(String id, String name, BranchStatus branchStatus) {

    /** @param isBranchOpen null when Skiplino did not say */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BranchStatus(@JsonProperty("isBranchOpen") Boolean isBranchOpen) {
    }
}
