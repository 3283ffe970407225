package dev.quokka.command.string;

import dev.quokka.command.Acl;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.config.Settings;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import static dev.quokka.command.ArgumentDoc.arg;

/** PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST on Redis-compatible HyperLogLog strings ({@link HyperLogLog}). */
public final class HllCommands {
    private HllCommands() {
    }

    static final String INVALID = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";

    /** Declares the HyperLogLog commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("pfadd", -2, HllCommands::pfadd).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.HYPERLOGLOG)
            .doc("hyperloglog", "2.8.9", "Adds the specified elements to the specified HyperLogLog.")
            .complexity("O(1) to add every element.")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("element", "string").optional().multiple());
        t.add("pfcount", -2, HllCommands::pfcount).flags(Flag.READONLY, Flag.MAY_REPLICATE).keys(1, -1, 1).acl(Acl.HYPERLOGLOG)
            .doc("hyperloglog", "2.8.9", "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).")
            .complexity("O(1) with a very small average constant time when called with a single key. O(N) with N being the "
                + "number of keys, and much bigger constant times, when called with multiple keys.")
            .keySpec("RW because it may change the internal representation of the key, and propagate to replicas",
                "RW access", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("pfmerge", -2, HllCommands::pfmerge).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).acl(Acl.HYPERLOGLOG)
            .doc("hyperloglog", "2.8.9", "Merge N different HyperLogLogs into a single one.")
            .complexity("O(N) to merge N HyperLogLogs, but with high constant times.")
            .keySpec("RW access insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(-1, 1, 0))
            .args(arg("destkey", "key").keySpec(0),
                arg("sourcekey", "key").keySpec(1).multiple());
        t.add("pfdebug", 3, HllCommands::pfdebug).flags(Flag.WRITE, Flag.DENYOOM, Flag.ADMIN).keys(2, 2, 1)
            .acl(Acl.HYPERLOGLOG)
            .doc("hyperloglog", "2.8.9", "Internal commands for debugging HyperLogLog values")
            .complexity("N/A")
            .syscmd()
            .keySpec("RW access", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("subcommand", "string"),
                arg("key", "key").keySpec(0));
        t.add("pfselftest", 1, HllCommands::pfselftest).flags(Flag.ADMIN).acl(Acl.HYPERLOGLOG)
            .doc("hyperloglog", "2.8.9", "An internal command for testing HyperLogLog values")
            .complexity("N/A")
            .syscmd();
    }

    /** A key's HLL value, or null when missing; Redis's errors for other types and invalid strings. */
    private static byte[] hll(Entry e) {
        if (e == null) {
            return null;
        }
        if (!(e.value() instanceof byte[] v)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        if (!HyperLogLog.isValid(v)) {
            throw new CommandError(INVALID);
        }
        return v;
    }

    private static long sparseMaxBytes(CommandContext c) {
        return c.server.config().get(Settings.HLL_SPARSE_MAX_BYTES);
    }

    /** PFADD key [element ...]: 1 when a register changed (or the key was created), else 0. */
    public static void pfadd(CommandContext c) {
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        byte[] v = hll(e);
        int updated = 0;
        if (v == null) {
            v = HyperLogLog.create();
            updated++;
        }
        // A dense value the key owns is edited in place (12 KB copied per changing PFADD before).
        HyperLogLog h = new HyperLogLog(v, e == null || ks.editableInPlace(e));
        long max = sparseMaxBytes(c);
        for (int j = 2; j < c.argc; j++) {
            int r = h.add(c.argv[j], max);
            if (r < 0) {
                throw new CommandError(CORRUPTED);
            }
            updated += r;
        }
        if (updated > 0) {
            h.invalidateCache();
            if (e == null) {
                e = ks.addEditedString(c.db(), c.argv[1], h.value());
            } else {
                ks.storeEditedString(c.db(), e, h.value());
            }
            ks.notify(KeyspaceEvents.STRING, "pfadd", c.argv[1], c.db().id());
        }
        if (e != null) {
            e.stringForm(Entry.RAW); // Redis unshares the value (raw) whether or not a register grew
        }
        c.reply.integer(updated > 0 ? 1 : 0);
    }

    /** PFCOUNT key [key ...]: one key answers from (and refreshes) its cached cardinality; several are merged. */
    public static void pfcount(CommandContext c) {
        Keyspace ks = c.keyspace();
        if (c.argc > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int j = 1; j < c.argc; j++) {
                byte[] v = hll(ks.read(c.db(), c.argv[j]));
                if (v != null && !HyperLogLog.mergeInto(max, v)) {
                    throw new CommandError(CORRUPTED);
                }
            }
            c.reply.integer(HyperLogLog.count(HyperLogLog.histogramOfRegisters(max)));
            return;
        }
        Entry e = ks.read(c.db(), c.argv[1]);
        byte[] v = hll(e);
        if (v == null) {
            c.reply.integer(0);
            return;
        }
        HyperLogLog h = new HyperLogLog(v, ks.editableInPlace(e));
        e.stringForm(Entry.RAW); // Redis unshares the value (raw) to update the cache in place
        if (h.validCache()) {
            c.reply.integer(h.cachedCardinality());
            return;
        }
        int[] histogram = h.histogram();
        if (histogram == null) {
            throw new CommandError(CORRUPTED);
        }
        long card = HyperLogLog.count(histogram);
        h.cacheCardinality(card);
        ks.storeEditedString(c.db(), e, h.value());
        ks.modified(c.db(), c.argv[1]);
        c.reply.integer(card);
    }

