package io.skiplinobridge.sync;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.sync.SyncStore.CustomerState;
import io.skiplinobridge.sync.SyncStore.PendingEvent;

import org.springframework.stereotype.Component;

/** Decides a {@link SyncPlan} from what the bridge knows of a customer and its pending changes. */
@Component
@ConditionalOnFlows
class SyncPlanner {

    private final CustomerMapper mapper;
    private final SyncProperties.DeleteMode deleteMode;
    private final ObjectMapper json;

    SyncPlanner(CustomerMapper mapper, SyncProperties properties, ObjectMapper json) {
        this.mapper = mapper;
        this.deleteMode = properties.deletes().mode();
        this.json = json;
    }

    /**
     * @param events             pending changes in source order, not empty
     * @param mayBeInSkiplino    an earlier write may have reached Skiplino unrecorded (a kill, or a timeout,
     *                           after Skiplino applied it): a delete is then sent even though the bridge's
     *                           records say Skiplino does not hold the customer, and content equal to the
     *                           recorded hash is written anyway (Skiplino may hold the unrecorded write's)
     */
    SyncPlan plan(CustomerState state, List<PendingEvent> events, boolean mayBeInSkiplino) {
        PendingEvent latest = events.get(events.size() - 1);
        if (state.appliedSourceTs() != null && latest.sourceTs().isBefore(state.appliedSourceTs())) {
            return new SyncPlan.Stale(latest);
        }
        if (latest.type() == ChangeType.DELETE) {
            if (deleteMode == SyncProperties.DeleteMode.IGNORE) {
                return new SyncPlan.SkipDelete(latest, "deletes are ignored (bridge.sync.deletes.mode=IGNORE)");
            }
            boolean recordedAbsent = state.deleted() || (state.skiplinoId() == null && state.contentHash() == null);
            if (recordedAbsent && !mayBeInSkiplino) {
                return new SyncPlan.SkipDelete(latest, "the bridge never synced this customer, or already deleted it");
            }
            return new SyncPlan.Delete(latest);
        }
        CanonicalCustomer customer = read(latest);
        CustomerMapper.Result mapped = mapper.map(customer);
        if (!mapped.valid()) {
            return new SyncPlan.Invalid(latest, mapped.errors(), latest.payload());
        }
        MappedCustomer target = mapped.customer();
        // the recorded hash says what Skiplino holds only when no write since may have landed unrecorded
        if (!state.deleted() && target.contentHash().equals(state.contentHash()) && !mayBeInSkiplino) {
            return new SyncPlan.Unchanged(latest);
        }
        boolean known = state.skiplinoId() != null && !state.deleted();
        return new SyncPlan.Write(latest, target, known);
    }

    private CanonicalCustomer read(PendingEvent event) {
        try {
            return json.readValue(event.payload(), CanonicalCustomer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("inbox event " + event.id() + " holds unreadable JSON", e);
        }
    }
}
