package dev.quokka.keyspace;

/**
 * A value that is changed in place: a list, hash, set or sorted set. Unlike a string (a bare
 * {@code byte[]} replaced on every change), a collection is mutated by its commands, so two
 * things are kept here that the keyspace needs:
 * <ul>
 * <li>its size in bytes, maintained by the subclass as elements come and go, and the part of
 * it already counted in its database's dataset total ({@link Database#settle});</li>
 * <li>how many snapshots had been taken when it was made ({@link Keyspace#write} copies a
 * collection made before the newest live snapshot before a command changes it, so the snapshot's
 * writer thread sees the value as it was when the snapshot was taken, as a forked child would;
 * the snapshot itself marks nothing).</li>
 * </ul>
 */
public abstract class Collection {
    /** Bytes of the fields below, which every subclass's object carries. */
    static final int FIELDS = 4 + 8;

    /** The keyspace's snapshot count when this value was stored or copied (older than a live snapshot: held by it). */
    int born;
    /** Bytes of this value included in its database's {@code datasetBytes}. */
    long accounted;

    /** Number of elements. */
    public abstract int size();

    /** Estimated heap bytes of the value and everything it owns ({@link MemoryModel}). */
    public abstract long bytes();

    /** A deep copy that shares no mutable state (element arrays are immutable and shared). */
    public abstract Collection copy();

    /** TYPE's answer. */
    public abstract String typeName();

    /** OBJECT ENCODING's answer, with Redis 7.0's names. */
    public abstract String encoding();

    /** The hash table of its fields or members (a hash, set or sorted set past its compact form), or null. */
    BytesMap index() {
        return null;
    }
}
