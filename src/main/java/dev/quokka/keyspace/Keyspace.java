package dev.quokka.keyspace;

import dev.quokka.config.KeyspaceEvents;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The numbered databases and the rules that apply across them: lazy expiry on lookup,
 * keyspace hit/miss counters, the access clock and the active expiry cycle.
 *
 * <p>Owned by the keyspace context (ARCHITECTURE invariant 1): every method runs there.
 * {@link #now()} is the command's time snapshot, set by the dispatcher before each command,
 * so that one command sees one clock (Redis's {@code commandTimeSnapshot}).
 */
public final class Keyspace {
    /** Keys sampled per round of the active expiry cycle (Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
    public static final int EXPIRE_SAMPLE = 20;
    /** A round is repeated while more than this share of the sample was expired. */
    public static final int EXPIRE_REPEAT_PERCENT = 25;

    private Database[] dbs;
    private int notifyFlags;
    private KeyspaceEvents.Sink sink = (channel, message) -> { };
    /** Told of every changed key. */
    public interface Modifications {
        void modified(int db, byte[] key);
    }

    private Modifications onModified = (db, key) -> { };
    private long now = System.currentTimeMillis();
    private volatile boolean loading;
    /** Changes made by commands (Redis's {@code server.dirty}): a command that moved it is propagated. */
    private long dirty;
    private Deletions expiredDeletions = (db, key) -> { };

    /** Receives the keys deleted because their TTL passed, to propagate them as {@code DEL}. */
    @FunctionalInterface
    public interface Deletions {
        void deleted(int db, byte[] key);
    }

    private long expiredKeys;
    private long keyspaceHits;
    private long keyspaceMisses;
    private long expiredTimeCapReached;
    private double expiredStalePerc;
    private long expireCycleMicros;

    /** Encoding thresholds (Redis's config names; set from CONFIG). */
    public long hashMaxListpackEntries = 512;
    public long hashMaxListpackValue = 64;
    public long setMaxIntsetEntries = 512;
    public long zsetMaxListpackEntries = 128;
    public long zsetMaxListpackValue = 64;
    public long streamNodeMaxBytes = 4096;
    public long streamNodeMaxEntries = 100;

    /** Generation of the snapshot being written by an AOF rewrite, 0 when none (see {@link Collection}). */
    /** The generation of the newest snapshot still being written (0: none). */
    private int newestLiveSnapshot;
    /** Snapshots taken so far; a snapshot's generation is this count when it was taken. */
    private int snapshotGenerations;
    /** Generations of the snapshots still being written (a SAVE may run during an AOF rewrite). */
    private final java.util.List<Integer> liveSnapshots = new java.util.ArrayList<>(2);
    /** Collections changed by the current command, whose sizes are settled after it. */
    private Database[] pendingDbs = new Database[8];
    private Entry[] pendingEntries = new Entry[8];
    private int pending;

    public Keyspace(int databases) {
        dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i);
        }
        tick();
    }

    public int databases() {
        return dbs.length;
    }

    public Database db(int id) {
        return dbs[id];
    }

    private static final LongSupplier WALL = System::currentTimeMillis;
    private LongSupplier clock = WALL;
    // The wall clock at the last full tick in nanoseconds (microsecond precision, as Redis's
    // gettimeofday), and the monotonic clock then: tick(nanos) derives the time from a monotonic
    // read the caller made anyway.
    private long baseWallNanos;
    private long baseNanos;

    /** Refreshes the time snapshot from the wall clock (and re-anchors {@link #tick(long)}); returns it. */
    public long tick() {
        if (clock != WALL) {
            now = clock.getAsLong();
            return now;
        }
        Instant wall = Instant.now();
        baseNanos = System.nanoTime();
        baseWallNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        now = baseWallNanos / 1_000_000;
        return now;
    }

    /**
     * Refreshes the time snapshot from {@code nanos}, a {@link System#nanoTime()} the caller read
     * for its own timing: the dispatcher times every command, so this saves a clock read per
     * command. The wall clock is read again by every {@link #tick()} (each active expiry cycle,
     * {@code hz} times a second), so the two stay within a millisecond.
     */
    public long tick(long nanos) {
        if (clock != WALL) {
            return tick();
        }
        now = (baseWallNanos + (nanos - baseNanos)) / 1_000_000;
        return now;
    }

    /** Replaces the wall clock (the cache simulation runs on a virtual one). */
    public void clock(LongSupplier millis) {
        clock = millis;
    }

    public long now() {
        return now;
    }

    public boolean loading() {
        return loading;
    }

    public void loading(boolean loading) {
        this.loading = loading;
    }

    /** Changes counted so far; a command that changed it changed the dataset. */
    public long dirty() {
        return dirty;
    }

    /** Counts a change that has no keyspace event (FLUSHDB, FLUSHALL, SWAPDB). */
    public void changed() {
        dirty++;
    }

    /** Where deletions of expired keys are reported (the append-only file). */
    public void onExpiredDeletion(Deletions listener) {
        this.expiredDeletions = listener;
    }

    /** Called with the database and name of every key that changes (CLIENT TRACKING invalidation, WATCH). */
    public void onModified(Modifications listener) {
        this.onModified = listener;
    }

    /** Sets the enabled notification classes and where notifications are published. */
    public void notifications(int flags, KeyspaceEvents.Sink sink) {
        this.notifyFlags = flags;
        this.sink = sink;
    }

    /**
     * A key's value changed without a keyspace event (PFCOUNT storing its cached cardinality):
     * Redis's signalModifiedKey and {@code server.dirty++}, so tracking clients are told and the
     * command is propagated.
     */
    public void modified(Database db, byte[] key) {
        onModified.modified(db.id(), key);
        dirty++;
    }

    /**
     * Redis's {@code notifyKeyspaceEvent}: publishes {@code event} on
     * {@code __keyspace@<db>__:<key>} and {@code key} on {@code __keyevent@<db>__:<event>}, as
     * the enabled classes ({@code notify-keyspace-events}) say.
     */
    public void notify(int type, String event, byte[] key, int db) {
        // Every change to a key is notified, so this is also where client-side caching learns of it
        // (Redis's signalModifiedKey); a miss or the creation event alone changes nothing cached.
        if (type != KeyspaceEvents.KEY_MISS && type != KeyspaceEvents.NEW) {
            onModified.modified(db, key);
            // Expiry and eviction propagate their own DEL; they are not the command's change.
            if (type != KeyspaceEvents.EXPIRED && type != KeyspaceEvents.EVICTED) {
                dirty++;
            }
        }
        int flags = notifyFlags;
        if ((flags & type) == 0) {
            return;
        }
        byte[] ev = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            byte[] prefix = ("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII);
            byte[] channel = Arrays.copyOf(prefix, prefix.length + key.length);
            System.arraycopy(key, 0, channel, prefix.length, key.length);
            sink.publish(channel, ev);
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            sink.publish(("__keyevent@" + db + "__:" + event).getBytes(StandardCharsets.US_ASCII), key);
        }
    }

    /** The access-clock value of now (seconds, as Redis's LRU clock resolution). */
    int clock() {
        return (int) (now / 1000);
    }

    /** What an access records in {@link Entry#lru}, set by the eviction policy. */
    public enum Access { LRU, LFU, SIEVE }

    /** LFU's initial counter for new keys (Redis's LFU_INIT_VAL). */
    public static final int LFU_INIT_VAL = 5;
    private Access access = Access.LRU;
    private int lfuLogFactor = 10;
    private int lfuDecayTime = 1;

    /** Switches what accesses record; SIEVE's queues are built (or dropped) at once. */
    public void access(Access mode) {
        if (mode == access) {
            return;
        }
        access = mode;
        for (Database db : dbs) {
            db.sieve(mode == Access.SIEVE);
        }
    }

    public Access access() {
        return access;
    }

    public void lfu(int logFactor, int decayTime) {
        lfuLogFactor = logFactor;
        lfuDecayTime = decayTime;
    }

    /** Records an access to {@code e}: its LRU time, its LFU counter, or its SIEVE visited bit. */
    void touch(Entry e) {
        if (access == Access.LRU) {
            e.lru = clock(); // the common case first: no switch table on the hot path
        } else if (access == Access.LFU) {
            e.lru = lfuTime() << 8 | lfuIncrement(lfuCounter(e.lru));
        } else {
            e.lru = 1;
        }
    }

    /**
     * RESTORE's IDLETIME and FREQ (Redis's objectSetLRUOrLFU): under an LFU policy the counter
     * {@code lfuFreq} (when not negative), else the access time {@code lruIdleSeconds} ago.
     */
    public void restoreAccess(Entry e, long lfuFreq, long lruIdleSeconds) {
        if (access == Access.LFU) {
            if (lfuFreq >= 0) {
                e.lru = lfuTime() << 8 | (int) lfuFreq;
            }
        } else if (access == Access.LRU && lruIdleSeconds >= 0) {
            e.lru = (int) Math.max(0, clock() - lruIdleSeconds);
        }
    }

    private void initAccess(Entry e) {
        switch (access) {
            case LRU -> e.lru = clock();
            case LFU -> e.lru = lfuTime() << 8 | LFU_INIT_VAL;
            default -> e.lru = 0;
        }
    }

    /** Minutes, 16 bits (Redis's LFUGetTimeInMinutes). */
    private int lfuTime() {
        return (int) (now / 60_000) & 0xffff;
    }

    /** The LFU counter after the decay for the minutes elapsed (Redis's LFUDecrAndReturn); OBJECT FREQ. */
    public int lfuCounter(int field) {
        int ldt = field >>> 8 & 0xffff;
        int counter = field & 0xff;
        int nowMin = lfuTime();
        int elapsed = nowMin >= ldt ? nowMin - ldt : 65535 - ldt + nowMin;
        int periods = lfuDecayTime > 0 ? elapsed / lfuDecayTime : 0;
        return periods > counter ? 0 : counter - periods;
    }

    /** Redis's LFULogIncr: the counter grows with probability 1 / ((counter - 5) * lfu-log-factor + 1). */
    private int lfuIncrement(int counter) {
        if (counter == 255) {
            return 255;
        }
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * lfuLogFactor + 1);
        return ThreadLocalRandom.current().nextDouble() < p ? counter + 1 : counter;
    }

    /**
     * Looks a key up for reading: expired keys are deleted and count as missing; counts a
     * keyspace hit or miss and refreshes the key's access clock.
     */
    public Entry read(Database db, byte[] key) {
        Entry e = live(db, key, false);
        if (e == null) {
            keyspaceMisses++;
            notify(KeyspaceEvents.KEY_MISS, "keymiss", key, db.id());
            return null;
        }
        keyspaceHits++;
        touch(e);
        return e;
    }

    /**
     * Looks a key up before writing it: like {@link #read} without the hit/miss counters. A
     * collection found here may be changed in place by the caller: it is copied first when an AOF
     * rewrite's snapshot holds it, and its size is settled after the command ({@link #settle}).
     */
    public Entry write(Database db, byte[] key) {
        Entry e = live(db, key, true);
        if (e != null) {
            touch(e);
            if (e.holdsCollection()) {
                writable(db, key, e, (Collection) e.value());
            }
        }
        return e;
    }

    private BiConsumer<Database, byte[]> onWritable = (db, key) -> { };

    /** Called with every collection key a command may change or creates (blocked clients' keys may become servable). */
    public void onWritable(BiConsumer<Database, byte[]> listener) {
        onWritable = listener;
    }

    private void writable(Database db, byte[] key, Entry e, Collection c) {
        onWritable.accept(db, key);
        if (c.born < newestLiveSnapshot) {
            Collection copy = c.copy();
            copy.born = snapshotGenerations;
            db.setValue(e, copy);
            c = copy;
        }
        if (pending == pendingEntries.length) {
            pendingDbs = Arrays.copyOf(pendingDbs, pending * 2);
            pendingEntries = Arrays.copyOf(pendingEntries, pending * 2);
        }
        pendingDbs[pending] = db;
        pendingEntries[pending++] = e;
    }

    /** Counts the new sizes of the collections the last command changed in their databases' totals. */
    public void settle() {
        for (int i = 0; i < pending; i++) {
            Entry e = pendingEntries[i];
            if (e.live() && e.value() instanceof Collection c) {
                pendingDbs[i].settle(c);
            }
            pendingEntries[i] = null;
            pendingDbs[i] = null;
        }
        pending = 0;
    }

    /**
     * A snapshot is being taken: every collection stored before now is held by it until {@link
     * #releaseSnapshot} (a command copies such a collection before changing it). Returns the
     * snapshot's generation. Costs nothing per key.
     */
    public int freezeForSnapshot() {
        int generation = ++snapshotGenerations;
        liveSnapshots.add(generation);
        newestLiveSnapshot = generation;
        return generation;
    }

    /** The snapshot's writer is done with it: the collections only it held may be changed in place again. */
    public void releaseSnapshot(int generation) {
        liveSnapshots.remove(Integer.valueOf(generation));
        int newest = 0;
        for (int g : liveSnapshots) {
            newest = Math.max(newest, g);
        }
        newestLiveSnapshot = newest;
    }

    /**
     * The string value of {@code e} as an array a command may change in place, at least
     * {@code length} bytes long: the entry's own array when it alone holds it (an earlier edit made
     * it) and no snapshot is being written, else a copy, padded with zero bytes, stored in its
     * place and the entry's own from now on. The string is raw either way, as Redis leaves a string
     * it edited. So SETRANGE, SETBIT and BITFIELD on a large string cost what they change, not
     * the string's size (every edit used to copy the whole string).
     */
    public byte[] editableString(Database db, Entry e, int length) {
        byte[] v = (byte[]) e.value();
        if (editableInPlace(e) && v.length >= length) {
            return v;
        }
        byte[] own = Arrays.copyOf(v, Math.max(v.length, length));
        storeEditedString(db, e, own);
        return own;
    }

    /**
     * Whether {@code e}'s string array may be changed in place now (see {@link #editableString}),
     * for an editor that copies it itself when not ({@code HyperLogLog}); it then stores the result
     * with {@link #storeEditedString}.
     */
    public boolean editableInPlace(Entry e) {
        return e.ownsString() && newestLiveSnapshot == 0;
    }

    /**
     * Stores the result of an in-place edit of {@code e}'s string: its own array changed in place
     * ({@link #editableInPlace}) or a new array made for it alone.
     */
    public void storeEditedString(Database db, Entry e, byte[] own) {
        if (e.value() != own) {
            db.setValue(e, own);
        }
        edited(e);
    }

    /**
     * Stores a string made by an in-place edit command for a key that had none (its array is the
     * entry's alone, see {@link #editableString}).
     */
    public Entry addEditedString(Database db, byte[] key, byte[] own) {
        Entry e = add(db, key, own);
        edited(e);
        return e;
    }

    /** An edited string is raw, as Redis leaves a string it edited, and its array is the entry's own. */
    private static void edited(Entry e) {
        e.stringForm(Entry.RAW);
        e.ownString();
    }

    /** Looks a key up without touching its access clock or the counters (TTL, TYPE, OBJECT). */
    public Entry peek(Database db, byte[] key) {
        return live(db, key, false);
    }

    private Entry live(Database db, byte[] key, boolean write) {
        Entry e = db.find(key);
        return e == null || !expireIfNeeded(db, e, write) ? e : null;
    }

    /**
     * Whether {@code e} counts as expired, deleting it when this server may (Redis's
     * expireIfNeeded): a replica leaves deletion to its primary's DELs and only hides the key, except
     * for a write on a writable replica; the primary's own stream sees every key it has not deleted;
     * while clients are paused the dataset stays as it is.
     */
    public boolean expireIfNeeded(Database db, Entry e, boolean write) {
        if (!isExpired(e)) {
            return false;
        }
        if (replication.replica()) {
            if (obeyingPrimary) {
                return false;
            }
            if (!write || replication.readOnly()) {
                return true;
            }
        }
        if (!paused) {
            deleteExpired(db, e);
        }
        return true;
    }

    /** What the keyspace needs to know of replication to expire keys as Redis does. */
    public interface ReplicaRole {
        /** Whether this server follows a primary, whose DELs expire its keys. */
        boolean replica();

        /** Whether it refuses clients' writes (replica-read-only): then not even writes delete an expired key. */
        boolean readOnly();
    }

    private ReplicaRole replication = new ReplicaRole() {
        public boolean replica() {
            return false;
        }

        public boolean readOnly() {
            return true;
        }
    };
    private boolean obeyingPrimary;

    /** How expiry learns whether this server is a replica (asked only when an expired key is met). */
    public void replicaRole(ReplicaRole role) {
        replication = role;
    }

    /** Set while the primary's stream runs a command: its keys are never expired here (Redis's current_client == master). */
    public void obeyingPrimary(boolean on) {
        obeyingPrimary = on;
    }

    private boolean paused;
    private boolean activeExpire = true;
    private boolean cronPaused;

    /** DEBUG SET-ACTIVE-EXPIRE: whether the periodic cycle deletes expired keys (lazy expiry goes on). */
    public void activeExpire(boolean on) {
        activeExpire = on;
    }

    /** DEBUG PAUSE-CRON: the periodic work on the dataset (the active expiry cycle) stops while on. */
    public void cronPaused(boolean on) {
        cronPaused = on;
    }

    /** CLIENT PAUSE in force: expired keys are not deleted (lazily or actively) until it ends, as in Redis 7.0. */
    public void paused(boolean on) {
        paused = on;
    }

    public boolean paused() {
        return paused;
    }

    /** Whether an entry's TTL has passed; nothing expires while the dataset is loading. */
    public boolean isExpired(Entry e) {
        return e.expireAt != Entry.NO_EXPIRE && e.expireAt <= now && !loading;
    }

    /** Deletes a key whose TTL has passed and counts it in {@code expired_keys}. */
    public void deleteExpired(Database db, Entry e) {
        byte[] key = e.key();
        db.remove(key);
        expiredKeys++;
        expiredDeletions.deleted(db.id(), key);
        notify(KeyspaceEvents.EXPIRED, "expired", key, db.id());
    }

    /** Adds or replaces a key's value; a replaced key loses its TTL unless {@code keepTtl}. */
    public Entry set(Database db, byte[] key, Object value, boolean keepTtl) {
        return overwrite(db, db.find(key), key, value, keepTtl);
    }

    /**
     * Stores {@code value} at {@code key} when the caller already looked the key up: {@code e}
     * is its live entry or null. Saves the second hash and chain walk of {@link #set}.
     */
    public Entry overwrite(Database db, Entry e, byte[] key, Object value, boolean keepTtl) {
        if (e == null) {
            return add(db, key, value);
        }
        db.setValue(e, value);
        if (value instanceof Collection c) {
            c.born = snapshotGenerations;
        }
        if (!keepTtl) {
            db.clearExpire(e);
        }
        touch(e);
        return e;
    }

    /** Stores a new key (the caller checked it is absent); a new collection may then be filled in place. */
    public Entry add(Database db, byte[] key, Object value) {
        Entry e = db.add(key, value);
        notify(KeyspaceEvents.NEW, "new", key, db.id());
        initAccess(e);
        if (value instanceof Collection c) {
            c.born = snapshotGenerations;
            writable(db, key, e, c);
        }
        return e;
    }

    public void flushAll() {
        for (Database db : dbs) {
            db.clear();
        }
        forgetReplicaKeysWithExpire();
    }

    /**
     * Keys a client gave a TTL on a writable replica, each with the bitmap of databases (0–63) it
     * was set in: the primary knows nothing of them, so the replica expires them itself (Redis's
     * slaveKeysWithExpire). Checked in turn: a key leaves when it no longer has a TTL anywhere.
     */
    private final LinkedHashMap<ByteBuffer, Long> replicaKeysWithExpire = new LinkedHashMap<>();

    /** A client set a TTL on {@code key} of a writable replica (Redis's rememberSlaveKeyWithExpire). */
    public void rememberReplicaKeyWithExpire(Database db, byte[] key) {
        if (db.id() > 63) {
            return;
        }
        replicaKeysWithExpire.merge(ByteBuffer.wrap(key.clone()), 1L << db.id(), (a, b) -> a | b);
    }

    /** The data was replaced (a flush, a full resync): the keys remembered are not ours to expire any more. */
    public void forgetReplicaKeysWithExpire() {
        replicaKeysWithExpire.clear();
    }

    public int replicaKeysWithExpire() {
        return replicaKeysWithExpire.size();
    }

    /**
     * A replica's expiry cycle (Redis's expireSlaveKeys): deletes the remembered keys whose time
     * has passed, stopping after four keys it cannot expire yet or a millisecond.
     */
    public void expireReplicaKeys() {
        if (replicaKeysWithExpire.isEmpty() || loading || paused || !activeExpire || cronPaused) {
            return;
        }
        tick();
        long deadline = System.nanoTime() + 1_000_000;
        int notYet = 0;
        int checked = 0;
        int known = replicaKeysWithExpire.size();
        while (!replicaKeysWithExpire.isEmpty() && checked++ < known) {
            var first = replicaKeysWithExpire.entrySet().iterator().next();
            ByteBuffer name = first.getKey();
            long dbids = replicaKeysWithExpire.remove(name);
            long still = 0;
            for (int id = 0; dbids != 0 && id < dbs.length; id++, dbids >>>= 1) {
                if ((dbids & 1) == 0) {
                    continue;
                }
                Entry e = dbs[id].find(name.array());
                if (e == null || e.expireAt == Entry.NO_EXPIRE) {
                    continue;
                }
                if (e.expireAt <= now) {
                    deleteExpired(dbs[id], e);
                } else {
                    notYet++;
                    still |= 1L << id;
                }
            }
            if (still != 0) {
                replicaKeysWithExpire.put(name, still); // to the back of the queue
            }
            if (notYet > 3 || System.nanoTime() > deadline) {
                break;
            }
        }
    }

    /** Adds to the expired-keys counter (for keys deleted on the spot because their time had passed). */
    public void countExpired() {
        expiredKeys++;
    }

    /**
     * One run of the active expiry cycle, Redis's adaptive algorithm: for each database, sample
     * {@link #EXPIRE_SAMPLE} keys with a TTL, delete the expired ones, and repeat while more
     * than {@link #EXPIRE_REPEAT_PERCENT}% of a sample was expired, within {@code budgetMicros}.
     */
    public void activeExpireCycle(long budgetMicros) {
        if (loading || paused || !activeExpire || cronPaused) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + budgetMicros * 1000;
        long sampledTotal = 0;
        long expiredTotal = 0;
        tick();
        boolean capped = false;
        outer:
        for (Database db : dbs) {
            while (db.volatileCount() > 0) {
                int n = Math.min(EXPIRE_SAMPLE, db.volatileCount());
                int expired = 0;
                long ttlSum = 0;
                int ttlSamples = 0;
                for (int i = 0; i < n; i++) {
                    Entry e = db.randomVolatile();
                    if (e == null) {
                        break;
                    }
                    if (e.expireAt <= now) {
                        deleteExpired(db, e);
                        expired++;
                    } else {
                        ttlSum += e.expireAt - now;
                        ttlSamples++;
                    }
                }
                sampledTotal += n;
                expiredTotal += expired;
                if (ttlSamples > 0) {
                    long avg = ttlSum / ttlSamples;
                    // Redis blends the sample into a running estimate (2% of the new value per round).
                    db.avgTtl = db.avgTtl == 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
                }
                if (System.nanoTime() > deadline) {
                    capped = true;
                    break outer;
                }
                if (expired * 100 <= n * EXPIRE_REPEAT_PERCENT) {
                    break;
                }
            }
        }
        if (capped) {
            expiredTimeCapReached++;
        }
        double stale = sampledTotal == 0 ? 0 : (double) expiredTotal / sampledTotal;
        expiredStalePerc = stale * 0.05 + expiredStalePerc * 0.95;
        expireCycleMicros += (System.nanoTime() - start) / 1000;
    }

    public long expiredKeys() {
        return expiredKeys;
    }

    public long keyspaceHits() {
        return keyspaceHits;
    }

    public long keyspaceMisses() {
        return keyspaceMisses;
    }

    public long expiredTimeCapReached() {
        return expiredTimeCapReached;
    }

    public double expiredStalePerc() {
        return expiredStalePerc;
    }

    public long expireCycleMillis() {
        return expireCycleMicros / 1000;
    }

    /** CONFIG RESETSTAT. */
    public void resetStats() {
        expiredKeys = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        expiredTimeCapReached = 0;
        expiredStalePerc = 0;
        expireCycleMicros = 0;
    }

    /** SWAPDB. */
    public void swap(int a, int b) {
        dbs[a].swapWith(dbs[b]);
    }

    /** Empty databases, one per id, to load an image into aside from these ({@link #swapAll}). */
    public Database[] emptyDatabases() {
        Database[] aside = new Database[dbs.length];
        for (int i = 0; i < dbs.length; i++) {
            aside[i] = new Database(i);
            aside[i].sieve(access == Access.SIEVE);
        }
        return aside;
    }

    /** Exchanges every database's contents with those of {@code aside} (a replica's image loaded aside). */
    public void swapAll(Database[] aside) {
        for (int i = 0; i < dbs.length; i++) {
            dbs[i].swapWith(aside[i]);
            dbs[i].sieve(access == Access.SIEVE); // the policy may have changed during the load
        }
        forgetReplicaKeysWithExpire();
    }
}
