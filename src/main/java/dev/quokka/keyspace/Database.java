package dev.quokka.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One of the numbered databases: a hash table of {@link Entry} with power-of-two bucket
 * counts, plus a dense array of the entries that have a TTL (Redis's {@code expires} dict) so
 * that active expiry and volatile eviction can sample them in O(1).
 *
 * <p>The table is resized at once rather than incrementally; its power-of-two size is what
 * lets {@link #scan} give Redis's SCAN guarantee (every key present for the whole iteration is
 * returned at least once, even across resizes) with the reverse-binary cursor of
 * {@code dictScan}.
 *
 * <p>This class knows nothing of time: callers decide whether an entry is expired.
 * Not thread-safe: only the keyspace context touches it.
 */
public final class Database {
    private static final int MIN_CAPACITY = 16;

    final int id;
    private Entry[] table = new Entry[MIN_CAPACITY];
    private int size;
    private Entry[] volatiles = new Entry[16];
    private int volatileCount;
    /** Estimated average TTL of volatile keys in ms, updated by active expiry as Redis does. */
    long avgTtl;
    /** Where the active expiry cycle resumes (not used for correctness, only fairness). */
    int expireCursor;
    /** Estimated bytes of every entry with its key and value ({@link MemoryModel}). */
    private long datasetBytes;
    /** SIEVE's queue of entries, oldest first, while a SIEVE policy is on (else null). */
    Sieve sieve;

    public Database(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public int size() {
        return size;
    }

    public int volatileCount() {
        return volatileCount;
    }

    public long avgTtl() {
        return avgTtl;
    }

    /** Estimated bytes of the keys and values (Redis's used_memory_dataset share of this database). */
    public long datasetBytes() {
        return datasetBytes;
    }

    /** Estimated bytes of the structures that index them: the bucket array and the volatile-key array. */
    public long overheadBytes() {
        return MemoryModel.refArray(table.length) + MemoryModel.refArray(volatiles.length)
            + (sieve == null ? 0 : sieve.bytes());
    }

    /** Starts or stops keeping SIEVE's queue (on: every key joins it, unvisited, in table order). */
    void sieve(boolean on) {
        if (!on) {
            sieve = null;
            return;
        }
        if (sieve == null) {
            sieve = new Sieve();
            for (Entry head : table) {
                for (Entry e = head; e != null; e = e.next) {
                    sieve.add(e);
                }
            }
        }
    }

    /** SIEVE's next victim in this database, or null (see {@link Sieve#victim}). */
    public Entry sieveVictim(boolean volatileOnly) {
        return sieve == null ? null : sieve.victim(volatileOnly);
    }

    /** Replaces an entry's value, keeping the accounting right. */
    public void setValue(Entry e, Object value) {
        if (value instanceof Collection c) {
            c.accounted = c.bytes();
        }
        datasetBytes += MemoryModel.value(value) - e.valueBytes();
        e.value(value);
    }

    /** Brings the dataset total up to date with a collection changed in place. */
    void settle(Collection c) {
        long now = c.bytes();
        datasetBytes += now - c.accounted;
        c.accounted = now;
    }

    static final long HASH_SEED = 0x9E3779B97F4A7C15L;

    /**
     * The hash of a key: its length and then each 8-byte word (little-endian, the last one
     * zero-padded) mixed in, so that an {@link Entry} computes the same from the words it keeps
     * ({@link Entry#hash}) when the table grows, without rebuilding the key.
     */
    public static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /** {@link #hash(byte[])} of the key in {@code b[off, off + n)}. */
    static int hash(byte[] b, int off, int n) {
        return hash(b, off, n, Entry.wordAt(b, off, n), Entry.wordAt(b, off + 8, n - 8));
    }

    /** {@link #hash(byte[], int, int)} when the caller has read the key's first two words. */
    private static int hash(byte[] b, int off, int n, long w0, long w1) {
        long h = mix(mix(HASH_SEED ^ n, w0), w1);
        for (int i = Entry.INLINE; i < n; i += 8) {
            h = mix(h, Entry.wordAt(b, off + i, n - i));
        }
        return finish(h);
    }

    static long mix(long h, long word) {
        return Long.rotateLeft(h ^ word * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B185EBCA87L;
    }

    static int finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    /** The entry for {@code key}, expired or not; null if absent. */
    public Entry find(byte[] key) {
        int n = key.length;
        long w0 = Entry.word(key, 0, n);
        long w1 = Entry.word(key, 8, n);
        return find(table[hash(key, 0, n, w0, w1) & (table.length - 1)], key, 0, n, w0, w1);
    }

    private Entry[] prefetched = new Entry[0];
    private BytesMap.Node[] prefetchedFields = new BytesMap.Node[0];
    /** Where {@link #prefetch} leaves what it read, so that the compiler keeps the reads. */
    private int prefetchSink;

    /**
     * Brings the buckets and first entries of {@code n} keys into the cache before a pipelined
     * batch runs, as Redis 8 prefetches a batch's keys: the loads of one phase do not depend on
     * each other, so the processor overlaps their cache and TLB misses instead of taking them one
     * command at a time. Then, for the keys that hold a hash, set or sorted set in its table form,
     * the same for the field or member the request names next (HSET, SADD, ZSCORE... on a large
     * collection: its bucket, its node and the node's bytes). {@code slices} holds each request's
     * key and field as offset and length pairs in {@code b} ({@link
     * dev.quokka.protocol.RespParser#peekKeys}). A hint only: nothing is changed.
     */
    public void prefetch(byte[] b, int[] slices, int n) {
        if (prefetched.length < n) {
            prefetched = new Entry[n];
            prefetchedFields = new BytesMap.Node[n];
        }
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = 0; i < n; i++) {
            prefetched[i] = t[hash(b, slices[4 * i], slices[4 * i + 1]) & mask];
        }
        int sink = 0;
        boolean fields = false;
        for (int i = 0; i < n; i++) {
            Entry e = prefetched[i];
            if (e != null) {
                sink += e.touch();
                fields |= slices[4 * i + 3] >= 0 && e.holdsCollection();
            }
        }
        if (fields) {
            sink += prefetchFields(b, slices, n);
        }
        Arrays.fill(prefetched, 0, n, null);
        prefetchSink += sink;
    }

    /** {@link #prefetch}'s second part: the fields of the requests whose key holds a hashed collection. */
    private int prefetchFields(byte[] b, int[] slices, int n) {
        BytesMap.Node[] nodes = prefetchedFields;
        int found = 0;
        for (int i = 0; i < n; i++) {
            int fieldLength = slices[4 * i + 3];
            int off = slices[4 * i];
            int len = slices[4 * i + 1];
            Entry e = fieldLength < 0 ? null
                : find(prefetched[i], b, off, len, Entry.wordAt(b, off, len), Entry.wordAt(b, off + 8, len - 8));
            BytesMap index = e != null && e.value() instanceof Collection c ? c.index() : null;
            if (index != null) {
                nodes[found++] = index.bucket(hash(b, slices[4 * i + 2], fieldLength));
            }
        }
        int sink = 0;
        for (int i = 0; i < found; i++) {
            if (nodes[i] != null) {
                sink += nodes[i].hash;
            }
        }
        for (int i = 0; i < found; i++) {
            if (nodes[i] != null) {
                sink += nodes[i].key.length;
                nodes[i] = null;
            }
        }
        return sink;
    }

    /**
     * The entry of the key in {@code b[off, off + n)}, whose first two words are {@code w0} and
     * {@code w1}, in the chain from {@code e}, or null.
     */
    private static Entry find(Entry e, byte[] b, int off, int n, long w0, long w1) {
        for (; e != null; e = e.next) {
            if (e.is(b, off, n, w0, w1)) {
                return e;
            }
        }
        return null;
    }

    /** Adds a new key; the caller has checked it is absent. */
    public Entry add(byte[] key, Object value) {
        Entry e = new Entry(key, value);
        if (value instanceof Collection c) {
            c.accounted = c.bytes();
        }
        int i = hash(key) & (table.length - 1);
        e.next = table[i];
        table[i] = e;
        datasetBytes += MemoryModel.entry(key, value);
        if (sieve != null) {
            sieve.add(e);
        }
        if (++size > table.length) {
            resize(table.length * 2);
        }
        return e;
    }

    /** Sets {@code key} to {@code value}, keeping an existing entry (and its TTL) if present. */
    public Entry put(byte[] key, Object value) {
        Entry e = find(key);
        if (e != null) {
            setValue(e, value);
            return e;
        }
        return add(key, value);
    }

    /** Removes {@code key}; returns its entry or null. */
    public Entry remove(byte[] key) {
        int n = key.length;
        long w0 = Entry.word(key, 0, n);
        long w1 = Entry.word(key, 8, n);
        int i = hash(key, 0, n, w0, w1) & (table.length - 1);
        Entry prev = null;
        for (Entry e = table[i]; e != null; prev = e, e = e.next) {
            if (e.is(key, w0, w1)) {
                if (prev == null) {
                    table[i] = e.next;
                } else {
                    prev.next = e.next;
                }
                e.next = null;
                clearExpire(e);
                e.volatileSlot = Entry.REMOVED;
                datasetBytes -= MemoryModel.key(n) + e.valueBytes();
                if (sieve != null) {
                    sieve.removed();
                }
                size--;
                maybeShrink();
                return e;
            }
        }
        return null;
    }

    /** Sets the absolute expiry time of an entry of this database. */
    public void setExpire(Entry e, long when) {
        if (e.volatileSlot < 0) {
            if (volatileCount == volatiles.length) {
                volatiles = Arrays.copyOf(volatiles, volatiles.length * 2);
            }
            e.volatileSlot = volatileCount;
            volatiles[volatileCount++] = e;
        }
        e.expireAt = when;
    }

    /** Removes the TTL of an entry; returns whether it had one. */
    public boolean clearExpire(Entry e) {
        int slot = e.volatileSlot;
        if (slot < 0) {
            return false;
        }
        Entry last = volatiles[--volatileCount];
        volatiles[slot] = last;
        last.volatileSlot = slot;
        volatiles[volatileCount] = null;
        e.volatileSlot = -1;
        e.expireAt = Entry.NO_EXPIRE;
        if (volatileCount == 0 && volatiles.length > 1024) {
            volatiles = new Entry[16];
        }
        return true;
    }

    /**
     * Up to {@code n} entries for eviction sampling (Redis's dictGetSomeKeys): every candidate
     * when there are no more than {@code n}, otherwise {@code n} random ones.
     */
    public void sample(int n, boolean volatileOnly, Consumer<Entry> into) {
        int count = volatileOnly ? volatileCount : size;
        if (count <= n) {
            if (volatileOnly) {
                for (int i = 0; i < volatileCount; i++) {
                    into.accept(volatiles[i]);
                }
            } else {
                for (Entry head : table) {
                    for (Entry e = head; e != null; e = e.next) {
                        into.accept(e);
                    }
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            into.accept(volatileOnly ? randomVolatile() : randomEntry());
        }
    }

    /** A uniformly chosen entry with a TTL, or null when there is none. */
    public Entry randomVolatile() {
        if (volatileCount == 0) {
            return null;
        }
        return volatiles[ThreadLocalRandom.current().nextInt(volatileCount)];
    }

    /** A randomly chosen entry (Redis's dictGetFairRandomKey is approximated the same way), or null. */
    public Entry randomEntry() {
        if (size == 0) {
            return null;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Entry head;
        do {
            head = table[rnd.nextInt(table.length)];
        } while (head == null);
        int len = 0;
        for (Entry e = head; e != null; e = e.next) {
            len++;
        }
        int pick = rnd.nextInt(len);
        Entry e = head;
        while (pick-- > 0) {
            e = e.next;
        }
        return e;
    }

    /** Drops every key. */
    public void clear() {
        table = new Entry[MIN_CAPACITY];
        size = 0;
        volatiles = new Entry[16];
        volatileCount = 0;
        avgTtl = 0;
        datasetBytes = 0;
        if (sieve != null) {
            sieve = new Sieve();
        }
    }

    /** Exchanges contents with another database (SWAPDB); ids stay. */
    public void swapWith(Database o) {
        Entry[] t = table;
        table = o.table;
        o.table = t;
        int s = size;
        size = o.size;
        o.size = s;
        Entry[] v = volatiles;
        volatiles = o.volatiles;
        o.volatiles = v;
        int vc = volatileCount;
        volatileCount = o.volatileCount;
        o.volatileCount = vc;
        long a = avgTtl;
        avgTtl = o.avgTtl;
        o.avgTtl = a;
        long d = datasetBytes;
        datasetBytes = o.datasetBytes;
        o.datasetBytes = d;
        Sieve q = sieve;
        sieve = o.sieve;
        o.sieve = q;
    }

    /**
     * Visits one bucket's entries and returns the next cursor (Redis's {@code dictScan} on a
     * single table: the cursor's bits are incremented from the most significant end, so that
     * buckets already visited before a grow or shrink map to buckets that are not visited
     * again). A cursor of 0 returned means the iteration is complete.
     */
    public long scan(long cursor, Consumer<Entry> visitor) {
        if (size == 0) {
            return 0;
        }
        Entry[] t = table;
        long mask = t.length - 1;
        // Copy the chain first: the visitor may delete expired keys.
        Entry e = t[(int) (cursor & mask)];
        if (e != null) {
            if (e.next == null) {
                visitor.accept(e);
            } else {
                int n = 0;
                for (Entry x = e; x != null; x = x.next) {
                    n++;
                }
                Entry[] chain = new Entry[n];
                n = 0;
                for (Entry x = e; x != null; x = x.next) {
                    chain[n++] = x;
                }
                for (Entry x : chain) {
                    visitor.accept(x);
                }
            }
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        cursor = Long.reverse(cursor);
        return cursor;
    }

    /**
     * Copies every key, value and expiry time into the arrays (each at least {@link #size()}
     * long), in table order, for a point-in-time snapshot.
     */
    public void copyTo(byte[][] keys, Object[] values, long[] expires, int[] access) {
        int n = 0;
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                keys[n] = e.key();
                values[n] = e.value();
                expires[n] = e.expireAt;
                if (access != null) {
                    access[n] = e.lru;
                }
                n++;
            }
        }
    }

    /** Entries in a snapshot array, safe to modify the table while walking it. */
    public Entry[] snapshot() {
        Entry[] out = new Entry[size];
        int n = 0;
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                out[n++] = e;
            }
        }
        return out;
    }

    private void maybeShrink() {
        // Like Redis, shrink when under 10% full (never below the minimum).
        if (table.length > MIN_CAPACITY && size * 10 < table.length) {
            int cap = MIN_CAPACITY;
            while (cap < size) {
                cap <<= 1;
            }
            resize(cap);
        }
    }

    private void resize(int capacity) {
        Entry[] old = table;
        Entry[] t = new Entry[capacity];
        int mask = capacity - 1;
        for (Entry head : old) {
            Entry e = head;
            while (e != null) {
                Entry next = e.next;
                int i = e.hash() & mask;
                e.next = t[i];
                t[i] = e;
                e = next;
            }
        }
        table = t;
    }
}
