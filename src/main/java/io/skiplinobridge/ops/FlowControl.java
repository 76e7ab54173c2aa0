package io.skiplinobridge.ops;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.store.BridgeFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Every {@link OperatedFlow} bean, their pause switches and what they report. Pausing and resuming are
 * recorded in {@link BridgeFlags} with who, when and why, so they hold across restarts and instances.
 */
@Component
@ConditionalOnFlows
class FlowControl {

    private static final Logger log = LoggerFactory.getLogger(FlowControl.class);

    private final List<OperatedFlow> flows;
    private final BridgeFlags flags;

    FlowControl(List<OperatedFlow> flows, BridgeFlags flags) {
        Set<String> names = new HashSet<>();
        for (OperatedFlow flow : flows) {
            if (!names.add(flow.name())) {
                throw new IllegalStateException("two operated flows are named " + flow.name());
            }
        }
        this.flows = flows.stream().sorted(Comparator.comparing(OperatedFlow::name)).toList();
        this.flags = flags;
    }

    List<String> names() {
        return flows.stream().map(OperatedFlow::name).toList();
    }

    List<OperatedFlow> flows() {
        return flows;
    }

    Optional<OperatedFlow> find(String name) {
        return flows.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    List<FlowState> states() {
        return flows.stream().map(this::state).toList();
    }

    FlowState state(OperatedFlow flow) {
        Optional<BridgeFlags.Flag> flag = flags.find(flow.pauseFlag());
        boolean paused = flag.map(BridgeFlags.Flag::active).orElse(false);
        return new FlowState(flow.name(), flow.description(), paused,
                flag.map(f -> new Switch(f.active(), f.reason(), f.changedAt(), f.changedBy())).orElse(null),
                flow.report());
    }

    /** Whether the flow is paused, read through the flags' short cache (for gauges). */
    boolean paused(OperatedFlow flow) {
        return flags.isActive(flow.pauseFlag());
    }

    FlowState pause(OperatedFlow flow, String reason, String by) {
        flags.set(flow.pauseFlag(), true, reason, by);
        log.warn("Flow {} paused by {}: {}", flow.name(), by, reason);
        return state(flow);
    }

    FlowState resume(OperatedFlow flow, String reason, String by) {
        flags.set(flow.pauseFlag(), false, reason, by);
        log.info("Flow {} resumed by {}: {}", flow.name(), by, reason);
        return state(flow);
    }

    /**
     * @param paused     whether the flow is held now
     * @param lastSwitch who last paused or resumed it, when and why; null if nobody ever did
     */
    record FlowState(String name, String description, boolean paused, Switch lastSwitch, FlowReport report) {
    }

    record Switch(boolean paused, String reason, Instant at, String by) {
    }
}
