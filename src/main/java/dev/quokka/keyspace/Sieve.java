package dev.quokka.keyspace;

import java.util.Arrays;

/**
 * SIEVE's queue for one database (Zhang et al., NSDI 2024): the entries in insertion order,
 * oldest first, a hand, and a visited bit (the entry's {@code lru} field while a SIEVE policy is
 * on). A hit only sets the bit. To find a victim the hand moves from the oldest entry towards
 * the newest, clearing the bit of each visited entry it passes, and stops at the first
 * unvisited one; past the newest it wraps to the oldest. New entries join at the new end.
 *
 * <p>An array with holes: a removed entry's slot is cleared when the hand reaches it, or by a
 * compaction (order kept) once holes are at least half the array.
 */
final class Sieve {
    private Entry[] queue = new Entry[0];
    private int length;
    private int hand;
    /** Holes: slots that are empty or hold an entry no longer in the database. */
    private int dead;

    long bytes() {
        return MemoryModel.refArray(queue.length);
    }

    void add(Entry e) {
        if (length == queue.length && length > 0 && dead * 2 >= length) {
            compact();
        }
        if (length == queue.length) {
            queue = Arrays.copyOf(queue, Math.max(16, queue.length * 2));
        }
        e.lru = 0;
        queue[length++] = e;
    }

    /** An entry left the database: its slot becomes a hole, reclaimed lazily. */
    void removed() {
        if (++dead > 1024 && dead * 2 >= length) {
            compact();
        }
    }

    private void compact() {
        int n = 0;
        int newHand = 0;
        for (int i = 0; i < length; i++) {
            Entry e = queue[i];
            if (i == hand) {
                newHand = n;
            }
            if (e != null && e.live()) {
                queue[n++] = e;
            }
        }
        Arrays.fill(queue, n, length, null);
        length = n;
        hand = newHand >= n ? 0 : newHand;
        dead = 0;
        if (queue.length > 64 && length * 4 < queue.length) {
            queue = Arrays.copyOf(queue, Math.max(16, length * 2));
        }
    }

    /**
     * Moves the hand to the next victim and returns it (the caller removes it from the
     * database), or null when there is none: the queue is empty, or with {@code volatileOnly}
     * no entry has a TTL.
     */
    Entry victim(boolean volatileOnly) {
        // Two passes at most: the first may clear every visited bit.
        for (long steps = 2L * length + 1; steps > 0 && length > 0; steps--) {
            if (hand >= length) {
                hand = 0;
            }
            Entry e = queue[hand];
            if (e == null || !e.live()) {
                queue[hand++] = null; // a hole either way; already counted in dead
                continue;
            }
            if (volatileOnly && !e.hasExpire()) {
                hand++;
                continue;
            }
            if (e.lru != 0) {
                e.lru = 0; // visited: spared once
                hand++;
                continue;
            }
            queue[hand++] = null; // the caller's removal from the database counts the hole
            return e;
        }
        return null;
    }
}
