package dev.quokka.keyspace;

import dev.quokka.protocol.Numbers;

/**
 * What TYPE, OBJECT ENCODING and COPY need to know of a stored value. Strings are bare
 * {@code byte[]}; lists, hashes, sets and sorted sets are {@link Collection}s.
 */
public final class ValueTypes {
    /** Longest string Redis stores as {@code embstr}. */
    private static final int EMBSTR_MAX = 44;

    private ValueTypes() {
    }

    /** TYPE's answer for a value. */
    public static String typeName(Object v) {
        if (v instanceof byte[]) {
            return "string";
        }
        if (v instanceof Collection c) {
            return c.typeName();
        }
        throw new IllegalStateException("unknown value type " + v.getClass());
    }

    /**
     * OBJECT ENCODING's answer: for strings, {@code int} when the bytes are a canonical 64-bit
     * integer, {@code embstr} up to 44 bytes, {@code raw} above, as Redis's
     * {@code tryObjectEncoding} decides on SET; unless the command that stored the string would
     * have left it unencoded or raw in Redis ({@link Entry#stringForm()}).
     */
    public static String encoding(Entry e) {
        Object v = e.value();
        if (v instanceof byte[] b) {
            if (e.stringForm() == Entry.RAW) {
                return "raw";
            }
            if (e.stringForm() == Entry.ENCODED && b.length <= 20 && Numbers.isLong(b)) {
                return "int";
            }
            return b.length <= EMBSTR_MAX ? "embstr" : "raw";
        }
        if (v instanceof Collection c) {
            return c.encoding();
        }
        throw new IllegalStateException("unknown value type " + v.getClass());
    }

    /**
     * A copy for COPY, as Redis duplicates the value: a string's array may be edited in place by
     * the key that holds it ({@link Keyspace#editableString}), so it is never shared.
     */
    public static Object copy(Object v) {
        if (v instanceof byte[] b) {
            return b.clone();
        }
        if (v instanceof Collection c) {
            return c.copy();
        }
        throw new IllegalStateException("unknown value type " + v.getClass());
    }
}
