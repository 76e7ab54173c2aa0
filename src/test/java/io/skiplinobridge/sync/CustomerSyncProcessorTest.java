package io.skiplinobridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.store.WorkLeases;
import io.skiplinobridge.sync.CustomerSyncProcessor.Outcome;
import io.skiplinobridge.sync.MappingProperties.ClearedFieldPolicy;
import io.skiplinobridge.testsupport.MutableClock;
import io.skiplinobridge.testsupport.StoreTest;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sync engine's decisions against a real database, one customer at a time and without threads:
 * claims and leases, coalescing, staleness, hashing, create/update fallbacks, retries, parking, deletes
 * and the mass-delete guard. Skiplino is the in-memory {@link FakeSkiplinoCustomers}.
 */
@SpringBootTest(properties = {
        "camel.main.routes-include-pattern=file:routes/none-*.camel.yaml",
        "bridge.sync.max-attempts=3",
        "bridge.sync.deletes.max-per-window=2",
        // long enough that the background renewal (every third of the lease) never runs during this class
        "bridge.sync.lease=600s",
        "skiplino.read-timeout=2s",
        "skiplino.connect-timeout=1s",
        "skiplino.rate-limit.max-wait=2s",
        "bridge.instance-id=test-instance",
        // each preload test builds its own DirectoryPreload; the claimer's own one stays out of the other tests
        "bridge.sync.preload=OFF"})
