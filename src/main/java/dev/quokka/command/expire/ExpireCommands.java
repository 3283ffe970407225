package dev.quokka.command.expire;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.Effects;

import java.util.Arrays;

import static dev.quokka.command.ArgumentDoc.arg;

/** The expire family (Redis's {@code expire.c}): EXPIRE and its relatives, TTL and its relatives, PERSIST. */
public final class ExpireCommands {
    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;

    private ExpireCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("expire", -3, ExpireCommands::expire).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Set a key's time to live in seconds").complexity("O(1)")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("seconds", "integer"),
                arg("condition", "oneof").since("7.0.0").optional().of(
                    arg("nx", "pure-token").token("NX"),
                    arg("xx", "pure-token").token("XX"),
                    arg("gt", "pure-token").token("GT"),
                    arg("lt", "pure-token").token("LT")))
            .history("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.");
        t.add("pexpire", -3, ExpireCommands::pexpire).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "2.6.0", "Set a key's time to live in milliseconds").complexity("O(1)")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("milliseconds", "integer"),
                arg("condition", "oneof").since("7.0.0").optional().of(
                    arg("nx", "pure-token").token("NX"),
                    arg("xx", "pure-token").token("XX"),
                    arg("gt", "pure-token").token("GT"),
                    arg("lt", "pure-token").token("LT")))
            .history("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.");
        t.add("expireat", -3, ExpireCommands::expireat).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.2.0", "Set the expiration for a key as a UNIX timestamp").complexity("O(1)")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("unix-time-seconds", "unix-time"),
                arg("condition", "oneof").since("7.0.0").optional().of(
                    arg("nx", "pure-token").token("NX"),
                    arg("xx", "pure-token").token("XX"),
                    arg("gt", "pure-token").token("GT"),
                    arg("lt", "pure-token").token("LT")))
            .history("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.");
        t.add("pexpireat", -3, ExpireCommands::pexpireat).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "2.6.0", "Set the expiration for a key as a UNIX timestamp specified in milliseconds").complexity("O(1)")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("unix-time-milliseconds", "unix-time"),
                arg("condition", "oneof").since("7.0.0").optional().of(
                    arg("nx", "pure-token").token("NX"),
                    arg("xx", "pure-token").token("XX"),
                    arg("gt", "pure-token").token("GT"),
                    arg("lt", "pure-token").token("LT")))
            .history("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.");
        t.add("ttl", 2, ExpireCommands::ttl).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Get the time to live for a key in seconds").complexity("O(1)").tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0))
            .history("2.8.0", "Added the -2 reply.");
        t.add("pttl", 2, ExpireCommands::pttl).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "2.6.0", "Get the time to live for a key in milliseconds").complexity("O(1)").tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0))
            .history("2.8.0", "Added the -2 reply.");
        t.add("expiretime", 2, ExpireCommands::expiretime).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "7.0.0", "Get the expiration Unix timestamp for a key").complexity("O(1)")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("pexpiretime", 2, ExpireCommands::pexpiretime).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "7.0.0", "Get the expiration Unix timestamp for a key in milliseconds").complexity("O(1)")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("persist", 2, ExpireCommands::persist).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "2.2.0", "Remove the expiration from a key").complexity("O(1)")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
    }

    /** EXPIRE key seconds [NX | XX | GT | LT] */
    public static void expire(CommandContext c) {
        expireGeneric(c, c.keyspace().now(), true);
    }

    /** PEXPIRE key milliseconds [NX | XX | GT | LT] */
    public static void pexpire(CommandContext c) {
        expireGeneric(c, c.keyspace().now(), false);
    }

    /** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
    public static void expireat(CommandContext c) {
        expireGeneric(c, 0, true);
    }

    /** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
    public static void pexpireat(CommandContext c) {
        expireGeneric(c, 0, false);
    }

    /**
     * Redis's {@code expireGenericCommand}: options are checked before the number; a time in the
     * past deletes the key (and still answers 1).
     */
    private static void expireGeneric(CommandContext c, long base, boolean seconds) {
        int flags = 0;
        for (int j = 3; j < c.argc; j++) {
            if (c.argIs(j, "NX")) {
                flags |= NX;
            } else if (c.argIs(j, "XX")) {
                flags |= XX;
            } else if (c.argIs(j, "GT")) {
                flags |= GT;
            } else if (c.argIs(j, "LT")) {
                flags |= LT;
            } else {
                c.reply.error("ERR Unsupported option " + c.quoted(j));
                return;
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            c.reply.error("ERR GT and LT options at the same time are not compatible");
            return;
        }
        long when = Args.longArg(c, 2);
        String name = c.arg(0).toLowerCase();
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                c.reply.error(Errors.invalidExpire(name));
                return;
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - base) {
            c.reply.error(Errors.invalidExpire(name));
            return;
        }
        when += base;
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        if (flags != 0) {
            long current = e.expireAt();
            boolean has = current != Entry.NO_EXPIRE;
            if ((flags & NX) != 0 && has
                || (flags & XX) != 0 && !has
                || (flags & GT) != 0 && (!has || when <= current)
                || (flags & LT) != 0 && has && when >= current) {
                c.reply.integer(0);
                return;
            }
        }
        if (when <= ks.now() && !ks.loading()) {
            c.db().remove(c.argv[1]);
            ks.countExpired();
            ks.notify(KeyspaceEvents.GENERIC, "del", c.argv[1], c.db().id());
            c.propagateAs = Effects.del(c.argv[1]);
        } else {
            c.db().setExpire(e, when);
            ks.notify(KeyspaceEvents.GENERIC, "expire", c.argv[1], c.db().id());
            // Persisted as PEXPIREAT with the absolute time; NX/XX/GT/LT are kept, as Redis keeps them.
            byte[][] effect = Arrays.copyOf(c.argv, c.argc);
            if (!c.argIs(0, "PEXPIREAT")) {
                effect[0] = Effects.PEXPIREAT;
            }
            effect[2] = Effects.number(when);
            c.propagateAs = effect;
        }
        c.reply.integer(1);
    }

    /** TTL key */
    public static void ttl(CommandContext c) {
        ttlGeneric(c, false, false);
    }

    /** PTTL key */
    public static void pttl(CommandContext c) {
        ttlGeneric(c, true, false);
    }

    /** EXPIRETIME key */
    public static void expiretime(CommandContext c) {
        ttlGeneric(c, false, true);
    }

    /** PEXPIRETIME key */
    public static void pexpiretime(CommandContext c) {
        ttlGeneric(c, true, true);
    }

    /** Redis's {@code ttlGenericCommand}: -2 for no key, -1 for no TTL; seconds are rounded. */
    private static void ttlGeneric(CommandContext c, boolean ms, boolean absolute) {
        Keyspace ks = c.keyspace();
        Entry e = ks.peek(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(-2);
            return;
        }
        if (!e.hasExpire()) {
            c.reply.integer(-1);
            return;
        }
        long ttl = absolute ? e.expireAt() : e.expireAt() - ks.now();
        if (ttl < 0) {
            ttl = 0;
        }
        c.reply.integer(ms ? ttl : (ttl + 500) / 1000);
    }

    /** PERSIST key */
    public static void persist(CommandContext c) {
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        boolean removed = e != null && c.db().clearExpire(e);
        if (removed) {
            c.keyspace().notify(KeyspaceEvents.GENERIC, "persist", c.argv[1], c.db().id());
        }
        c.reply.integer(removed ? 1 : 0);
    }
}
