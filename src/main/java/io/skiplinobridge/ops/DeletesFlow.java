package io.skiplinobridge.ops;

import java.time.Duration;
import java.util.Map;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.sync.DeleteGuard;
import io.skiplinobridge.sync.SyncProperties;

import org.springframework.stereotype.Component;

/**
 * Customer deletes as an operated flow: its flag is the mass-delete guard's, so resuming it is how an
 * operator releases deletes the guard held (and restarts the guard's count).
 */
@Component
@ConditionalOnFlows
class DeletesFlow implements OperatedFlow {

    static final String NAME = "deletes";

    private final SyncProperties.Deletes settings;

    DeletesFlow(SyncProperties properties) {
        this.settings = properties.deletes();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String pauseFlag() {
        return DeleteGuard.FLAG;
    }

    @Override
    public String description() {
        return "Customer deletes sent to Skiplino; the mass-delete guard pauses them after more than "
                + settings.maxPerWindow() + " within " + readable(settings.window());
    }

    @Override
    public FlowReport report() {
        return new FlowReport(null, null, null, null, Map.of("mode", settings.mode().name(),
                "maxPerWindow", settings.maxPerWindow(), "window", readable(settings.window())));
    }

    private static String readable(Duration window) {
        if (window.toSeconds() % 3600 == 0) {
            return window.toHours() + " h";
        }
        return window.toSeconds() % 60 == 0 ? window.toMinutes() + " min" : window.toSeconds() + " s";
    }
}
