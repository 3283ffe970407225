package dev.quokka.keyspace;

/**
 * One key in a {@link Database}: the key bytes with their cached hash, the value, the absolute
 * expiry time and the access clock. Kept deliberately small: a string value is the bare
 * {@code byte[]}, with no wrapper object.
 */
public final class Entry {
    /** {@link #expireAt} of a key without a TTL. */
    public static final long NO_EXPIRE = -1;

    final byte[] key;
    final int hash;
    Object value;
    long expireAt = NO_EXPIRE;
    /** Index in the database's volatile-key array, or -1. */
    int volatileSlot = -1;
    /** Seconds-resolution access clock, as Redis's 24-bit LRU field. */
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

    public void value(Object v) {
        this.value = v;
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
}
