package dev.quokka.command.admin;

import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.command.CommandError;
import dev.quokka.command.keys.KeyCommands;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.config.Memory;
import dev.quokka.config.Settings;
import dev.quokka.keyspace.Collection;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.HashValue;
import dev.quokka.keyspace.Glob;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.ListValue;
import dev.quokka.keyspace.SetValue;
import dev.quokka.keyspace.StreamId;
import dev.quokka.keyspace.StreamValue;
import dev.quokka.keyspace.ZSetValue;
import dev.quokka.persistence.AofLoader;
import dev.quokka.persistence.AppendOnlyFile;
import dev.quokka.persistence.Manifest;
import dev.quokka.persistence.RdbFile;
import dev.quokka.persistence.RdbSaves;
import dev.quokka.persistence.RdbValues;
import dev.quokka.protocol.Numbers;
import org.jboss.logging.Logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * DEBUG (Redis's {@code debug.c}), allowed by {@code enable-debug-command} ({@code yes}, or
 * {@code local} for loopback clients) as in Redis 7.0. The subcommands built are those Redis's
 * test suite and client test suites use; DIGEST and DIGEST-VALUE compute Redis's own SHA1 mix, so
 * the same dataset has the same digest on redis-server and on Quokka.
 */
public final class DebugCommand {
    private static final Logger LOG = Logger.getLogger(DebugCommand.class);

