package io.skiplinobridge.sandbox.skiplino;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The customer fields of a create or update body, each absent, to be cleared, or set. */
record CustomerPatch(Change<String> externalId, Change<String> name, Change<String> email, Change<String> mobile,
                     Change<ObjectNode> metadata) {

    record Change<T>(Kind kind, T value) {

        enum Kind { ABSENT, CLEAR, SET }

        private static final Change<?> ABSENT = new Change<>(Kind.ABSENT, null);
        private static final Change<?> CLEAR = new Change<>(Kind.CLEAR, null);

        @SuppressWarnings("unchecked")
        static <T> Change<T> absent() {
            return (Change<T>) ABSENT;
        }

        @SuppressWarnings("unchecked")
        static <T> Change<T> clear() {
            return (Change<T>) CLEAR;
        }

        static <T> Change<T> set(T value) {
            return new Change<>(Kind.SET, value);
        }

        /** The value after applying this change to {@code current}. */
        T applyTo(T current) {
            return switch (kind) {
                case ABSENT -> current;
                case CLEAR -> null;
                case SET -> value;
            };
        }

        boolean isSet() {
            return kind == Kind.SET;
        }
    }
}
