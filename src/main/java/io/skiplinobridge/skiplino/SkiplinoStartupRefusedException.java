package io.skiplinobridge.skiplino;

/** The Skiplino settings cannot work; the bridge refuses to start rather than fail on every call. */
final class SkiplinoStartupRefusedException extends RuntimeException {

    private final String action;

    SkiplinoStartupRefusedException(String reason, String action) {
        super(reason);
        this.action = action;
    }

    String action() {
        return action;
    }
}
