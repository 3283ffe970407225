package dev.quokka.eviction;

import dev.quokka.config.KeyspaceEvents;
import dev.quokka.config.MaxmemoryPolicy;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.AppendOnlyFile;
import dev.quokka.persistence.EffectsStream;
import dev.quokka.persistence.Effects;

import java.util.function.Function;

/**
 * {@code maxmemory} enforcement (Redis's {@code performEvictions}): while the accounted memory
 * is over the limit, evict keys as the policy says; commands flagged {@code denyoom} are refused
 * with {@code -OOM} when that is impossible. Each eviction is a {@code DEL} in the AOF, an
 * {@code evicted} keyspace event and a CLIENT TRACKING invalidation.
 *
 * <ul>
 * <li>LRU, LFU and TTL policies: Redis's approximation. Each round samples
 *     {@code maxmemory-samples} keys of every database into a pool of the 16 best candidates
 *     (largest idle time, lowest decayed LFU counter, nearest expiry) and evicts the best one
 *     still present.</li>
 * <li>Random policies: a uniformly chosen key, databases in turn.</li>
 * <li>SIEVE policies: the hand of each database's queue ({@code keyspace.Sieve}), databases in turn.</li>
 * </ul>
 * {@code volatile-*} policies only consider keys with a TTL.
 */
public final class Evictor {
    /** Redis's EVPOOL_SIZE. */
    static final int POOL_SIZE = 16;

    private final Keyspace ks;
    private final AppendOnlyFile aof;
    private final EffectsStream effects;
    private long maxmemory;
    private MaxmemoryPolicy policy = MaxmemoryPolicy.NOEVICTION;
    private int samples = 5;
    private long evictedKeys;
    private long peak;
    private int nextDb;

    private final byte[][] poolKeys = new byte[POOL_SIZE][];
    private final int[] poolDb = new int[POOL_SIZE];
    private final long[] poolScore = new long[POOL_SIZE];
    private int poolSize;

    /** What the clients' buffers hold (query and output), counted in used_memory and against maxmemory. */
    private java.util.function.LongSupplier clientsMemory = () -> 0;
    /** What is queued for replicas: counted in used_memory, not against maxmemory. */
    private java.util.function.LongSupplier replicasMemory = () -> 0;

    public Evictor(Keyspace ks, AppendOnlyFile aof, EffectsStream effects) {
        this.ks = ks;
        this.aof = aof;
        this.effects = effects;
    }

    /** Where the clients' and the replicas' memory are read from (the session layer keeps them). */
    public void clientsMemory(java.util.function.LongSupplier clients, java.util.function.LongSupplier replicas) {
        clientsMemory = clients;
        replicasMemory = replicas;
    }

    public void maxmemory(long bytes) {
        maxmemory = bytes;
        evictionPending = bytes > 0;
    }

    /**
     * Redis's evictionTimeProc, started by CONFIG SET maxmemory: after a new limit, evicts on the
     * timer until under it (then stops), so that a server with no commands coming gets under too.
     */
    public void evictPending() {
        if (evictionPending && performEvictions()) {
            evictionPending = false;
        }
    }

    private boolean evictionPending;

    public long maxmemory() {
        return maxmemory;
    }

    public void policy(MaxmemoryPolicy p) {
        policy = p;
        ks.access(access(p));
        poolSize = 0;
    }

    /** How a policy ranks keys: the access clock, the LFU counter or the SIEVE bit. */
    private static Keyspace.Access access(MaxmemoryPolicy p) {
        return switch (p) {
            case ALLKEYS_LFU, VOLATILE_LFU -> Keyspace.Access.LFU;
            case ALLKEYS_SIEVE, VOLATILE_SIEVE -> Keyspace.Access.SIEVE;
            default -> Keyspace.Access.LRU;
        };
    }

    public void samples(int n) {
        samples = n;
    }

    /**
     * Redis's used_memory: every database's keys and values plus the tables that index them, the
     * clients' query and output buffers, and the AOF buffer.
     */
    public long usedMemory() {
        long used = aof.bufferLength() + clientsMemory.getAsLong() + replicasMemory.getAsLong();
        for (int i = 0; i < ks.databases(); i++) {
            Database db = ks.db(i);
            used += db.datasetBytes() + db.overheadBytes();
        }
        if (used > peak) {
            peak = used;
        }
        return used;
    }

    /** What counts against maxmemory: used_memory without {@link #notCountedForEvict()}. */
    private long countedMemory() {
        return usedMemory() - notCountedForEvict();
    }

    /** Redis's mem_not_counted_for_evict: the AOF buffer and what is queued for replicas. */
    public long notCountedForEvict() {
        return aof.bufferLength() + replicasMemory.getAsLong();
    }

    /** The keys and values alone (used_memory_dataset). */
    public long datasetMemory() {
        long used = 0;
        for (int i = 0; i < ks.databases(); i++) {
            used += ks.db(i).datasetBytes();
        }
        return used;
    }

