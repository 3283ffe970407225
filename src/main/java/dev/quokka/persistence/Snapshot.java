package dev.quokka.persistence;

import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Keyspace;

/**
 * A point-in-time copy of the keyspace for an AOF rewrite or a BGSAVE: per database, the keys,
 * their values and their expiry times, copied on the keyspace context in one pass. Only references
 * are copied: string values are never modified in place (a change stores a new array), so the copy
 * stays what the keyspace held at that moment while commands go on changing the live table.
 * Collections are changed in place, so while this snapshot is live a command that changes one
 * stored before it first replaces it with a copy ({@code Keyspace.write}, by the collection's
 * generation: nothing is marked per key here), until {@link #release}.
 */
final class Snapshot {
    final int[] dbIds;
    final byte[][][] keys;
    final Object[][] values;
    final long[][] expires;
    final long takenAt;
    /**
     * Per key, what an RDB file records of its accesses: idle seconds under an LRU policy, the LFU
     * counter under an LFU policy; null under SIEVE (Redis saves neither then).
     */
    final int[][] access;
    final Keyspace.Access accessMode;
    int generation;
    /** Set to stop a background writer of this snapshot (a cancelled BGSAVE): it stops at the next key. */
    volatile boolean cancelled;
    /** Keys written so far by the writer (INFO's current_save_keys_processed). */
    volatile long keysWritten;
    /** The function libraries' code, loaded first by the new base (Redis's rewriteFunctions). */
    java.util.List<byte[]> functions = java.util.List.of();
    /** The aux fields as they were when the snapshot was taken (the replication offset moves on). */
    RdbFile.Header header;

    private Snapshot(int n, long takenAt, Keyspace.Access accessMode) {
        dbIds = new int[n];
        keys = new byte[n][][];
        values = new Object[n][];
        expires = new long[n][];
        access = accessMode == Keyspace.Access.SIEVE ? null : new int[n][];
        this.accessMode = accessMode;
        this.takenAt = takenAt;
    }

    static Snapshot take(Keyspace ks) {
        int nonEmpty = 0;
        for (int i = 0; i < ks.databases(); i++) {
            if (ks.db(i).size() > 0) {
                nonEmpty++;
            }
        }
        Snapshot s = new Snapshot(nonEmpty, System.currentTimeMillis(), ks.access());
        s.generation = ks.freezeForSnapshot();
        int j = 0;
        for (int i = 0; i < ks.databases(); i++) {
            Database db = ks.db(i);
            int n = db.size();
            if (n == 0) {
                continue;
            }
            s.dbIds[j] = i;
            s.keys[j] = new byte[n][];
            s.values[j] = new Object[n];
            s.expires[j] = new long[n];
            int[] access = s.access == null ? null : (s.access[j] = new int[n]);
            db.copyTo(s.keys[j], s.values[j], s.expires[j], access);
            if (access != null) {
                for (int k = 0; k < n; k++) {
                    access[k] = s.accessMode == Keyspace.Access.LFU ? ks.lfuCounter(access[k])
                        : (int) Math.max(0, ks.now() / 1000 - access[k]);
                }
            }
            j++;
        }
        return s;
    }

    /** A snapshot of no keys, for an image of the function libraries alone (REPLCONF rdb-filter-only). */
    static Snapshot noKeys(Keyspace ks) {
        return new Snapshot(0, System.currentTimeMillis(), ks.access());
    }

    long keys() {
        long n = 0;
        for (byte[][] k : keys) {
            n += k.length;
        }
        return n;
    }

    /** The writer is done: the collections it held may be changed in place again (keyspace context). */
    void release(Keyspace ks) {
        ks.releaseSnapshot(generation);
    }
}
