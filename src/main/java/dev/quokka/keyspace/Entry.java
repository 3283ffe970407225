package dev.quokka.keyspace;

/**
 * One key in a {@link Database}: the key bytes with their cached hash, the value, the absolute
 * expiry time and the access clock. Kept deliberately small: a string value is the bare
 * {@code byte[]}, with no wrapper object.
 */
public final class Entry {
    /** {@link #expireAt} of a key without a TTL. */
    public static final long NO_EXPIRE = -1;
    /** {@link #volatileSlot} of an entry that was removed from its database. */
    static final int REMOVED = -2;

    final byte[] key;
    final int hash;
    Object value;
    long expireAt = NO_EXPIRE;
    /** Index in the database's volatile-key array, or -1. */
    int volatileSlot = -1;
    /**
     * The access field, as Redis's 24-bit {@code lru}: under LRU policies the access time in
     * seconds; under LFU the minutes of the last decrement (high bits) and the logarithmic
     * counter (low 8 bits); under SIEVE the visited bit.
     */
    int lru;
    Entry next;

    Entry(byte[] key, int hash, Object value) {
        this.key = key;
        this.hash = hash;
        this.value = value;
    }

    public byte[] key() {
        return key;
    }

    public Object value() {
        return value;
    }

    public long expireAt() {
        return expireAt;
    }

    public boolean hasExpire() {
        return expireAt != NO_EXPIRE;
    }

    public int lru() {
        return lru;
    }

    /** Whether the entry is still in its database (it was not deleted, evicted or expired). */
    public boolean live() {
        return volatileSlot != REMOVED;
    }
}