    public long peakMemory() {
        usedMemory();
        return peak;
    }

    public long evictedKeys() {
        return evictedKeys;
    }

    public void resetStats() {
        evictedKeys = 0;
        peak = 0;
    }

    /** Whether there is a limit to enforce (and nothing is loading). */
    public boolean active() {
        return maxmemory > 0 && !ks.loading();
    }

    /**
     * Evicts until the accounted memory is at most {@code maxmemory}. Returns false when it is
     * still over the limit (noeviction, or no key the policy may evict).
     */
    public boolean performEvictions() {
        if (!active()) {
            return true;
        }
        long used = countedMemory();
        if (used <= maxmemory) {
            return true;
        }
        if (policy == MaxmemoryPolicy.NOEVICTION) {
            return false;
        }
        while (used > maxmemory) {
            if (!evictOne()) {
                return false;
            }
            used = countedMemory();
        }
        return true;
    }

    private boolean evictOne() {
        ks.tick();
        return switch (policy) {
            case ALLKEYS_RANDOM -> evictInTurn(Database::randomEntry);
            case VOLATILE_RANDOM -> evictInTurn(Database::randomVolatile);
            case ALLKEYS_SIEVE -> evictInTurn(db -> db.sieveVictim(false));
            case VOLATILE_SIEVE -> evictInTurn(db -> db.sieveVictim(true));
            default -> evictFromPool();
        };
    }

    /** The random and SIEVE policies: the first database in turn whose picker finds a victim. */
    private boolean evictInTurn(Function<Database, Entry> picker) {
        int n = ks.databases();
        for (int i = 0; i < n; i++) {
            Database db = ks.db(nextDb++ % n);
            Entry e = picker.apply(db);
            if (e != null) {
                evict(db, e.key());
                return true;
            }
        }
        return false;
    }

    /** Redis's pool-based approximation for the LRU, LFU and TTL policies. */
    private boolean evictFromPool() {
        boolean volatileOnly = policy.volatileOnly();
        while (true) {
            long candidates = 0;
            for (int i = 0; i < ks.databases(); i++) {
                Database db = ks.db(i);
                int keys = volatileOnly ? db.volatileCount() : db.size();
                if (keys > 0) {
                    populate(db, volatileOnly);
                    candidates += keys;
                }
            }
            if (candidates == 0) {
                return false;
            }
            // The best candidate is at the end; skip the ones deleted since they were sampled.
            while (poolSize > 0) {
                int k = --poolSize;
                byte[] key = poolKeys[k];
                Database db = ks.db(poolDb[k]);
                poolKeys[k] = null;
                Entry e = db.find(key);
                if (e != null && (!volatileOnly || e.hasExpire())) {
                    evict(db, key);
                    return true;
                }
            }
        }
    }

    private void populate(Database db, boolean volatileOnly) {
        int id = db.id();
        db.sample(samples, volatileOnly, e -> insert(id, e, score(e)));
    }

    /** Higher is a better victim: idle milliseconds, 255 minus the LFU counter, or the inverse of the expiry time. */
    long score(Entry e) {
        return switch (policy) {
            case ALLKEYS_LFU, VOLATILE_LFU -> 255 - ks.lfuCounter(e.lru());
            case VOLATILE_TTL -> Long.MAX_VALUE - e.expireAt();
            default -> Math.max(0, ks.now() / 1000 - e.lru()) * 1000;
        };
    }

    /**
     * Redis's evictionPoolPopulate insertion: the pool stays sorted by ascending score; the key
     * is copied out of the entry only when it joins the pool.
     */
    private void insert(int db, Entry e, long score) {
        int k = 0;
        while (k < poolSize && poolScore[k] < score) {
            k++;
        }
        if (k == 0 && poolSize == POOL_SIZE) {
            return; // worse than every candidate of a full pool
        }
        if (poolSize < POOL_SIZE) {
            System.arraycopy(poolKeys, k, poolKeys, k + 1, poolSize - k);
            System.arraycopy(poolDb, k, poolDb, k + 1, poolSize - k);
            System.arraycopy(poolScore, k, poolScore, k + 1, poolSize - k);
            poolSize++;
        } else {
            // Full: drop the worst (first) candidate, shifting the ones before k left.
            k--;
            System.arraycopy(poolKeys, 1, poolKeys, 0, k);
            System.arraycopy(poolDb, 1, poolDb, 0, k);
            System.arraycopy(poolScore, 1, poolScore, 0, k);
        }
        poolKeys[k] = e.key();
        poolDb[k] = db;
        poolScore[k] = score;
    }

    private void evict(Database db, byte[] key) {
        db.remove(key);
        evictedKeys++;
        effects.propagate(db.id(), Effects.del(key));
        ks.notify(KeyspaceEvents.EVICTED, "evicted", key, db.id());
    }
}
