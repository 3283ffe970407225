package dev.quokka.command.keys;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
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
import dev.quokka.persistence.Effects;
import dev.quokka.persistence.RdbValues;

import java.util.Arrays;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * DUMP and RESTORE (Redis's cluster.c): a value in RDB's object format with the RDB version and a
 * CRC64 ({@link RdbValues}), so payloads move between Quokka and redis-server both ways.
 */
public final class DumpCommands {
    private DumpCommands() {
    }

    /** Declares DUMP and RESTORE: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("dump", 2, DumpCommands::dump).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "2.6.0", "Return a serialized version of the value stored at the specified key.")
            .complexity("O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).")
            .tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("restore", -4, DumpCommands::restore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.KEYSPACE, Acl.DANGEROUS)
            .doc("generic", "2.6.0", "Create a key using the provided serialized value, previously obtained using DUMP.")
            .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("ttl", "integer"),
                arg("serialized-value", "string"),
                arg("replace", "pure-token").token("REPLACE").since("3.0.0").optional(),
                arg("absttl", "pure-token").token("ABSTTL").since("5.0.0").optional(),
                arg("seconds", "integer").token("IDLETIME").since("5.0.0").optional(),
                arg("frequency", "integer").token("FREQ").since("5.0.0").optional())
            .history("3.0.0", "Added the `REPLACE` modifier.")
            .history("5.0.0", "Added the `ABSTTL` modifier.")
            .history("5.0.0", "Added the `IDLETIME` and `FREQ` options.");
    }

    /** DUMP key */
    public static void dump(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.bulk(RdbValues.dump(e.value(), c.server.config().get(Settings.RDBCOMPRESSION)));
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
    public static void restore(CommandContext c) {
        boolean replace = false;
        boolean absttl = false;
        long freq = -1;
        long idle = -1;
        for (int j = 4; j < c.argc; j++) {
            boolean more = c.argc - j - 1 >= 1;
            if (c.argIs(j, "REPLACE")) {
                replace = true;
            } else if (c.argIs(j, "ABSTTL")) {
                absttl = true;
            } else if (c.argIs(j, "IDLETIME") && more && freq == -1) {
                idle = Args.longArg(c, ++j);
                if (idle < 0) {
                    throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (c.argIs(j, "FREQ") && more && idle == -1) {
                freq = Args.longArg(c, ++j);
                if (freq < 0 || freq > 255) {
                    throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        Keyspace ks = c.keyspace();
        Database db = c.db();
        byte[] key = c.argv[1];
        if (!replace && ks.write(db, key) != null) {
            throw new CommandError("BUSYKEY Target key name already exists.");
        }
        long ttl = Args.longArg(c, 2);
        if (ttl < 0) {
            throw new CommandError("ERR Invalid TTL value, must be >= 0");
        }
        byte[] payload = c.argv[3];
        if (!RdbValues.verify(payload)) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        Object value;
        try {
            value = RdbValues.restore(payload, ks);
        } catch (IllegalArgumentException | IndexOutOfBoundsException bad) {
            throw new CommandError("ERR Bad data format");
        }
        boolean deleted = replace && ks.write(db, key) != null && db.remove(key) != null;
        if (ttl != 0 && !absttl) {
            ttl += ks.now();
        }
        if (ttl != 0 && ttl <= ks.now() && !ks.loading()) {
            if (deleted) {
                c.propagateAs = Effects.del(key);
                ks.notify(KeyspaceEvents.GENERIC, "del", key, db.id());
            }
            c.reply.ok();
            return;
        }
        Entry e = ks.add(db, key, value);
        if (ttl != 0) {
            db.setExpire(e, ttl);
            if (!absttl) {
                byte[][] effect = Arrays.copyOf(c.argv, c.argc + 1);
                effect[2] = Effects.number(ttl);
                effect[c.argc] = Effects.ABSTTL;
                c.propagateAs = effect;
            }
        }
        ks.restoreAccess(e, freq, idle);
        ks.notify(KeyspaceEvents.GENERIC, "restore", key, db.id());
        c.reply.ok();
    }
}
