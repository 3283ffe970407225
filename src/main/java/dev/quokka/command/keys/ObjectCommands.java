package dev.quokka.command.keys;

import dev.quokka.command.CommandContext;
import dev.quokka.config.Settings;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.ValueTypes;
import dev.quokka.protocol.Numbers;

/** OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP. */
public final class ObjectCommands {
    private static final String LRU_NOTE = " Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private ObjectCommands() {
    }

    private static Entry lookup(CommandContext c) {
        return c.keyspace().peek(c.db(), c.argv[2]);
    }

    private static boolean lfu(CommandContext c) {
        return c.server.config().value(Settings.MAXMEMORY_POLICY).endsWith("-lfu");
    }

    /** OBJECT ENCODING key */
    public static void encoding(CommandContext c) {
        Entry e = lookup(c);
        if (e == null) {
            c.reply.nullBulk();
        } else {
            c.reply.bulk(ValueTypes.encoding(e));
        }
    }

    /** OBJECT REFCOUNT key: Redis's shared integers have refcount INT_MAX ({@link #shared}), others 1. */
    public static void refcount(CommandContext c) {
        Entry e = lookup(c);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.integer(shared(c, e.value()) ? Integer.MAX_VALUE : 1);
    }

    /**
     * Whether Redis would hold this value as one of its shared integers 0..9999: not under a
     * maxmemory with an LRU or LFU policy, where each key needs its own access clock
     * (MAXMEMORY_FLAG_NO_SHARED_INTEGERS). Redis decides when the value is stored, Quokka when asked.
     */
    public static boolean shared(CommandContext c, Object value) {
        if (!(value instanceof byte[] b) || b.length > 4 || !Numbers.isLong(b)) {
            return false;
        }
        long v = Numbers.parseLong(b);
        String policy = c.server.config().value(dev.quokka.config.Settings.MAXMEMORY_POLICY);
        boolean unshared = c.server.evictor().maxmemory() > 0 && (policy.endsWith("-lru") || policy.endsWith("-lfu"));
        return !unshared && v >= 0 && v < 10000;
    }

    /** OBJECT IDLETIME key: seconds since last access (refused under an LFU policy, as in Redis). */
    public static void idletime(CommandContext c) {
        Entry e = lookup(c);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        if (lfu(c)) {
            c.reply.error("ERR An LFU maxmemory policy is selected, idle time not tracked." + LRU_NOTE);
            return;
        }
        if (c.keyspace().access() == Keyspace.Access.SIEVE) {
            c.reply.error("ERR A SIEVE maxmemory policy is selected, idle time not tracked.");
            return;
        }
        c.reply.integer(Math.max(0, c.keyspace().now() / 1000 - e.lru()));
    }

    /** OBJECT FREQ key: only under an LFU policy. Quokka's LFU counter arrives with eviction. */
    public static void freq(CommandContext c) {
        Entry e = lookup(c);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        if (!lfu(c)) {
            c.reply.error("ERR An LFU maxmemory policy is not selected, access frequency not tracked." + LRU_NOTE);
            return;
        }
        c.reply.integer(c.keyspace().lfuCounter(e.lru()));
    }

    /** OBJECT HELP */
    public static void help(CommandContext c) {
        String[] lines = {
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
        };
        helpReply(c, lines);
    }

    /** Writes a HELP reply: status lines, then HELP's own entry, as Redis's {@code addReplyHelp}. */
    public static void helpReply(CommandContext c, String[] lines) {
        c.reply.array(lines.length + 2);
        for (String l : lines) {
            c.reply.simple(l);
        }
        c.reply.simple("HELP");
        c.reply.simple("    Prints this help.");
    }
}
