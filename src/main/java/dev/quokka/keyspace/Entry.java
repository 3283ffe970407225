package dev.quokka.keyspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One key in a {@link Database}: the key, the value, the absolute expiry time and the access
 * clock. Kept deliberately small: a string value is the bare {@code byte[]}, with no wrapper
 * object, and the key's first {@value #INLINE} bytes live in the entry itself, as two words,
 * with only the bytes after them in an array. A lookup of a key of up to 16 bytes thus compares
 * it without leaving the entry (one cache line fewer per command than a separate key array),
 * and such a key costs no array at all.
 */
public final class Entry {
    /** {@link #expireAt} of a key without a TTL. */
    public static final long NO_EXPIRE = -1;
    /** {@link #volatileSlot} of an entry that was removed from its database. */
    static final int REMOVED = -2;
    /** Bytes of the key kept in the entry's two words. */
    static final int INLINE = 16;
    /** {@link #stringForm}s. */
    public static final byte ENCODED = 0;
    public static final byte PLAIN = 1;
    public static final byte RAW = 2;
    private static final short LONG_STRING = -1;
    private static final short OTHER = -2;

    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Key bytes 0-7 and 8-15, little-endian, zero past the key's end. */
    private final long k0;
    private final long k1;
    /** Key bytes from the 17th on, or null for a key of up to 16 bytes. */
    private final byte[] tail;
    /** The key's length when it has no tail (the tail gives the rest). */
    private final byte head;
    /**
     * What the value is, known without reading it (a write replaces a value it need not load):
     * a string's length up to {@link Short#MAX_VALUE}, {@link #LONG_STRING} for a longer string,
     * {@link #OTHER} for anything else (a collection).
     */
    private short shape;
    /**
     * How Redis would have encoded a string value, which its content alone does not tell:
     * {@link #ENCODED} (tryObjectEncoding: int, embstr or raw by content), {@link #PLAIN} (never
     * int: embstr or raw by length, as INCRBYFLOAT's result) or {@link #RAW} (a string edited in
     * place: APPEND, SETRANGE, the bit and HyperLogLog commands). Reset by every new value; the
     * field fills alignment padding, so it costs no memory. Its {@link #OWNED} bit says more.
     */
    private byte stringForm;
    /**
     * {@link #stringForm}'s bit for a string array this entry alone holds, because an in-place edit
     * command made it ({@link Keyspace#editableString}): never a request's argument (the AOF, the
     * slow log or a queued transaction may still hold that), never shared by COPY. Such an array
     * may be changed in place while no snapshot holds it.
     */
    private static final byte OWNED = 0x40;
    private Object value;
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

    Entry(byte[] key, Object value) {
        int n = key.length;
        this.k0 = word(key, 0, n);
        this.k1 = word(key, 8, n);
        this.tail = n > INLINE ? Arrays.copyOfRange(key, INLINE, n) : null;
        this.head = (byte) Math.min(n, INLINE);
        value(value);
    }

    /** Replaces the value (callers keep the database's accounting: {@link Database#setValue}). */
    void value(Object v) {
        value = v;
        stringForm = ENCODED;
        shape = v instanceof byte[] b ? b.length <= Short.MAX_VALUE ? (short) b.length : LONG_STRING : OTHER;
    }

    /** Whether the value is a collection (not a string), told without loading the value. */
    boolean holdsCollection() {
        return shape == OTHER && value instanceof Collection;
    }

    /** Estimated heap bytes of the value ({@link MemoryModel#value}); a short string's without loading it. */
    long valueBytes() {
        return shape >= 0 ? MemoryModel.byteArray(shape) : MemoryModel.value(value);
    }

    /** Bytes {@code from} to {@code from + 7} of {@code key} (of length {@code n}) as a little-endian word, zero past the end. */
    static long word(byte[] key, int from, int n) {
        return wordAt(key, from, n - from);
    }

    /** The little-endian word at {@code b[at]}, of which {@code left} bytes belong to the key (zero past them). */
    static long wordAt(byte[] b, int at, int left) {
        if (left >= 8) {
            return (long) LONG_LE.get(b, at);
        }
        long w = 0;
        for (int i = left - 1; i >= 0; i--) {
            w = w << 8 | b[at + i] & 0xff;
        }
        return w;
    }

    /** Whether this entry's key is {@code key}, whose first two words are {@code w0} and {@code w1}. */
    boolean is(byte[] key, long w0, long w1) {
        return is(key, 0, key.length, w0, w1);
    }

    /** Whether this entry's key is the {@code n} bytes at {@code b[off]}, whose first two words are {@code w0} and {@code w1}. */
    boolean is(byte[] b, int off, int n, long w0, long w1) {
        if (k0 != w0 || k1 != w1) {
            return false;
        }
        if (n <= INLINE) {
            return tail == null && head == n;
        }
        return tail != null && tail.length == n - INLINE && Arrays.equals(tail, 0, tail.length, b, off + INLINE, off + n);
    }

    /** Reads the fields a lookup compares first ({@link Database#prefetch}). */
    int touch() {
        return (int) k0 + head;
    }

    /** The key's length in bytes. */
    public int keyLength() {
        return tail == null ? head : INLINE + tail.length;
    }

    /** A new array holding the key (entries keep no key array of their own). */
    public byte[] key() {
        int n = keyLength();
        byte[] key = new byte[n];
        if (n >= INLINE) {
            LONG_LE.set(key, 0, k0);
            LONG_LE.set(key, 8, k1);
            if (tail != null) {
                System.arraycopy(tail, 0, key, INLINE, tail.length);
            }
        } else {
            for (int i = 0; i < n; i++) {
                key[i] = (byte) ((i < 8 ? k0 >>> (i << 3) : k1 >>> (i - 8 << 3)) & 0xff);
            }
        }
        return key;
    }

    /** The key's hash, as {@link Database#hash} computes it from the key's bytes. */
    int hash() {
        int n = keyLength();
        long h = Database.mix(Database.mix(Database.HASH_SEED ^ n, k0), k1);
        if (tail != null) {
            int t = tail.length;
            for (int i = 0; i < t; i += 8) {
                h = Database.mix(h, word(tail, i, t));
            }
        }
        return Database.finish(h);
    }

    public Object value() {
        return value;
    }

    /** How Redis would have encoded this string ({@link #ENCODED}, {@link #PLAIN} or {@link #RAW}). */
    public byte stringForm() {
        return (byte) (stringForm & ~OWNED);
    }

    /** Records how the command that stored or edited this string would have encoded it in Redis. */
    public void stringForm(byte form) {
        stringForm = (byte) (form | (stringForm & OWNED));
    }

    /** Whether this entry alone holds its string array (see {@link #OWNED}). */
    boolean ownsString() {
        return (stringForm & OWNED) != 0;
    }

    /** The string array just stored was made for this entry alone (see {@link #OWNED}). */
    void ownString() {
        stringForm |= OWNED;
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
