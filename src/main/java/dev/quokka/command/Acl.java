package dev.quokka.command;

import java.util.Locale;

/**
 * ACL categories, in Redis 7.0's order (the order COMMAND INFO lists them in). Most are implied by
 * a command's flags, as Redis's {@code setImplicitACLCategories} derives them ({@link #implied}); a
 * command declares only the others (its type, {@code @keyspace}, {@code @connection} ...).
 */
public enum Acl {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM, PUBSUB, ADMIN, FAST,
    SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    /** {@code @write}. */
    public String wireName() {
        return "@" + name().toLowerCase(Locale.ROOT);
    }

    /**
     * The categories of a command with these flags and declared categories: write, read (not for
     * scripting commands), admin and dangerous, pubsub, fast, blocking from the flags, and slow
     * for whatever is not fast. A bit set over {@link #ordinal()}.
     */
    static int implied(int flags, int declared) {
        int acl = declared;
        if ((flags & Flag.WRITE.bit) != 0) {
            acl |= 1 << WRITE.ordinal();
        }
        if ((flags & Flag.READONLY.bit) != 0 && (declared & (1 << SCRIPTING.ordinal())) == 0) {
            acl |= 1 << READ.ordinal();
        }
        if ((flags & Flag.ADMIN.bit) != 0) {
            acl |= 1 << ADMIN.ordinal() | 1 << DANGEROUS.ordinal();
        }
        if ((flags & Flag.PUBSUB.bit) != 0) {
            acl |= 1 << PUBSUB.ordinal();
        }
        if ((flags & Flag.FAST.bit) != 0) {
            acl |= 1 << FAST.ordinal();
        }
        if ((flags & Flag.BLOCKING.bit) != 0) {
            acl |= 1 << BLOCKING.ordinal();
        }
        if ((acl & (1 << FAST.ordinal())) == 0) {
            acl |= 1 << SLOW.ordinal();
        }
        return acl;
    }
}
