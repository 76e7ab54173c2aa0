package io.skiplinobridge.sandbox.salesforce;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A {@code WHERE} clause of the supported SOQL subset, evaluated against one record. */
sealed interface SoqlCondition {

    boolean test(SObjectRecord record);

    enum Operator {
        EQ("="), GT(">"), GE(">="), LT("<"), LE("<=");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
            };
        }
    }

    record All(List<SoqlCondition> conditions) implements SoqlCondition {
        @Override
        public boolean test(SObjectRecord record) {
            return conditions.stream().allMatch(condition -> condition.test(record));
        }
    }

    record Any(List<SoqlCondition> conditions) implements SoqlCondition {
        @Override
        public boolean test(SObjectRecord record) {
            return conditions.stream().anyMatch(condition -> condition.test(record));
        }
    }

    /** {@code SystemModstamp >= 2026-11-26T10:00:00.000Z}; also {@code CreatedDate} and {@code LastModifiedDate}. */
    record DateTimeComparison(String field, Operator operator, Instant value) implements SoqlCondition {
        @Override
        public boolean test(SObjectRecord record) {
            return operator.holds(((Instant) record.value(field)).compareTo(value));
        }
    }

    /** {@code Id > '003...'}: ids compare as strings, which orders them by creation in the sandbox. */
    record IdComparison(Operator operator, String id) implements SoqlCondition {
        @Override
        public boolean test(SObjectRecord record) {
            return operator.holds(record.id().compareTo(id));
        }
    }

    record IdIn(Set<String> ids) implements SoqlCondition {
        @Override
        public boolean test(SObjectRecord record) {
            return ids.contains(record.id());
        }
    }

    record IsDeleted(boolean deleted) implements SoqlCondition {
        @Override
        public boolean test(SObjectRecord record) {
            return record.deleted() == deleted;
        }
    }
}
