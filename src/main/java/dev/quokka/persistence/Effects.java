package dev.quokka.persistence;

import dev.quokka.protocol.Numbers;

import java.nio.charset.StandardCharsets;

/**
 * The canonical forms in which commands are persisted (ARCHITECTURE invariant 4), exactly as
 * redis-server 7.0 propagates them: relative TTLs become {@code SET key value PXAT ms} or
 * {@code PEXPIREAT key ms}, GETDEL and expiry become {@code DEL}, INCRBYFLOAT becomes
 * {@code SET key value KEEPTTL}.
 */
public final class Effects {
    public static final byte[] SET = ascii("SET");
    public static final byte[] PXAT = ascii("PXAT");
    public static final byte[] KEEPTTL = ascii("KEEPTTL");
    public static final byte[] DEL = ascii("DEL");
    public static final byte[] PEXPIREAT = ascii("PEXPIREAT");
    public static final byte[] PERSIST = ascii("PERSIST");
    public static final byte[] SELECT = ascii("SELECT");
    public static final byte[] MULTI = ascii("MULTI");
    /** A command's effect when it has none of its own (EXEC, whose commands propagate themselves). */
    public static final byte[][] NOTHING = new byte[0][];
    public static final byte[] EXEC = ascii("EXEC");
    public static final byte[] RPUSH = ascii("RPUSH");
    public static final byte[] LPOP = ascii("LPOP");
    public static final byte[] RPOP = ascii("RPOP");
    public static final byte[] LMOVE = ascii("LMOVE");
    public static final byte[] RPOPLPUSH = ascii("RPOPLPUSH");
    public static final byte[] LEFT = ascii("LEFT");
    public static final byte[] RIGHT = ascii("RIGHT");
    public static final byte[] SADD = ascii("SADD");
    public static final byte[] SREM = ascii("SREM");
    public static final byte[] HMSET = ascii("HMSET");
    public static final byte[] HSET = ascii("HSET");
    public static final byte[] ZADD = ascii("ZADD");
    public static final byte[] ZPOPMIN = ascii("ZPOPMIN");
    public static final byte[] ZPOPMAX = ascii("ZPOPMAX");

    public static final byte[] XADD = ascii("XADD");
    public static final byte[] XSETID = ascii("XSETID");
    public static final byte[] XGROUP = ascii("XGROUP");
    public static final byte[] XCLAIM = ascii("XCLAIM");
    public static final byte[] CREATE = ascii("CREATE");
    public static final byte[] CREATECONSUMER = ascii("CREATECONSUMER");
    public static final byte[] SETID = ascii("SETID");
    public static final byte[] ENTRIESREAD = ascii("ENTRIESREAD");
    public static final byte[] ENTRIESADDED = ascii("ENTRIESADDED");
    public static final byte[] MAXDELETEDID = ascii("MAXDELETEDID");
    public static final byte[] TIME = ascii("TIME");
    public static final byte[] RETRYCOUNT = ascii("RETRYCOUNT");
    public static final byte[] FORCE = ascii("FORCE");
    public static final byte[] JUSTID = ascii("JUSTID");
    public static final byte[] LASTID = ascii("LASTID");
    public static final byte[] ABSTTL = ascii("ABSTTL");

    private Effects() {
    }

    /**
     * Redis's streamPropagateXCLAIM: {@code XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n
     * FORCE JUSTID LASTID last-id}, which gives the same pending entry wherever it is replayed.
     */
    public static byte[][] xclaim(byte[] key, byte[] group, byte[] consumer, byte[] id, long deliveryTime,
                                  long deliveryCount, byte[] lastId) {
        return new byte[][] {XCLAIM, key, group, consumer, number(0), id, TIME, number(deliveryTime), RETRYCOUNT,
            number(deliveryCount), FORCE, JUSTID, LASTID, lastId};
    }

    /** Redis's streamPropagateGroupID: {@code XGROUP SETID key group last-id ENTRIESREAD n}. */
    public static byte[][] xgroupSetId(byte[] key, byte[] group, byte[] lastId, long entriesRead) {
        return new byte[][] {XGROUP, SETID, key, group, lastId, ENTRIESREAD, number(entriesRead)};
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] number(long n) {
        return ascii(Long.toString(n));
    }

    /** {@code SET key value PXAT ms}. */
    public static byte[][] setPxat(byte[] key, byte[] value, long at) {
        return new byte[][] {SET, key, value, PXAT, number(at)};
    }

    /** A score as Redis writes it ({@code %.17g}). */
    public static byte[] score(double d) {
        return ascii(Numbers.formatDouble(d));
    }

    /** {@code DEL key}. */
    public static byte[][] del(byte[] key) {
        return new byte[][] {DEL, key};
    }

    /** {@code PEXPIREAT key ms}. */
    public static byte[][] pexpireat(byte[] key, long at) {
        return new byte[][] {PEXPIREAT, key, number(at)};
    }
}
