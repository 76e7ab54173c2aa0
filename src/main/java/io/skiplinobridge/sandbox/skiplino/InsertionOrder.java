package io.skiplinobridge.sandbox.skiplino;

import java.util.ArrayList;
import java.util.List;

/**
 * Items in the order they were added, with removal, answering "how many live items came before
 * this one" and "the page of live items, newest first" in O(log n + page size) instead of a scan.
 * A Fenwick tree counts the live positions; positions are never reused, removal only clears them.
 *
 * <p>Thread-safe through one monitor per instance. Each operation holds it for O(log n) (or the page
 * length), so it is a short critical section rather than a lock around the whole request.
 */
final class InsertionOrder<T> {

    private final List<T> items = new ArrayList<>();
    private long[] tree = new long[1024 + 1];
    private boolean[] live = new boolean[1024];
    private int liveCount;

    /** Adds an item at the end and returns its position. */
    synchronized int add(T item) {
        int position = items.size();
        items.add(item);
        if (position >= live.length) {
            grow();
        }
        live[position] = true;
        update(position, 1);
        liveCount++;
        return position;
    }

    synchronized void remove(int position) {
        if (position >= 0 && position < items.size() && live[position]) {
            live[position] = false;
            items.set(position, null);
            update(position, -1);
            liveCount--;
        }
    }

    synchronized int size() {
        return liveCount;
    }

    /** Live items added before {@code position}. */
    synchronized int countBefore(int position) {
        return (int) prefixSum(Math.min(position, items.size()));
    }

    /** Page {@code page} (from 1) of {@code limit} live items, newest first. */
    synchronized List<T> newestFirst(int page, int limit) {
        long skip = (long) (page - 1) * limit;
        if (skip >= liveCount) {
            return List.of();
        }
        // the (liveCount - skip)-th live item in insertion order is the first of the page
        int position = positionOfLive((int) (liveCount - skip));
        List<T> result = new ArrayList<>(limit);
        for (int p = position; p >= 0 && result.size() < limit; p--) {
            if (live[p]) {
                result.add(items.get(p));
            }
        }
        return result;
    }

    /** Every live item, newest first. */
    synchronized List<T> allNewestFirst() {
        List<T> result = new ArrayList<>(liveCount);
        for (int p = items.size() - 1; p >= 0; p--) {
            if (live[p]) {
                result.add(items.get(p));
            }
        }
        return result;
    }

    synchronized void clear() {
        items.clear();
        tree = new long[1024 + 1];
        live = new boolean[1024];
        liveCount = 0;
    }

    private void update(int position, int delta) {
        for (int i = position + 1; i < tree.length; i += i & -i) {
            tree[i] += delta;
        }
    }

    private long prefixSum(int count) {
        long sum = 0;
        for (int i = count; i > 0; i -= i & -i) {
            sum += tree[i];
        }
        return sum;
    }

    /** Position of the k-th (from 1) live item, by descending the tree. */
    private int positionOfLive(int k) {
        int index = 0;
        int remaining = k;
        for (int step = Integer.highestOneBit(tree.length - 1); step > 0; step >>= 1) {
            int next = index + step;
            if (next < tree.length && tree[next] < remaining) {
                index = next;
                remaining -= (int) tree[next];
            }
        }
        return index;
    }

    private void grow() {
        int capacity = live.length * 2;
        boolean[] grown = new boolean[capacity];
        System.arraycopy(live, 0, grown, 0, live.length);
        live = grown;
        tree = new long[capacity + 1];
        for (int p = 0; p < items.size() - 1; p++) {
            if (live[p]) {
                update(p, 1);
            }
        }
    }
}