@StoreTest
class CustomerSyncProcessorTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TestConfiguration
    static class Edge {
        @Bean
        @Primary
        FakeSkiplinoCustomers fakeSkiplino() {
            return new FakeSkiplinoCustomers();
        }

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(T0);
        }

        /** Fails the outcome transaction of one customer, {@link #UNRECORDABLE}, from inside it. */
        @Bean
        SkiplinoLinkListener failingForOneCustomer() {
            return (externalId, skiplinoId, source) -> {
                if (UNRECORDABLE.equals(externalId)) {
                    throw new IllegalStateException("cannot record " + externalId);
                }
            };
        }
    }

    static final String UNRECORDABLE = "crm-unrecordable";

    @Autowired InboxStore inbox;
    @Autowired CustomerSyncClaimer claimer;
    @Autowired CustomerSyncProcessor processor;
    @Autowired SyncStore store;
    @Autowired FakeSkiplinoCustomers skiplino;
    @Autowired MutableClock clock;
    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired BridgeFlags flags;
    @Autowired CamelContext camel;
    @Autowired InstanceId instance;
    @Autowired WorkLeases leases;

    @BeforeEach
    void clean() {
        skiplino.reset();
        clock.set(T0);
        jdbc.update("DELETE FROM inbox_event");
        jdbc.update("DELETE FROM customer_sync");
        jdbc.update("DELETE FROM sync_failure");
        jdbc.update("DELETE FROM sync_attempt");
        jdbc.update("DELETE FROM bridge_flag");
    }

    @Test
    void createsANewCustomerAndRemembersItsSkiplinoId() {
        upsert("e1", "crm-1", "Layla Hassan", "layla@example.com", T0);

        assertThat(applyDue()).containsExactly(Outcome.CREATED);
        assertThat(skiplino.customers.get("crm-1").email()).isEqualTo("layla@example.com");
        assertThat(column("skiplino_id", "crm-1")).isEqualTo(skiplino.ids.get("crm-1"));
        assertThat(eventStatuses("crm-1")).containsExactly("APPLIED");
        assertThat(column("due_at", "crm-1")).isNull();
    }

    @Test
    void sendsNothingWhenNothingChanged() {
        upsert("e1", "crm-1", "Layla", "layla@example.com", T0);
        applyDue();
        skiplino.calls.clear();

        upsert("e2", "crm-1", " Layla ", "LAYLA@example.com", T0.plusSeconds(1));

        assertThat(applyDue()).containsExactly(Outcome.UNCHANGED);
        assertThat(skiplino.calls).isEmpty();
        assertThat(eventStatuses("crm-1")).containsExactly("APPLIED", "UNCHANGED");
    }

    @Test
    void updatesAKnownCustomerWithTheConfiguredClearedFieldPolicy() {
        upsert("e1", "crm-1", "Layla", "layla@example.com", T0);
        applyDue();

        upsert("e2", "crm-1", "Layla Hassan", null, T0.plusSeconds(1));

        assertThat(applyDue()).containsExactly(Outcome.UPDATED);
        assertThat(skiplino.calls).containsExactly("create crm-1", "update crm-1");
        assertThat(skiplino.lastClearedPolicy).isEqualTo(ClearedFieldPolicy.NULL);
        assertThat(skiplino.customers.get("crm-1").email()).isNull();
    }

    @Test
    void coalescesPendingChangesIntoTheLatestInSourceOrder() {
        inbox.append(List.of(
                change("e3", "crm-1", "Third", T0.plusSeconds(3)),
                change("e1", "crm-1", "First", T0.plusSeconds(1)),
                change("e2", "crm-1", "Second", T0.plusSeconds(2))));

        assertThat(applyDue()).containsExactly(Outcome.CREATED);
        assertThat(skiplino.calls).containsExactly("create crm-1");
        assertThat(skiplino.customers.get("crm-1").name()).isEqualTo("Third");
        assertThat(jdbc.queryForList("SELECT event_id || ':' || status FROM inbox_event ORDER BY event_id", String.class))
                .containsExactly("e1:SUPERSEDED", "e2:SUPERSEDED", "e3:APPLIED");
    }

    @Test
    void skipsAChangeOlderThanTheLastAppliedOneAsStale() {
        upsert("e2", "crm-1", "Newer", null, T0.plusSeconds(10));
        applyDue();
        skiplino.calls.clear();

        upsert("e1", "crm-1", "Older", null, T0.plusSeconds(5));

        assertThat(applyDue()).containsExactly(Outcome.STALE);
        assertThat(skiplino.calls).isEmpty();
        assertThat(skiplino.customers.get("crm-1").name()).isEqualTo("Newer");
    }

    @Test
    void fallsBackToUpdateWhenCreateFindsTheExternalIdTaken() {
        skiplino.customers.put("crm-1", new MappedCustomer("crm-1", "Old", null, null, Map.of()));
        skiplino.ids.put("crm-1", "a".repeat(32));
        upsert("e1", "crm-1", "New", null, T0);

        assertThat(applyDue()).containsExactly(Outcome.UPDATED);
        assertThat(skiplino.calls).containsExactly("create crm-1", "update crm-1");
        assertThat(column("skiplino_id", "crm-1")).isEqualTo("a".repeat(32));
    }

    @Test
    void fallsBackToCreateWhenTheKnownCustomerVanished() {
        upsert("e1", "crm-1", "Layla", null, T0);
        applyDue();
        skiplino.customers.clear();

        upsert("e2", "crm-1", "Layla H", null, T0.plusSeconds(1));

        assertThat(applyDue()).containsExactly(Outcome.CREATED);
        assertThat(skiplino.calls).containsExactly("create crm-1", "update crm-1", "create crm-1");
    }

    @Test
    void retriesTransientFailuresWithBackoffHonouringRetryAfterThenParks() {
        upsert("e1", "crm-1", "Layla", null, T0);
        skiplino.scripted.add(new CustomerCall.Transient(429, "Too Many Requests", Duration.ofSeconds(30)));

        assertThat(applyDue()).containsExactly(Outcome.RETRY);
        assertThat(instantOf(column("due_at", "crm-1")))
                .isAfterOrEqualTo(T0.plusSeconds(30));
        assertThat(applyDue()).as("not due before Retry-After").isEmpty();

        clock.advance(Duration.ofMinutes(10));
        skiplino.scripted.add(new CustomerCall.Transient(503, "Service Unavailable", null));
        assertThat(applyDue()).containsExactly(Outcome.RETRY);
        assertThat(column("attempts", "crm-1")).isEqualTo(2);

        clock.advance(Duration.ofMinutes(10));
        skiplino.scripted.add(new CustomerCall.Transient(503, "Service Unavailable", null));
        assertThat(applyDue()).containsExactly(Outcome.PARKED);
        assertThat(eventStatuses("crm-1")).containsExactly("PARKED");
        assertThat(jdbc.queryForObject("SELECT reason FROM sync_failure", String.class))
                .contains("HTTP 503").contains("gave up after 3 attempts");
    }

    @Test
    void parksARejectedCustomerAtOnceWithStatusReasonAndPayload() {
        upsert("e1", "crm-1", "Layla", "layla@example.com", T0);
        skiplino.scripted.add(new CustomerCall.Rejected(422, "email: This value is not a valid email address."));

        assertThat(applyDue()).containsExactly(Outcome.PARKED);

        Map<String, Object> failure = jdbc.queryForMap("SELECT * FROM sync_failure");
        assertThat(failure.get("HTTP_STATUS")).isEqualTo(422);
        assertThat((String) failure.get("REASON")).contains("not a valid email");
        assertThat((String) failure.get("PAYLOAD")).contains("layla@example.com");
        assertThat(failure.get("OPERATION")).isEqualTo("CREATE");
    }

    @Test
    void parksInvalidCrmDataWithoutCallingSkiplino() {
        upsert("e1", "crm-1", "Layla", "not-an-email", T0);

        assertThat(applyDue()).containsExactly(Outcome.PARKED);
        assertThat(skiplino.calls).isEmpty();
        assertThat(jdbc.queryForObject("SELECT operation || ' ' || reason FROM sync_failure", String.class))
                .isEqualTo("MAP invalid CRM data: customer.email is not a valid email address");
    }

    @Test
    void aNewerGoodChangeResolvesAParkedFailure() {
        upsert("e1", "crm-1", "Layla", "not-an-email", T0);
        applyDue();

        upsert("e2", "crm-1", "Layla", "layla@example.com", T0.plusSeconds(1));

        assertThat(applyDue()).containsExactly(Outcome.CREATED);
        assertThat(jdbc.queryForObject("SELECT resolution FROM sync_failure", String.class)).isEqualTo("SUPERSEDED");
    }

    @Test
    void aGoodChangeOfTheCustomerLeavesAParkedTicketOfTheSameCustomerOpen() {
        jdbc.update("INSERT INTO sync_failure (external_id, operation, http_status, reason, payload, attempts, created_at) "
                + "VALUES ('crm-1', 'TICKET', NULL, 'Salesforce refused the record', '{}', 3, CURRENT_TIMESTAMP)");
        upsert("e1", "crm-1", "Layla", "layla@example.com", T0);

        assertThat(applyDue()).containsExactly(Outcome.CREATED);
        assertThat(jdbc.queryForList("SELECT operation FROM sync_failure WHERE resolved_at IS NULL", String.class))
                .as("the ticket's failure is the ticket mirror's to resolve").containsExactly("TICKET");
    }

    @Test
    void aFailureThatFindsSkiplinoDownAsAWholeCostsNoAttempt() {
        upsert("e1", "crm-1", "Layla", null, T0);
        // the call fails and, with it, Skiplino's circuit opens (or a probe of the open circuit fails)
        skiplino.duringNextCall = () -> skiplino.accepting.set(false);
        skiplino.scripted.add(new CustomerCall.Transient(503, "Service Unavailable", null));

        assertThat(applyDue()).containsExactly(Outcome.RETRY);
        assertThat(column("attempts", "crm-1")).isEqualTo(0);
        assertThat(instantOf(column("due_at", "crm-1"))).as("retried with backoff all the same").isAfter(T0);

        skiplino.accepting.set(true);
        clock.advance(Duration.ofMinutes(10));
        skiplino.scripted.add(new CustomerCall.Transient(503, "Service Unavailable", null));
        assertThat(applyDue()).as("a failure while Skiplino looked healthy counts").containsExactly(Outcome.RETRY);
        assertThat(column("attempts", "crm-1")).isEqualTo(1);
    }

    @Test
    void anOpenCircuitCostsNoAttempt() {
        upsert("e1", "crm-1", "Layla", null, T0);
        skiplino.scripted.add(new CustomerCall.NotPermitted("circuit open"));

        assertThat(applyDue()).containsExactly(Outcome.NOT_PERMITTED);
        assertThat(column("attempts", "crm-1")).isEqualTo(0);

        skiplino.accepting.set(false);
        clock.advance(Duration.ofMinutes(1));
        assertThat(applyDue()).as("nothing is claimed while the circuit is open").isEmpty();
    }

    @Test
    void deletesSyncedCustomersAndSkipsOnesItNeverSynced() {
        upsert("e1", "crm-1", "Layla", null, T0);
        applyDue();

        inbox.append(List.of(
                CustomerChange.delete(ChangeSource.WEBHOOK, "e2", T0.plusSeconds(1), "crm-1"),
                CustomerChange.delete(ChangeSource.WEBHOOK, "e3", T0.plusSeconds(1), "crm-unknown")));

        assertThat(applyDue()).containsExactlyInAnyOrder(Outcome.DELETED, Outcome.SKIPPED);
        assertThat(skiplino.customers).isEmpty();
        assertThat(skiplino.calls).containsExactly("create crm-1", "delete crm-1");
        assertThat(column("deleted", "crm-1")).isEqualTo(true);

        upsert("e4", "crm-1", "Layla again", null, T0.plusSeconds(2));
        assertThat(applyDue()).as("a deleted customer coming back is created again").containsExactly(Outcome.CREATED);
    }

    /**
     * Found by CrashLoopIT: Skiplino applied the create, then the process was killed before the outcome was
     * recorded (its attempt stays RUNNING, the event PENDING); the CRM's delete arrived before the retry.
     * The bridge's records say it never synced the customer, but Skiplino holds it: the delete is sent.
     */
    @Test
    void aDeleteAfterAnUnrecordedCreateIsSentNotSkipped() {
        upsert("e1", "crm-1", "Layla", null, T0);
        assertThat(applyDue()).containsExactly(Outcome.CREATED);
        // as if killed between Skiplino's answer and the outcome's transaction
        jdbc.update("UPDATE customer_sync SET skiplino_id = NULL, content_hash = NULL, applied_source_ts = NULL,"
                + " last_synced_at = NULL WHERE external_id = 'crm-1'");
        jdbc.update("UPDATE inbox_event SET status = 'PENDING', finished_at = NULL WHERE event_id = 'e1'");
        jdbc.update("UPDATE sync_attempt SET outcome = 'RUNNING', operation = NULL, finished_at = NULL WHERE external_id = 'crm-1'");
        inbox.append(List.of(CustomerChange.delete(ChangeSource.WEBHOOK, "e2", T0.plusSeconds(1), "crm-1")));

        assertThat(applyDue()).containsExactly(Outcome.DELETED);
        assertThat(skiplino.customers).as("gone from Skiplino").isEmpty();
        assertThat(skiplino.calls).containsExactly("create crm-1", "delete crm-1");

        inbox.append(List.of(CustomerChange.delete(ChangeSource.WEBHOOK, "e3", T0.plusSeconds(2), "crm-1")));
        assertThat(applyDue()).as("a recorded delete needs no second one").containsExactly(Outcome.SKIPPED);
        assertThat(skiplino.calls).hasSize(2);
    }

    @Test
    void aChangeBackAfterAnUnrecordedUpdateIsSentNotCalledUnchanged() {
        upsert("e1", "crm-1", "Layla", null, T0);
        assertThat(applyDue()).containsExactly(Outcome.CREATED);
        Map<String, Object> recorded = jdbc.queryForMap(
                "SELECT content_hash, applied_source_ts FROM customer_sync WHERE external_id = 'crm-1'");
        upsert("e2", "crm-1", "Layla Hassan", null, T0.plusSeconds(1));
        assertThat(applyDue()).containsExactly(Outcome.UPDATED);
        // as if killed between Skiplino's answer and the outcome's transaction: the records still say "Layla"
        jdbc.update("UPDATE customer_sync SET content_hash = ?, applied_source_ts = ? WHERE external_id = 'crm-1'",
                recorded.values().toArray());
        jdbc.update("UPDATE inbox_event SET status = 'PENDING', finished_at = NULL WHERE event_id = 'e2'");
        jdbc.update("UPDATE sync_attempt SET outcome = 'RUNNING', operation = NULL, finished_at = NULL "
                + "WHERE id = (SELECT MAX(id) FROM sync_attempt WHERE external_id = 'crm-1')");
        // the CRM changes the name back to what the bridge last recorded
        upsert("e3", "crm-1", "Layla", null, T0.plusSeconds(2));

        assertThat(applyDue()).containsExactly(Outcome.UPDATED);
        assertThat(skiplino.customers.get("crm-1").name()).as("Skiplino back in step with the CRM").isEqualTo("Layla");

        upsert("e4", "crm-1", "Layla", null, T0.plusSeconds(3));
        assertThat(applyDue()).as("recorded again: the same content costs nothing").containsExactly(Outcome.UNCHANGED);
    }

    @Test
    void massDeleteGuardHoldsDeletesPastTheThreshold() {
        for (int i = 1; i <= 3; i++) {
            upsert("u" + i, "crm-" + i, "C" + i, null, T0);
        }
        applyDue();
        for (int i = 1; i <= 3; i++) {
            inbox.append(List.of(CustomerChange.delete(ChangeSource.WEBHOOK, "d" + i, T0.plusSeconds(1), "crm-" + i)));
        }

        assertThat(applyDue()).containsExactlyInAnyOrder(Outcome.DELETED, Outcome.DELETED, Outcome.HELD);
        assertThat(skiplino.customers).hasSize(1);
        assertThat(flags.isActive(DeleteGuard.FLAG)).isTrue();

        flags.set(DeleteGuard.FLAG, false, "checked the CRM", "operator");
        clock.advance(Duration.ofMinutes(2));
        assertThat(applyDue()).containsExactly(Outcome.DELETED);
        assertThat(skiplino.customers).isEmpty();
    }

    @Test
    void leasesKeepInstancesApartAndExpireForTakeover() {
        upsert("e1", "crm-1", "Layla", null, T0);
        List<String> mine = claim();
        assertThat(mine).containsExactly("crm-1");

        List<String> whileLeased = tx.execute(s -> store.claim("other-instance", 10, T0, T0.plusSeconds(600)));
        assertThat(whileLeased).as("a leased customer is not claimed again").isEmpty();

        clock.advance(Duration.ofSeconds(601));
        Instant now = clock.instant();
        List<String> afterExpiry = tx.execute(s -> store.claim("other-instance", 10, now, now.plusSeconds(600)));
        assertThat(afterExpiry).as("an expired lease is taken over").containsExactly("crm-1");

        assertThat(processor.apply("crm-1")).as("the old owner writes nothing").isEqualTo(Outcome.LEASE_LOST);
        claimer.released("crm-1");
        assertThat(skiplino.calls).isEmpty();
        assertThat(eventStatuses("crm-1")).containsExactly("PENDING");
        Map<String, Object> ours = jdbc.queryForMap(
                "SELECT outcome, finished_at FROM sync_attempt WHERE external_id = 'crm-1' AND instance_id = 'test-instance'");
        assertThat(ours).containsEntry("OUTCOME", "LEASE_LOST");
        assertThat(instantOf(ours.get("FINISHED_AT"))).as("ended when its lease ran out, before the takeover")
                .isEqualTo(T0.plusSeconds(600));
        assertThat(jdbc.queryForObject("SELECT outcome FROM sync_attempt WHERE instance_id = 'other-instance'",
                String.class)).isEqualTo("RUNNING");
    }

    @Test
    void aClaimLocksOnlyTheCustomersItReturnsSoTheRestOfTheBacklogStaysWritable() throws Exception {
        for (int i = 0; i < 40; i++) {
            upsert("e" + i, String.format("crm-%02d", i), "Customer " + i, null, T0.plusSeconds(i));
            clock.advance(Duration.ofMillis(10));
        }
        Instant now = clock.instant();
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try {
            // another instance's claim transaction, kept open while this thread looks at the locks
            Future<List<String>> first = holder.submit(() -> tx.execute(s -> {
                List<String> ids = store.claim("other-instance", 5, now, now.plusSeconds(600));
                claimed.countDown();
                awaitQuietly(done);
                return ids;
            }));
            assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(lockable("crm-00")).as("a claimed customer is locked until the claim commits").isFalse();
            assertThat(lockable("crm-30")).as("a due customer the claim did not return is not locked").isTrue();
            List<String> second = tx.execute(s -> store.claim("test-instance", 5, now, now.plusSeconds(600)));

            done.countDown();
            List<String> firstIds = first.get(30, TimeUnit.SECONDS);
            assertThat(firstIds).as("the oldest due customers").containsExactly("crm-00", "crm-01", "crm-02", "crm-03", "crm-04");
            assertThat(second).as("a concurrent claim never returns a customer the other holds")
                    .doesNotContainAnyElementsOf(firstIds);
        } finally {
            done.countDown();
            holder.shutdownNow();
        }
    }

    @Test
    void outcomesRecordedAtOnceByManyWorkersAreEachKeptOrFailedOnTheirOwn() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            ids.add(i == 20 ? UNRECORDABLE : String.format("crm-%02d", i));
        }
        for (String id : ids) {
            upsert("e-" + id, id, "Customer " + id, null, T0);
        }
        List<String> claimed = claimer.claim(new DefaultExchange(camel));
        assertThat(claimed).hasSize(48);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (String id : claimed) {
                outcomes.add(workers.submit(() -> {
                    try {
                        return processor.apply(id);
                    } finally {
                        claimer.released(id);
                    }
                }));
            }
            int created = 0;
            int failed = 0;
            for (Future<Outcome> outcome : outcomes) {
                try {
                    assertThat(outcome.get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.CREATED);
                    created++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).hasMessageContaining("cannot record " + UNRECORDABLE);
                    failed++;
                }
            }
            assertThat(created).isEqualTo(47);
            assertThat(failed).isEqualTo(1);
        } finally {
            workers.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event WHERE status = 'APPLIED'", Integer.class))
                .as("every other outcome committed, whatever it shared a transaction with").isEqualTo(47);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sync_attempt WHERE outcome = 'CREATED'", Integer.class))
                .isEqualTo(47);
        assertThat(eventStatuses(UNRECORDABLE)).as("the failed outcome left nothing behind").containsExactly("PENDING");
        assertThat(column("content_hash", UNRECORDABLE)).isNull();
        assertThat(jdbc.queryForObject("SELECT outcome FROM sync_attempt WHERE external_id = ?", String.class,
                UNRECORDABLE)).as("its attempt is closed outside the outcome").isEqualTo("ERROR");
    }

    /** Whether another transaction could lock the customer's row right now (NOWAIT: no waiting for a holder). */
    private boolean lockable(String externalId) {
        try {
            tx.execute(s -> jdbc.queryForList("SELECT external_id FROM customer_sync WHERE external_id = ? FOR UPDATE NOWAIT",
                    String.class, externalId));
            return true;
        } catch (DataAccessException e) {
            return false;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theHistoryShowsEachAttemptRunningUnderItsLeaseAndThenItsEnd() {
        upsert("e1", "crm-1", "Layla", null, T0);
        List<Map<String, Object>> whileRunning = new ArrayList<>();
        skiplino.duringNextCall = () -> whileRunning.addAll(jdbc.queryForList(
                "SELECT instance_id, outcome, finished_at, lease_until FROM sync_attempt WHERE external_id = 'crm-1'"));
        List<String> claimed = claim();
        clock.advance(Duration.ofSeconds(3));

        assertThat(processor.apply("crm-1")).isEqualTo(Outcome.CREATED);
        claimer.released("crm-1");

        assertThat(whileRunning).hasSize(1);
        assertThat(whileRunning.get(0)).containsEntry("INSTANCE_ID", "test-instance").containsEntry("OUTCOME", "RUNNING")
                .containsEntry("FINISHED_AT", null);
        assertThat(instantOf(whileRunning.get(0).get("LEASE_UNTIL"))).as("the lease of the claim")
                .isEqualTo(T0.plusSeconds(600));
        assertThat(claimed).containsExactly("crm-1");
        Map<String, Object> done = jdbc.queryForMap("SELECT * FROM sync_attempt WHERE external_id = 'crm-1'");
        assertThat(done).containsEntry("OUTCOME", "CREATED").containsEntry("OPERATION", "CREATE");
        assertThat(instantOf(done.get("STARTED_AT"))).isEqualTo(T0.plusSeconds(3));
        assertThat(instantOf(done.get("FINISHED_AT"))).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void renewalKeepsALiveInstancesLeaseSoNobodyTakesItsCustomerOver() {
        upsert("e1", "crm-1", "Layla", null, T0);
        assertThat(claim()).containsExactly("crm-1");

        clock.advance(Duration.ofSeconds(500));
        assertThat(leases.renew()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(200));
        Instant now = clock.instant();

        List<String> other = tx.execute(s -> store.claim("other-instance", 10, now, now.plusSeconds(600)));
        assertThat(other).as("past the first lease, but renewed").isEmpty();
        assertThat(processor.apply("crm-1")).isEqualTo(Outcome.CREATED);
        claimer.released("crm-1");
        assertThat(leases.renew()).as("nothing held any more").isZero();
    }

    @Test
    void onShutdownUnstartedCustomersAreHandedBackAtOnceAndRunningOnesKeepTheirLease() {
        upsert("e1", "crm-1", "Layla", null, T0);
        upsert("e2", "crm-2", "Omar", null, T0);
        // a second set of leases over the same table, as a second instance's would be, closed on its own
        WorkLeases shuttingDown = new WorkLeases("customer-sync", "stopping-instance", Duration.ofSeconds(600), clock,
                new WorkLeases.LeaseTable() {
                    @Override
                    public int extend(String owner, List<String> keys, Instant until) {
                        return tx.execute(s -> store.extendLeases(owner, keys, until));
                    }

                    @Override
                    public int release(String owner, List<String> keys, Instant now) {
                        return tx.execute(s -> store.releaseLeases(owner, keys, now));
                    }
                });
        List<String> claimed = shuttingDown.claim(() -> tx.execute(s -> store.claim("stopping-instance", 10, T0,
                shuttingDown.leaseUntil())));
        assertThat(claimed).containsExactlyInAnyOrder("crm-1", "crm-2");
        assertThat(shuttingDown.begin("crm-2")).isTrue();
        // the claim wrote the start of crm-1's attempt; its worker never recorded anything
        long cutOff = tx.execute(s -> store.openAttempt("crm-1", "stopping-instance"));

        WorkLeases.ShutdownReport report = shuttingDown.close();

        assertThat(report.released()).isEqualTo(1);
        assertThat(report.stillRunning()).containsExactly("crm-2");
        List<String> other = tx.execute(s -> store.claim("other-instance", 10, T0, T0.plusSeconds(600)));
        assertThat(other).as("the unstarted customer is claimable at once; the running one is not")
                .containsExactly("crm-1");
        assertThat(shuttingDown.begin("crm-1")).as("nothing begins after shutdown").isFalse();
        assertThat(shuttingDown.claim(() -> List.of("never"))).as("nothing is claimed after shutdown").isEmpty();
        assertThat(column("due_at", "crm-1")).as("still due").isNotNull();
        assertThat(jdbc.queryForObject("SELECT outcome FROM sync_attempt WHERE id = ?", String.class, cutOff))
                .as("the cut-off attempt ends before anyone else may start").isEqualTo("ABANDONED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sync_attempt WHERE id = ? AND finished_at IS NOT NULL",
                Integer.class, cutOff)).isEqualTo(1);
    }

    @Test
    void aChangeArrivingWhileApplyingMakesTheCustomerDueAgain() {
        upsert("e1", "crm-1", "Layla", null, T0);
        skiplino.duringNextCall = () -> upsert("e2", "crm-1", "Layla H", null, T0.plusSeconds(1));

        assertThat(applyDue()).containsExactly(Outcome.CREATED);

        assertThat(column("due_at", "crm-1")).isNotNull();
        assertThat(applyDue()).containsExactly(Outcome.UPDATED);
        assertThat(skiplino.customers.get("crm-1").name()).isEqualTo("Layla H");
    }

    @Test
    void coldStartPreloadReadsTheDirectoryInPagesSoUnchangedCustomersCostNoCall() throws InterruptedException {
        for (int i = 0; i < 230; i++) {
            String id = "crm-%03d".formatted(i);
            skiplino.customers.put(id, new MappedCustomer(id, "Customer " + i, "c" + i + "@example.com", null, Map.of()));
            skiplino.ids.put(id, "%032x".formatted(i));
        }
        DirectoryPreload preload = preload(SyncProperties.PreloadMode.COLD_START);

        assertThat(preload.beforeFirstClaim()).isTrue();
        assertThat(skiplino.directoryCalls).containsExactly("page 1", "page 2", "page 3");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_sync WHERE due_at IS NULL", Integer.class))
                .as("learned customers have no work due").isEqualTo(230);
        assertThat(column("skiplino_id", "crm-007")).isEqualTo("%032x".formatted(7));

        List<CustomerChange> fullRead = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            String email = (i == 5 ? "changed" : "C") + i + "@example.com";
            fullRead.add(CustomerChange.upsert(ChangeSource.WEBHOOK, "e" + i, T0,
                    new CanonicalCustomer("crm-%03d".formatted(i), "Customer " + i, email, null, Map.of())));
        }
        fullRead.add(change("e-new", "crm-new", "New Customer", T0));
        inbox.append(fullRead);
        List<Outcome> outcomes = applyAllDue();

        assertThat(skiplino.calls).as("one update for the changed customer, one create for the new one, nothing else")
                .containsExactlyInAnyOrder("update crm-005", "create crm-new");
        assertThat(outcomes).filteredOn(o -> o == Outcome.UNCHANGED).hasSize(229);
        assertThat(skiplino.customers.get("crm-005").email()).isEqualTo("changed5@example.com");
        assertThat(preload.beforeFirstClaim()).as("once per start").isTrue();
        assertThat(skiplino.directoryCalls).hasSize(3);
    }

    @Test
    void coldStartPreloadIsSkippedWhenTheStoreAlreadyKnowsSkiplino() {
        upsert("e1", "crm-1", "Layla", null, T0);
        applyDue();
        skiplino.calls.clear();

        assertThat(preload(SyncProperties.PreloadMode.COLD_START).beforeFirstClaim()).isTrue();
        assertThat(preload(SyncProperties.PreloadMode.OFF).beforeFirstClaim()).isTrue();
        assertThat(skiplino.directoryCalls).isEmpty();

        assertThat(preload(SyncProperties.PreloadMode.EVERY_START).beforeFirstClaim()).isTrue();
        assertThat(skiplino.directoryCalls).containsExactly("page 1");
        assertThat(skiplino.calls).isEmpty();
    }

    @Test
    void theDirectoryNeverOverwritesWhatAWorkerRecordedAfterThePageWasRead() {
        upsert("e1", "crm-1", "Layla", null, T0);
        upsert("e2", "crm-2", "Omar", null, T0);
        applyDue();
        String written = (String) column("content_hash", "crm-1");
        upsert("e3", "crm-3", "Huda", null, T0);
        assertThat(claim()).containsExactly("crm-3");
        Instant pageReadBeforeTheWrite = T0.minusSeconds(1);
        List<DirectoryRead.DirectoryEntry> page = List.of(
                new DirectoryRead.DirectoryEntry("crm-1", "b".repeat(32), "old-hash"),
                new DirectoryRead.DirectoryEntry("crm-3", "c".repeat(32), "old-hash"),
                new DirectoryRead.DirectoryEntry("crm-9", "d".repeat(32), "hash-9"));

        Integer recorded = tx.execute(s -> store.recordDirectory(page, pageReadBeforeTheWrite, clock.instant()));

        assertThat(recorded).as("only the customer the bridge had no row for").isEqualTo(1);
        assertThat(column("content_hash", "crm-1")).as("written after the page was read").isEqualTo(written);
        assertThat(column("content_hash", "crm-3")).as("leased by a worker").isNull();
        assertThat(column("content_hash", "crm-9")).isEqualTo("hash-9");

        clock.advance(Duration.ofSeconds(5));
        Instant pageReadAfterTheWrite = clock.instant();
        tx.execute(s -> store.recordDirectory(page.subList(0, 1), pageReadAfterTheWrite, clock.instant()));
        assertThat(column("content_hash", "crm-1")).as("a newer page is the truth (drift repair)").isEqualTo("old-hash");
        claimer.released("crm-3");
    }

    @Test
    void aDirectoryPageIsRetriedOnTransientFailuresAndAPermanentOneEndsThePreloadEarly() throws InterruptedException {
        skiplino.customers.put("crm-1", new MappedCustomer("crm-1", "Layla", null, null, Map.of()));
        skiplino.ids.put("crm-1", "a".repeat(32));
        skiplino.scriptedDirectory.add(new CustomerCall.Transient(503, "Service Unavailable", Duration.ZERO));

        DirectoryPreload.Result result = preload(SyncProperties.PreloadMode.COLD_START).reconcile();

        assertThat(result.complete()).isTrue();
        assertThat(result.customers()).isEqualTo(1);
        assertThat(skiplino.directoryCalls).containsExactly("page 1", "page 1");

        skiplino.directoryCalls.clear();
        skiplino.scriptedDirectory.add(new CustomerCall.Rejected(403, "Forbidden"));
        DirectoryPreload.Result refused = preload(SyncProperties.PreloadMode.COLD_START).reconcile();
        assertThat(refused.complete()).isFalse();
        assertThat(skiplino.directoryCalls).as("retrying a permanent refusal cannot help").containsExactly("page 1");

        upsert("e1", "crm-2", "Omar", null, T0);
        assertThat(applyDue()).as("the engine goes on the ordinary way").containsExactly(Outcome.CREATED);
    }

    private DirectoryPreload preload(SyncProperties.PreloadMode mode) {
        SyncProperties properties = new SyncProperties(true, 16, Duration.ofSeconds(60), 3, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(60), new SyncProperties.Deletes(SyncProperties.DeleteMode.DELETE,
                100, Duration.ofMinutes(10)), mode);
        return new DirectoryPreload(store, skiplino, tx, clock, properties);
    }

    private List<Outcome> applyAllDue() {
        List<Outcome> all = new ArrayList<>();
        for (List<Outcome> round = applyDue(); !round.isEmpty(); round = applyDue()) {
            all.addAll(round);
        }
        return all;
    }

    private List<Outcome> applyDue() {
        return claim().stream().map(id -> {
            try {
                return processor.apply(id);
            } finally {
                claimer.released(id);
            }
        }).toList();
    }

    private List<String> claim() {
        return claimer.claim(new DefaultExchange(camel));
    }

    private void upsert(String eventId, String externalId, String name, String email, Instant at) {
        inbox.append(List.of(CustomerChange.upsert(ChangeSource.WEBHOOK, eventId, at,
                new CanonicalCustomer(externalId, name, email, null, Map.of()))));
    }

    private static CustomerChange change(String eventId, String externalId, String name, Instant at) {
        return CustomerChange.upsert(ChangeSource.WEBHOOK, eventId, at, new CanonicalCustomer(externalId, name, null, null, null));
    }

    private static Instant instantOf(Object timestamp) {
        return timestamp instanceof OffsetDateTime odt ? odt.toInstant() : ((Timestamp) timestamp).toInstant();
    }

    private Object column(String column, String externalId) {
        return jdbc.queryForObject("SELECT " + column + " FROM customer_sync WHERE external_id = ?", Object.class, externalId);
    }

    private List<String> eventStatuses(String externalId) {
        return jdbc.queryForList("SELECT status FROM inbox_event WHERE external_id = ? ORDER BY id", String.class, externalId);
    }
}
