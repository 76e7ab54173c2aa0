package io.skiplinobridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.store.BridgeFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Mass-delete guard: a CRM mistake (a bad filter, a wiped list) must not empty Skiplino. More deletes
 * inside the window than {@code bridge.sync.deletes.max-per-window} pauses every delete (flag
 * {@value #FLAG}) until an operator resumes them; the held deletes stay pending meanwhile. The count
 * covers every instance (it is read from the processing history), plus this instance's deletes in
 * flight; instances racing at the threshold can overshoot it by at most their worker count.
 */
@Component
@ConditionalOnFlows
public class DeleteGuard {

    public static final String FLAG = "deletes.paused";
    private static final Logger log = LoggerFactory.getLogger(DeleteGuard.class);

    private final SyncProperties.Deletes settings;
    private final SyncStore store;
    private final BridgeFlags flags;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();

    DeleteGuard(SyncProperties properties, SyncStore store, BridgeFlags flags, Clock clock) {
        this.settings = properties.deletes();
        this.store = store;
        this.flags = flags;
        this.clock = clock;
    }

    /** True when a delete may be sent now; the caller must {@link #done()} afterwards. */
    boolean tryAcquire() {
        if (flags.isActive(FLAG)) {
            return false;
        }
        Instant now = clock.instant();
        Instant since = now.minus(settings.window());
        Instant resumedAt = flags.find(FLAG).map(BridgeFlags.Flag::changedAt).orElse(null);
        if (resumedAt != null && resumedAt.isAfter(since)) {
            since = resumedAt;
        }
        int recent = store.deletesSince(since) + inFlight.incrementAndGet();
        if (recent > settings.maxPerWindow()) {
            inFlight.decrementAndGet();
            String reason = "more than " + settings.maxPerWindow() + " customer deletes within "
                    + settings.window() + ": deletes paused until an operator resumes them";
            flags.set(FLAG, true, reason, "delete-guard");
            log.warn("Mass-delete guard tripped: {}", reason);
            return false;
        }
        return true;
    }

    void done() {
        inFlight.decrementAndGet();
    }
}