    private DebugCommand() {
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the RDB file, empties the dataset (keys and
     * function libraries) and loads the file back, all on the keyspace context.
     */
    private static void reload(CommandContext c) {
        boolean flush = true;
        boolean save = true;
        boolean merge = false;
        for (int j = 2; j < c.argc; j++) {
            if (c.argIs(j, "MERGE")) {
                merge = true;
            } else if (c.argIs(j, "NOFLUSH")) {
                flush = false;
            } else if (c.argIs(j, "NOSAVE")) {
                save = false;
            } else {
                c.reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        RdbSaves rdb = c.server.rdb();
        if (save && rdb.save() != null) {
            c.reply.error("ERR");
            return;
        }
        if (flush) {
            KeyCommands.emptyData(c);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(rdb.path()), 1 << 16)) {
            c.server.loadRdb(in, merge, flush, true);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("DEBUG RELOAD: %s", e.getMessage());
            c.reply.error("ERR Error trying to load the RDB dump");
            return;
        }
        LOG.warn("DB reloaded by DEBUG RELOAD");
        c.reply.ok();
    }

    /**
     * DEBUG LOADAOF: writes what the AOF buffer holds, empties the dataset and replays the AOF
     * files of the manifest on disk, here on the keyspace context; nothing of it is propagated.
     */
    private static void loadaof(CommandContext c) {
        AppendOnlyFile aof = c.server.aof();
        if (aof.state() != AppendOnlyFile.State.OFF) {
            aof.turnEnd();
        }
        KeyCommands.emptyData(c);
        if (c.server.scriptingIfStarted() != null) {
            c.server.scripting().functions().reload(List.of());
        }
        Keyspace ks = c.keyspace();
        CommandContext replay = c.server.loadingContext();
        ks.loading(true);
        try {
            Manifest m = aof.readManifest();
            if (m != null) {
                new AofLoader(aof.dir(), ks, aof.loadTruncated(),
                    argv -> c.server.commands().resolve(argv, argv.length) != null).load(m, new AofLoader.Applier() {
                        @Override
                        public void apply(List<byte[][]> batch) {
                            for (byte[][] argv : batch) {
                                c.server.dispatcher().replay(replay, argv);
                            }
                        }

                        @Override
                        public void records(List<RdbFile.Record> batch, boolean dropExpired) {
                            for (RdbFile.Record r : batch) {
                                RdbFile.install(ks, r, dropExpired);
                            }
                            ks.settle();
                        }

                        @Override
                        public void await() {
                        }
                    });
            }
        } catch (IOException | InterruptedException e) {
            LOG.errorf("DEBUG LOADAOF: %s", e.getMessage());
            c.reply.error("ERR Error trying to load the AOF files: " + e.getMessage());
            return;
        } finally {
            ks.loading(false);
            c.propagateNothing = true; // as Redis's server.dirty = 0: the files already hold it
        }
        LOG.warn("Append Only File loaded by DEBUG LOADAOF");
        c.reply.ok();
    }

    /** DEBUG subcommand [arg ...] */
    public static void debug(CommandContext c) {
        String sub = c.arg(1).toLowerCase(Locale.ROOT);
        int argc = c.argc;
        switch (sub) {
            case "help" -> help(c);
            case "reload" -> reload(c);
            case "loadaof" -> loadaof(c);
            case "sleep" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                double seconds = strtod(c.argv[2]);
                long micros = (long) (seconds * 1_000_000);
                if (micros > 0) {
                    // Like Redis, the whole server stops: the keyspace context sleeps.
                    LockSupport.parkNanos(micros * 1000);
                }
                c.reply.ok();
            }
            case "set-active-expire" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                c.keyspace().activeExpire(atoi(c.argv[2]) != 0);
                c.reply.ok();
            }
            case "pause-cron" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                c.keyspace().cronPaused(atoi(c.argv[2]) != 0);
                c.reply.ok();
            }
            case "object" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                object(c);
            }
            case "digest" -> {
                if (argc != 2) {
                    syntax(c);
                    return;
                }
                c.reply.simple(HexFormat.of().formatHex(datasetDigest(c.keyspace())));
            }
            case "digest-value" -> {
                if (argc < 2) {
                    syntax(c);
                    return;
                }
                c.reply.array(argc - 2);
                for (int j = 2; j < argc; j++) {
                    byte[] digest = new byte[20];
                    Entry e = c.keyspace().peek(c.db(), c.argv[j]);
                    if (e != null) {
                        valueDigest(digest, e);
                    }
                    c.reply.simple(HexFormat.of().formatHex(digest));
                }
            }
            case "populate" -> {
                if (argc < 3 || argc > 5) {
                    syntax(c);
                    return;
                }
                populate(c);
            }
            case "protocol" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                protocol(c);
            }
            case "log" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                LOG.warnf("DEBUG LOG: %s", c.arg(2));
                c.reply.ok();
            }
            case "error" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                c.reply.error(c.quoted(2).replace('\n', ' ').replace('\r', ' '));
            }
            case "config-rewrite-force-all" -> {
                if (argc != 2) {
                    syntax(c);
                    return;
                }
                java.nio.file.Path file = dev.quokka.config.LaunchArguments.configFile();
                try {
                    if (file == null) {
                        throw new java.io.IOException("No such file or directory");
                    }
                    dev.quokka.config.ConfigFile.rewrite(file, c.server.config(), true, ConfigCommands.userLines(c));
                    c.reply.ok();
                } catch (java.io.IOException e) {
                    c.reply.error("ERR CONFIG-REWRITE-FORCE-ALL failed: " + e.getMessage());
                }
            }
            case "replicate" -> {
                if (argc < 3) {
                    syntax(c);
                    return;
                }
                c.server.primary().replicateAsIs(java.util.Arrays.copyOfRange(c.argv, 2, argc));
                c.reply.ok();
            }
            case "change-repl-id" -> {
                if (argc != 2) {
                    syntax(c);
                    return;
                }
                LOG.warn("Changing replication IDs after receiving DEBUG change-repl-id");
                c.server.primary().changeReplicationId();
                c.reply.ok();
            }
            case "quicklist-packed-threshold" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                // Quokka's lists have no packed/plain nodes: the value is checked as Redis checks it, and has no effect.
                long size = Memory.parse(c.arg(2));
                if (size < 0 || size > (1L << 32) - (1 << 20)) {
                    c.reply.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
                    return;
                }
                c.reply.ok();
            }
            case "set-skip-checksum-validation" -> {
                if (argc != 3) {
                    syntax(c);
                    return;
                }
                // There is no RDB or RESTORE payload to validate yet: accepted, without effect.
                c.reply.ok();
            }
            case "listpack", "quicklist" -> {
                if (argc != 3 && !(sub.equals("quicklist") && argc == 4)) {
                    syntax(c);
                    return;
                }
                Entry e = c.keyspace().peek(c.db(), c.argv[2]);
                if (e == null) {
                    c.reply.error("ERR no such key");
                    return;
                }
                String encoding = e.value() instanceof Collection col ? col.encoding() : "raw";
                if (!encoding.equals(sub)) {
                    c.reply.error("ERR Not a " + sub + " encoded object.");
                    return;
                }
                LOG.infof("DEBUG %s %s: %s with %d elements", sub.toUpperCase(Locale.ROOT), c.arg(2), encoding,
                    ((Collection) e.value()).size());
                c.reply.simple(sub.equals("listpack") ? "Listpack structure printed on stdout"
                    : "Quicklist structure printed on stdout");
            }
            case "stringmatch-test" -> {
                if (argc != 2) {
                    syntax(c);
                    return;
                }
                stringMatchFuzz();
                c.reply.simple("Apparently Redis did not crash: test passed");
            }
            case "replybuffer" -> {
                if (argc != 4) {
                    syntax(c);
                    return;
                }
                // Quokka sizes reply buffers per batch; the settings are checked and have no effect.
                if (c.argIs(2, "peak-reset-time")) {
                    if (!c.argIs(3, "never") && !c.argIs(3, "reset")) {
                        Args.longArg(c, 3);
                    }
                } else if (!c.argIs(2, "resizing")) {
                    syntax(c);
                    return;
                }
                c.reply.ok();
            }
            default -> syntax(c);
        }
    }

    private static void syntax(CommandContext c) {
        c.reply.error(Errors.subcommandSyntax(c));
    }

    /** C's atoi: leading blanks, a sign, digits; 0 when none. */
    private static int atoi(byte[] b) {
        int i = 0;
        while (i < b.length && Character.isWhitespace(b[i])) {
            i++;
        }
        boolean negative = i < b.length && b[i] == '-';
        if (i < b.length && (b[i] == '-' || b[i] == '+')) {
            i++;
        }
        long v = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && v < Integer.MAX_VALUE) {
            v = v * 10 + (b[i++] - '0');
        }
        return (int) (negative ? -v : v);
    }

    /** C's strtod without an end check: the longest leading number, 0 when none. */
    private static double strtod(byte[] b) {
        // Numbers.parseDouble takes at most 400 characters: longer prefixes are never a number, so
        // only the first 400 are looked at (a huge argument costs neither a copy nor quadratic time).
        String s = new String(b, 0, Math.min(b.length, 512), StandardCharsets.ISO_8859_1).trim();
        for (int end = Math.min(s.length(), 400); end > 0; end--) {
            double d = Numbers.parseDouble(s.substring(0, end).getBytes(StandardCharsets.ISO_8859_1));
            if (!Double.isNaN(d)) {
                return d;
            }
        }
        return 0;
    }

    /** DEBUG POPULATE count [prefix] [size]: string keys prefix:N holding value:N, zero-padded or cut to size. */
    private static void populate(CommandContext c) {
        long count = positive(c, 2);
        long size = c.argc == 5 ? positive(c, 4) : 0;
        String prefix = c.argc >= 4 ? c.arg(3) : "key";
        Keyspace ks = c.keyspace();
        Database db = c.db();
        for (long j = 0; j < count; j++) {
            byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.ISO_8859_1);
            if (ks.write(db, key) != null) {
                continue;
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = size == 0 ? text : java.util.Arrays.copyOf(text, (int) size);
            ks.add(db, key, value);
        }
        c.reply.ok();
    }

    private static long positive(CommandContext c, int i) {
        long v = Numbers.parseLong(c.argv[i]);
        if ((v == Numbers.INVALID && !Numbers.isLong(c.argv[i])) || v < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        return v;
    }

    /** DEBUG PROTOCOL type: a sample reply of each RESP type. */
    private static void protocol(CommandContext c) {
        String name = c.arg(2).toLowerCase(Locale.ROOT);
        switch (name) {
            case "string" -> c.reply.bulk("Hello World");
            case "integer" -> c.reply.integer(12345);
            case "double" -> c.reply.dbl(3.141);
            case "bignum" -> c.reply.bigNumber("1234567999999999999999999999999999999");
            case "null" -> c.reply.nullBulk();
            case "array", "set" -> {
                if (name.equals("array")) {
                    c.reply.array(3);
                } else {
                    c.reply.set(3);
                }
                for (int j = 0; j < 3; j++) {
                    c.reply.integer(j);
                }
            }
            case "map" -> {
                c.reply.map(3);
                for (int j = 0; j < 3; j++) {
                    c.reply.integer(j);
                    c.reply.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (c.reply.resp() >= 3) {
                    c.reply.attribute(1);
                    c.reply.bulk("key-popularity");
                    c.reply.array(2);
                    c.reply.bulk("key:123");
                    c.reply.integer(90);
                }
                c.reply.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (c.reply.resp() < 3) {
                    c.reply.error("ERR RESP2 is not supported by this command");
                    return;
                }
                c.reply.push(2);
                c.reply.bulk("server-cpu-usage");
                c.reply.integer(42);
                c.reply.bulk("Some real reply following the push reply");
            }
            case "true" -> c.reply.bool(true);
            case "false" -> c.reply.bool(false);
            case "verbatim" -> c.reply.verbatim("This is a verbatim\nstring");
            default -> c.reply.error("ERR Wrong protocol type name. Please use one of the following: "
                + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    // ---- Redis's dataset digest (debug.c): SHA1 mixing, the same on redis-server ----

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Redis's xorDigest: digest ^= SHA1(data). */
    private static void xor(byte[] digest, byte[] data) {
        byte[] h = sha1().digest(data);
        for (int j = 0; j < 20; j++) {
            digest[j] ^= h[j];
        }
    }

    /** Redis's mixDigest: xor in SHA1(data), then digest = SHA1(digest). */
    private static void mix(byte[] digest, byte[] data) {
        xor(digest, data);
        System.arraycopy(sha1().digest(digest), 0, digest, 0, 20);
    }

    static byte[] datasetDigest(Keyspace ks) {
        byte[] result = new byte[20];
        for (int j = 0; j < ks.databases(); j++) {
            Database db = ks.db(j);
            if (db.size() == 0) {
                continue;
            }
            mix(result, ByteBuffer.allocate(4).putInt(j).array());
            for (Entry e : db.snapshot()) {
                if (e == null || ks.isExpired(e)) {
                    continue;
                }
                byte[] digest = new byte[20];
                mix(digest, e.key());
                valueDigest(digest, e);
                xor(result, digest);
            }
        }
        return result;
    }

    /** Redis's xorObjectDigest: the type, the value as its type mixes it, and the expire's mark. */
    private static void valueDigest(byte[] digest, Entry e) {
        Object v = e.value();
        int type = v instanceof byte[] ? 0 : v instanceof ListValue ? 1 : v instanceof SetValue ? 2
            : v instanceof ZSetValue ? 3 : v instanceof StreamValue ? 6 : 4;
        mix(digest, ByteBuffer.allocate(4).putInt(type).array());
        if (v instanceof byte[] s) {
            mix(digest, s);
        } else if (v instanceof ListValue l) {
            l.forEach(m -> mix(digest, m));
        } else if (v instanceof SetValue s) {
            s.forEach(m -> xor(digest, m));
        } else if (v instanceof ZSetValue z) {
            z.range(0, z.size() - 1, false, (m, score) -> {
                byte[] element = new byte[20];
                mix(element, m);
                mix(element, Numbers.formatDouble(score).getBytes(StandardCharsets.US_ASCII));
                xor(digest, element);
            });
        } else if (v instanceof StreamValue st) {
            StreamValue.Cursor cur = st.cursor(StreamId.MIN, StreamId.MAX, false);
            while (cur.next()) {
                mix(digest, (Long.toUnsignedString(cur.ms) + "." + Long.toUnsignedString(cur.seq))
                    .getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < cur.fieldCount(); i++) {
                    mix(digest, cur.field(i));
                    mix(digest, cur.value(i));
                }
            }
        } else if (v instanceof HashValue h) {
            h.forEach((f, val) -> {
                byte[] element = new byte[20];
                mix(element, f);
                mix(element, val);
                xor(digest, element);
            });
        }
        if (e.hasExpire()) {
            xor(digest, "!!expire!!".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * DEBUG OBJECT key: where the value is (its identity), refcount, encoding, the length of its RDB
     * serialization, its access field and idle seconds, and for a list the quicklist's shape.
     */
    private static void object(CommandContext c) {
        Entry e = c.db().find(c.argv[2]);
        if (e == null) {
            c.reply.error(dev.quokka.command.Errors.NO_SUCH_KEY);
            return;
        }
        Object v = e.value();
        long serialized = RdbValues.serializedLength(v, c.server.config().get(Settings.RDBCOMPRESSION));
        StringBuilder sb = new StringBuilder();
        sb.append("Value at:0x7f").append(String.format("%010x", System.identityHashCode(v) & 0xffffffffL))
            .append(" refcount:").append(ObjectCommands.shared(c, v) ? Integer.MAX_VALUE : 1)
            .append(" encoding:").append(dev.quokka.keyspace.ValueTypes.encoding(e))
            .append(" serializedlength:").append(serialized)
            .append(" lru:").append(e.lru() & 0xFFFFFF) // Redis's 24-bit LRU clock
            .append(" lru_seconds_idle:").append(Math.max(0, c.keyspace().now() / 1000 - e.lru()));
        if (v instanceof ListValue l) {
            long[] shape = RdbValues.quicklistShape(l);
            sb.append(" ql_nodes:").append(shape[0])
                .append(" ql_avg_node:").append(String.format(Locale.ROOT, "%.2f", (double) l.size() / shape[0]))
                .append(" ql_listpack_max:").append(c.server.config().get(Settings.LIST_MAX_LISTPACK_SIZE))
                .append(" ql_compressed:").append(c.server.config().get(Settings.LIST_COMPRESS_DEPTH) != 0 ? 1 : 0)
                .append(" ql_uncompressed_size:").append(shape[1]);
        }
        c.reply.simple(sb.toString());
    }

    /** Random patterns and strings through the glob matcher: it must neither fail nor hang. */
    private static void stringMatchFuzz() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        byte[] alphabet = "abc*?[]^-\\\u0000".getBytes(StandardCharsets.ISO_8859_1);
        for (int cycle = 0; cycle < 100_000; cycle++) {
            byte[] pattern = new byte[rnd.nextInt(64)];
            byte[] string = new byte[rnd.nextInt(64)];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            for (int i = 0; i < string.length; i++) {
                string[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            Glob.match(pattern, string, rnd.nextBoolean());
        }
    }

    private static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANGE-REPL-ID",
            "    Change the replication IDs of the instance.",
            "    Dangerous: should be used only for testing the replication subsystem.",
            "CONFIG-REWRITE-FORCE-ALL",
            "    Like CONFIG REWRITE but writes all configuration options, including",
            "    keywords not listed in original configuration file or default values.",
            "DIGEST",
            "    Output a hex signature representing the current DB content.",
            "DIGEST-VALUE <key> [<key> ...]",
            "    Output a hex signature of the values of all the specified keys.",
            "ERROR <string>",
            "    Return a Redis protocol error with <string> as message. Useful for clients",
            "    unit tests to simulate Redis errors.",
            "LOG <message>",
            "    Write <message> to the server log.",
            "POPULATE <count> [<prefix>] [<size>]",
            "    Create <count> string keys named key:<num>. If <prefix> is specified then",
            "    it is used instead of the 'key' prefix. These are not propagated to",
            "    replicas. Cluster slots are not respected so keys not belonging to the",
            "    current node can be created in cluster mode.",
            "PROTOCOL <type>",
            "    Reply with a test value of the specified type. <type> can be: string,",
            "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
            "    true, false.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when they are not",
            "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
            "    default.",
            "QUICKLIST-PACKED-THRESHOLD <size>",
            "    Sets the threshold for elements to be inserted as plain vs packed nodes",
            "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
            "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
            "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            "STRINGMATCH-TEST",
            "    Run a fuzz tester against the stringmatchlen() function.",
            "LISTPACK <key>",
            "    Show low level info about the listpack encoding of <key>.",
            "QUICKLIST <key> [<0|1>]",
            "    Show low level info about the quicklist encoding of <key>.",
            "    The optional argument (0 by default) sets the level of detail",
            "PAUSE-CRON <0|1>",
            "    Stop periodic cron job processing.",
            "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
            "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
            "    In case NEVER is provided the last observed peak will never be reset",
            "    In case RESET is provided the peak reset time will be restored to the default value",
            "REPLYBUFFER RESIZING <0|1>",
            "    Enable or disable the reply buffer resize cron job",
        });
    }
}
