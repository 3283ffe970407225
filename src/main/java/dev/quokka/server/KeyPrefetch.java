package dev.quokka.server;

import dev.quokka.keyspace.Database;
import dev.quokka.protocol.RespParser;

/**
 * Brings the keys of the pipelined requests waiting in a parser into the cache together before
 * they run ({@link Database#prefetch}), {@value #BATCH} requests at a time, as Redis 8 does
 * with its {@code prefetch-batch-max-size} (default 16), and the fields or members they name in
 * those keys' hashes, sets and sorted sets. One per event loop; not thread-safe.
 */
public final class KeyPrefetch {
    /** Requests looked ahead at once. */
    public static final int BATCH = 16;

    /** Each request's key and field: offset and length of each ({@link RespParser#peekKeys}). */
    private final int[] slices = new int[4 * BATCH];

    /** Prefetches the keys (and fields) of the next requests in {@code parser} in {@code db}, when there are two or more. */
    public void ahead(RespParser parser, Database db) {
        int n = parser.peekKeys(slices, BATCH);
        if (n > 1) {
            db.prefetch(parser.buffer(), slices, n);
        }
    }
}
