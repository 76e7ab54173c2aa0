package io.skiplinobridge.sync;

import java.util.List;

import io.skiplinobridge.sync.SyncStore.PendingEvent;

/**
 * What to do with one customer's pending changes, decided before any call: the latest change wins
 * (earlier pending ones are superseded by it), a change older than the last applied one is stale, an
 * unchanged payload costs nothing.
 */
sealed interface SyncPlan {

    /** The change that decides; every other pending change read with it is superseded. */
    PendingEvent decided();

    /** Older than what Skiplino already reflects. */
    record Stale(PendingEvent decided) implements SyncPlan {
    }

    /** The mapped payload equals what Skiplino holds. */
    record Unchanged(PendingEvent decided) implements SyncPlan {
    }

    /** The CRM data cannot be sent; park it with the field errors. */
    record Invalid(PendingEvent decided, List<FieldError> errors, String payload) implements SyncPlan {
    }

    /** A delete the configuration or the bridge's knowledge makes a no-op. */
    record SkipDelete(PendingEvent decided, String why) implements SyncPlan {
    }

    /** Create in Skiplino ({@code known=false}) or update it ({@code known=true}). */
    record Write(PendingEvent decided, MappedCustomer customer, boolean known) implements SyncPlan {

        String operation() {
            return known ? "UPDATE" : "CREATE";
        }
    }

    /** Delete from Skiplino. */
    record Delete(PendingEvent decided) implements SyncPlan {
    }
}
