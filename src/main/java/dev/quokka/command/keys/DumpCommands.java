package dev.quokka.command.keys;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.MigrateSockets;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.config.Settings;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.Effects;
import dev.quokka.persistence.RdbValues;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        t.add("migrate", -6, DumpCommands::migrate).flags(Flag.WRITE).keys(3, 3, 1).keyFinder(DumpCommands::migrateKeys)
            .acl(Acl.KEYSPACE, Acl.DANGEROUS)
            .doc("generic", "2.6.0", "Atomically transfer a key from a Redis instance to another one.")
            .complexity("This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target "
                + "instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the "
                + "two instances is performed.")
            .tips("nondeterministic_output")
            .keySpec("RW access delete", KeySpec.index(3), KeySpec.range(0, 1, 0))
            .keySpec("RW access delete incomplete", KeySpec.keyword("KEYS", -2), KeySpec.range(-1, 1, 0))
            .args(arg("host", "string"),
                arg("port", "integer"),
                arg("key_or_empty_string", "oneof").of(
                    arg("key", "key").keySpec(0),
                    arg("empty_string", "pure-token").token("")),
                arg("destination-db", "integer"),
                arg("timeout", "integer"),
                arg("copy", "pure-token").token("COPY").since("3.0.0").optional(),
                arg("replace", "pure-token").token("REPLACE").since("3.0.0").optional(),
                arg("authentication", "oneof").optional().of(
                    arg("password", "string").token("AUTH").since("4.0.7").optional(),
                    arg("username_password", "block").token("AUTH2").since("6.0.0").optional().of(
                        arg("username", "string"),
                        arg("password", "string"))),
                arg("key", "key").keySpec(1).token("KEYS").since("3.0.6").optional().multiple())
            .history("3.0.0", "Added the `COPY` and `REPLACE` options.")
            .history("3.0.6", "Added the `KEYS` option.")
            .history("4.0.7", "Added the `AUTH` option.")
            .history("6.0.0", "Added the `AUTH2` option.");
    }

    /**
     * The keys after KEYS, beside the key argument the legacy range declares (migrateGetKeys; none
     * when the key argument is not empty, a syntax error MIGRATE reports).
     */
    private static void migrateKeys(byte[][] argv, int argc, java.util.List<Integer> out) {
        for (int i = 6; i < argc; i++) {
            String a = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1);
            if (a.equalsIgnoreCase("keys")) {
                if (argv[3].length == 0) {
                    for (int k = i + 1; k < argc; k++) {
                        out.add(k);
                    }
                }
                return;
            }
            if (a.equalsIgnoreCase("auth")) {
                i += 1;
            } else if (a.equalsIgnoreCase("auth2")) {
                i += 2;
            }
        }
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

    /**
     * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username
     * password] [KEYS key ...] (Redis's migrateCommand): sends AUTH, SELECT and a RESTORE per key to
     * the target on a cached connection, reads the replies, and unless COPY deletes the keys the
     * target took (propagated as DEL). A broken cached connection is retried once on a new one.
     */
    public static void migrate(CommandContext c) {
        boolean copy = false;
        boolean replace = false;
        byte[] username = null;
        byte[] password = null;
        int firstKey = 3;
        int numKeys = 1;
        for (int j = 6; j < c.argc; j++) {
            int more = c.argc - 1 - j;
            if (c.argIs(j, "COPY")) {
                copy = true;
            } else if (c.argIs(j, "REPLACE")) {
                replace = true;
            } else if (c.argIs(j, "AUTH")) {
                if (more < 1) {
                    throw new CommandError(Errors.SYNTAX);
                }
                password = c.argv[++j];
            } else if (c.argIs(j, "AUTH2")) {
                if (more < 2) {
                    throw new CommandError(Errors.SYNTAX);
                }
                username = c.argv[++j];
                password = c.argv[++j];
            } else if (c.argIs(j, "KEYS")) {
                if (c.argv[3].length != 0) {
                    throw new CommandError("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                firstKey = j + 1;
                numKeys = c.argc - j - 1;
                break;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        long timeout = Args.longArg(c, 5);
        long dbid = Args.longArg(c, 4);
        if (timeout <= 0) {
            timeout = 1000;
        }
        Keyspace ks = c.keyspace();
        Database db = c.db();
        List<byte[]> keys = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (int j = 0; j < numKeys; j++) {
            Entry e = ks.read(db, c.argv[firstKey + j]);
            if (e != null) {
                keys.add(c.argv[firstKey + j]);
                entries.add(e);
            }
        }
        if (keys.isEmpty()) {
            c.reply.simple("NOKEY");
            return;
        }
        String host = c.arg(1);
        int port = (int) Args.longArg(c, 2);
        boolean compress = c.server.config().get(Settings.RDBCOMPRESSION);
        MigrateSockets sockets = c.server.migrateSockets();
        for (int attempt = 0; ; attempt++) {
            MigrateSockets.Conn conn;
            try {
                conn = sockets.get(host, port, timeout);
            } catch (IOException e) {
                c.reply.error("IOERR error or timeout connecting to the client");
                return;
            }
            ByteArrayOutputStream cmd = new ByteArrayOutputStream();
            if (password != null) {
                bulkCount(cmd, username != null ? 3 : 2);
                bulk(cmd, Effects.ascii("AUTH"));
                if (username != null) {
                    bulk(cmd, username);
                }
                bulk(cmd, password);
            }
            boolean select = conn.lastDb != dbid;
            if (select) {
                bulkCount(cmd, 2);
                bulk(cmd, Effects.ascii("SELECT"));
                bulk(cmd, Effects.number(dbid));
            }
            List<byte[]> sent = new ArrayList<>();
            for (int j = 0; j < keys.size(); j++) {
                Entry e = entries.get(j);
                long ttl = 0;
                if (e.hasExpire()) {
                    ttl = e.expireAt() - System.currentTimeMillis();
                    if (ttl < 0) {
                        continue;
                    }
                    ttl = Math.max(ttl, 1);
                }
                sent.add(keys.get(j));
                bulkCount(cmd, replace ? 5 : 4);
                bulk(cmd, Effects.ascii("RESTORE"));
                bulk(cmd, keys.get(j));
                bulk(cmd, Effects.number(ttl));
                bulk(cmd, RdbValues.dump(e.value(), compress));
                if (replace) {
                    bulk(cmd, Effects.ascii("REPLACE"));
                }
            }
            boolean writing = true;
            try {
                conn.write(cmd.toByteArray(), timeout);
                writing = false;
                String authReply = password != null ? conn.readLine(timeout) : null;
                String selectReply = select ? conn.readLine(timeout) : null;
                String error = null;
                List<byte[]> deleted = new ArrayList<>();
                IOException socketError = null;
                int read = 0;
                for (byte[] key : sent) {
                    String r;
                    try {
                        r = conn.readLine(timeout);
                    } catch (IOException ioe) {
                        socketError = ioe;
                        break;
                    }
                    read++;
                    if (authReply != null && authReply.startsWith("-") || selectReply != null && selectReply.startsWith("-")
                        || r.startsWith("-")) {
                        if (error == null) {
                            conn.lastDb = -1;
                            error = authReply != null && authReply.startsWith("-") ? authReply
                                : selectReply != null && selectReply.startsWith("-") ? selectReply : r;
                        }
                    } else if (!copy) {
                        if (db.remove(key) != null) {
                            ks.notify(KeyspaceEvents.GENERIC, "del", key, db.id());
                        }
                        deleted.add(key);
                    }
                }
                if (socketError != null && error == null && read == 0 && attempt == 0
                    && !(socketError instanceof java.net.SocketTimeoutException)) {
                    throw socketError; // nothing processed: retry once on a new connection
                }
                if (socketError != null) {
                    sockets.close(host, port);
                }
                if (!deleted.isEmpty()) {
                    byte[][] del = new byte[deleted.size() + 1][];
                    del[0] = Effects.ascii("DEL");
                    for (int k = 0; k < deleted.size(); k++) {
                        del[k + 1] = deleted.get(k);
                    }
                    c.propagateAs = del;
                }
                if (error != null) {
                    c.reply.error("ERR Target instance replied with error: " + error.substring(1));
                } else if (socketError != null) {
                    c.reply.error("IOERR error or timeout reading to target instance");
                } else {
                    conn.lastDb = dbid;
                    c.reply.ok();
                }
                return;
            } catch (IOException e) {
                sockets.close(host, port);
                if (attempt == 0 && !(e instanceof java.net.SocketTimeoutException)) {
                    continue;
                }
                c.reply.error("IOERR error or timeout " + (writing ? "writing" : "reading") + " to target instance");
                return;
            }
        }
    }

    private static void bulkCount(ByteArrayOutputStream out, int n) {
        out.writeBytes(("*" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void bulk(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        out.writeBytes(CRLF);
    }

    private static final byte[] CRLF = {'\r', '\n'};
}
