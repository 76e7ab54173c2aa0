package io.skiplinobridge.sync;

/** Outcome of storing a batch of changes: how many were new, how many had been seen before. */
public record AppendResult(int accepted, int duplicates) {
}
