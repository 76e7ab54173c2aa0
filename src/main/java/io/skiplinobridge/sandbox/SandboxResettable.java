package io.skiplinobridge.sandbox;

/**
 * A sandbox whose state {@code POST /sandbox/control/reset} empties (seeded reference data such as
 * branches and services is kept; stats and faults are cleared).
 */
public interface SandboxResettable {

    void reset();
}
