package io.skiplinobridge.booking;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.ConditionalOnSandbox;
import io.skiplinobridge.sandbox.SandboxResettable;

import org.springframework.stereotype.Component;

/** {@code POST /sandbox/control/reset} empties the sandbox's slot bookings: cached slots would be stale. */
@Component
@ConditionalOnSandbox
@ConditionalOnFlows
class BookingSandboxReset implements SandboxResettable {

    private final BookingService booking;

    BookingSandboxReset(BookingService booking) {
        this.booking = booking;
    }

    @Override
    public void reset() {
        booking.forgetCachedSlots();
    }
}