    /** PFMERGE destkey [sourcekey ...]: the union, destkey included, stored at destkey. */
    public static void pfmerge(CommandContext c) {
        Keyspace ks = c.keyspace();
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean useDense = false;
        for (int j = 1; j < c.argc; j++) {
            byte[] v = hll(ks.read(c.db(), c.argv[j]));
            if (v == null) {
                continue;
            }
            useDense |= (v[4] & 0xff) == HyperLogLog.DENSE;
            if (!HyperLogLog.mergeInto(max, v)) {
                throw new CommandError(CORRUPTED);
            }
        }
        Database db = c.db();
        Entry e = ks.write(db, c.argv[1]);
        HyperLogLog h = new HyperLogLog(e == null ? HyperLogLog.create() : (byte[]) e.value());
        if (useDense && !h.toDense()) {
            throw new CommandError(CORRUPTED);
        }
        long sparseMax = sparseMaxBytes(c);
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0 && h.set(j, max[j], sparseMax) < 0) {
                throw new CommandError(CORRUPTED);
            }
        }
        h.invalidateCache();
        if (e == null) {
            e = ks.add(db, c.argv[1], h.value());
        } else {
            db.setValue(e, h.value());
        }
        e.stringForm(Entry.RAW);
        ks.notify(KeyspaceEvents.STRING, "pfadd", c.argv[1], db.id());
        c.reply.ok();
    }

    /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
    public static void pfdebug(CommandContext c) {
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[2]);
        if (e == null) {
            throw new CommandError("ERR The specified key does not exist");
        }
        HyperLogLog h = new HyperLogLog(hll(e));
        e.stringForm(Entry.RAW); // Redis unshares the value (raw) before any subcommand
        String sub = new String(c.argv[1], StandardCharsets.ISO_8859_1);
        switch (sub.toLowerCase(Locale.ROOT)) {
            case "getreg" -> {
                toDense(c, e, h);
                c.reply.array(HyperLogLog.REGISTERS);
                for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                    c.reply.integer(HyperLogLog.denseGet(h.b, j));
                }
            }
            case "decode" -> {
                if (h.encoding() != HyperLogLog.SPARSE) {
                    throw new CommandError("ERR HLL encoding is not sparse");
                }
                c.reply.bulk(h.decode());
            }
            case "encoding" -> c.reply.simple(h.encoding() == HyperLogLog.DENSE ? "dense" : "sparse");
            case "todense" -> c.reply.integer(toDense(c, e, h) ? 1 : 0);
            default -> throw new CommandError("ERR Unknown PFDEBUG subcommand '" + c.quoted(1) + "'");
        }
    }

    /** Converts a sparse value to dense in place (propagated, as Redis forces it); whether it converted. */
    private static boolean toDense(CommandContext c, Entry e, HyperLogLog h) {
        if (h.encoding() == HyperLogLog.DENSE) {
            return false;
        }
        if (!h.toDense()) {
            throw new CommandError(CORRUPTED);
        }
        c.db().setValue(e, h.value());
        e.stringForm(Entry.RAW);
        c.keyspace().changed();
        return true;
    }

    /** PFSELFTEST: register access, then the estimator's error on dense and sparse HLLs up to 10,000,000 elements. */
    public static void pfselftest(CommandContext c) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int cycle = 0; cycle < 1000; cycle++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expected[i] = rnd.nextInt(64);
                HyperLogLog.denseSet(dense, i, expected[i]);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int val = HyperLogLog.denseGet(dense, i);
                if (val != expected[i]) {
                    c.reply.error("TESTFAILED Register " + i + " should be " + expected[i] + " but is " + val);
                    return;
                }
            }
        }
        dense = new byte[HyperLogLog.DENSE_SIZE];
        System.arraycopy(HyperLogLog.MAGIC, 0, dense, 0, 4);
        HyperLogLog d = new HyperLogLog(dense);
        HyperLogLog s = new HyperLogLog(HyperLogLog.create());
        double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long checkpoint = 1;
        long seed = rnd.nextLong();
        long sparseMax = sparseMaxBytes(c);
        byte[] ele = new byte[8];
        for (long j = 1; j <= 10_000_000; j++) {
            long x = j ^ seed;
            for (int k = 0; k < 8; k++) {
                ele[k] = (byte) (x >>> (8 * k));
            }
            d.add(ele, sparseMax);
            s.add(ele, sparseMax);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMax / 2 && s.encoding() != HyperLogLog.SPARSE) {
                c.reply.error("TESTFAILED sparse encoding not used");
                return;
            }
            long dc = HyperLogLog.count(d.histogram());
            if (dc != HyperLogLog.count(s.histogram())) {
                c.reply.error("TESTFAILED dense/sparse disagree");
                return;
            }
            long abserr = Math.abs(checkpoint - dc);
            long maxerr = j == 10 ? 1 : (long) Math.ceil(relerr * 6 * checkpoint);
            if (abserr > maxerr) {
                c.reply.error("TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr);
                return;
            }
            checkpoint *= 10;
        }
        c.reply.ok();
    }
}
