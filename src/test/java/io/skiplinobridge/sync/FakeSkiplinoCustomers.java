package io.skiplinobridge.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.skiplinobridge.sync.MappingProperties.ClearedFieldPolicy;

/**
 * The sync engine's edge, in memory: a directory of customers keyed by externalId with Skiplino's
 * create/update/delete semantics, plus scripted answers to test each failure path deterministically.
 * End-to-end behaviour against the real HTTP sandbox is covered by the end-to-end tests.
 */
class FakeSkiplinoCustomers implements SkiplinoCustomers {

    final Map<String, MappedCustomer> customers = new HashMap<>();
    final Map<String, String> ids = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    final Deque<CustomerCall> scripted = new ArrayDeque<>();
    /** Directory pages read, as "page N"; kept apart from {@link #calls} (the customer writes). */
    final List<String> directoryCalls = new ArrayList<>();
    /** Failures answered to the next directory reads, one each. */
    final Deque<CustomerCall> scriptedDirectory = new ArrayDeque<>();
    final AtomicBoolean accepting = new AtomicBoolean(true);
    ClearedFieldPolicy lastClearedPolicy;
    /** Runs inside the next call, as if something happened while Skiplino was answering. */
    Runnable duringNextCall;

    @Override
    public synchronized CustomerCall create(MappedCustomer customer) {
        calls.add("create " + customer.externalId());
        runDuringCall();
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        if (customers.containsKey(customer.externalId())) {
            return new CustomerCall.AlreadyExists("This value is already taken.");
        }
        customers.put(customer.externalId(), customer);
        ids.put(customer.externalId(), UUID.randomUUID().toString().replace("-", ""));
        return new CustomerCall.Done(ids.get(customer.externalId()));
    }

    @Override
    public synchronized CustomerCall update(MappedCustomer customer, ClearedFieldPolicy cleared) {
        calls.add("update " + customer.externalId());
        lastClearedPolicy = cleared;
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        if (!customers.containsKey(customer.externalId())) {
            return new CustomerCall.NotFound("This value does not exist.");
        }
        customers.put(customer.externalId(), customer);
        return new CustomerCall.Done(ids.get(customer.externalId()));
    }

    @Override
    public synchronized CustomerCall delete(String externalId) {
        calls.add("delete " + externalId);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        if (customers.remove(externalId) == null) {
            return new CustomerCall.NotFound("This value does not exist.");
        }
        return new CustomerCall.Done(null);
    }

    /** Pages over the directory in externalId order, hashing each customer as Skiplino holds it. */
    @Override
    public synchronized DirectoryRead directory(int page, int limit) {
        directoryCalls.add("page " + page);
        if (!scriptedDirectory.isEmpty()) {
            return new DirectoryRead.Failed(scriptedDirectory.poll());
        }
        List<String> keys = customers.keySet().stream().sorted().toList();
        int from = Math.min((page - 1) * limit, keys.size());
        int to = Math.min(from + limit, keys.size());
        List<DirectoryRead.DirectoryEntry> entries = keys.subList(from, to).stream()
                .map(id -> new DirectoryRead.DirectoryEntry(id, ids.get(id), customers.get(id).contentHash()))
                .toList();
        return new DirectoryRead.Page(entries, to < keys.size());
    }

    private void runDuringCall() {
        Runnable hook = duringNextCall;
        duringNextCall = null;
        if (hook != null) {
            hook.run();
        }
    }

    @Override
    public boolean acceptingWork() {
        return accepting.get();
    }

    synchronized void reset() {
        customers.clear();
        ids.clear();
        calls.clear();
        scripted.clear();
        directoryCalls.clear();
        scriptedDirectory.clear();
        accepting.set(true);
        duringNextCall = null;
    }
}
