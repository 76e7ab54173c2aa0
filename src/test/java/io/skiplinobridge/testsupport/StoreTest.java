package io.skiplinobridge.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Marks a test class whose outcome depends on the store's SQL: claiming and leases, inbox and outbox
 * writes, the processing history, flags, the ops figures, idempotency records. CI runs these classes a
 * second time on PostgreSQL ({@code .ci/run}: {@code ./mvnw -Ppostgres surefire:test -Dgroups=store});
 * the whole suite passes with {@code -Ppostgres} too (docs/production.md), but takes too long to run twice
 * in every CI run. Mark a new class when it asserts on tables or on how concurrent writers meet in them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(StoreTest.TAG)
public @interface StoreTest {

    String TAG = "store";
}
