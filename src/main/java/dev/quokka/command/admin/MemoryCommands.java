package dev.quokka.command.admin;

import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.eviction.Evictor;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.MemoryModel;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE and HELP, answered from the keyspace's
 * accounting ({@link MemoryModel}, the same figures as INFO's used_memory and maxmemory).
 */
public final class MemoryCommands {
    /** Below this, MEMORY DOCTOR says the instance is too empty to judge (as Redis). */
    private static final long DOCTOR_MIN_BYTES = 5L * 1024 * 1024;

    private MemoryCommands() {
    }

    /** MEMORY USAGE key [SAMPLES count]: the key's entry, key bytes and value, as accounted. */
    public static void usage(CommandContext c) {
        for (int j = 3; j < c.argc; j++) {
            if (c.argIs(j, "SAMPLES") && j + 1 < c.argc) {
                if (Args.longArg(c, j + 1) < 0) {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
                j++; // strings have nothing nested to sample
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        Entry e = c.keyspace().peek(c.db(), c.argv[2]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.integer(MemoryModel.entry(e.keyLength(), e.value()));
    }

    /** MEMORY STATS: Redis's fields that apply to Quokka. */
    public static void stats(CommandContext c) {
        Evictor ev = c.server.evictor();
        long used = ev.usedMemory();
        long peak = ev.peakMemory();
        long dataset = ev.datasetMemory();
        long rss = InfoCommand.residentMemory();
        long keys = 0;
        int dbs = 0;
        for (int i = 0; i < c.keyspace().databases(); i++) {
            Database db = c.keyspace().db(i);
            keys += db.size();
            if (db.size() > 0) {
                dbs++;
            }
        }
        c.reply.map(17 + dbs);
        pair(c, "peak.allocated", peak);
        pair(c, "total.allocated", used);
        pair(c, "startup.allocated", 0);
        pair(c, "replication.backlog", 0);
        pair(c, "clients.slaves", 0);
        pair(c, "clients.normal", 0);
        pair(c, "cluster.links", 0);
        pair(c, "aof.buffer", c.server.aof().bufferLength());
        pair(c, "lua.caches", 0);
        pair(c, "functions.caches", 0);
        for (int i = 0; i < c.keyspace().databases(); i++) {
            Database db = c.keyspace().db(i);
            if (db.size() > 0) {
                c.reply.bulk("db." + i);
                c.reply.map(2);
                pair(c, "overhead.hashtable.main", db.overheadBytes());
                pair(c, "overhead.hashtable.expires", 0);
            }
        }
        pair(c, "overhead.total", used - dataset);
        pair(c, "keys.count", keys);
        pair(c, "keys.bytes-per-key", keys == 0 ? 0 : used / keys);
        pair(c, "dataset.bytes", dataset);
        c.reply.bulk("dataset.percentage");
        c.reply.dbl(used == 0 ? 0 : dataset * 100.0 / used);
        c.reply.bulk("peak.percentage");
        c.reply.dbl(peak == 0 ? 0 : used * 100.0 / peak);
        c.reply.bulk("fragmentation");
        c.reply.dbl(used == 0 ? 0 : (double) rss / used);
    }

    private static void pair(CommandContext c, String name, long value) {
        c.reply.bulk(name);
        c.reply.integer(value);
    }

    /** MEMORY DOCTOR: Redis's texts, with the issue that matters on the JVM (maxmemory against the heap). */
    public static void doctor(CommandContext c) {
        Evictor ev = c.server.evictor();
        long used = ev.usedMemory();
        long heap = Runtime.getRuntime().maxMemory();
        long max = ev.maxmemory();
        StringBuilder issues = new StringBuilder();
        if (max == 0) {
            issues.append(" * No maxmemory: keys are never evicted, and the dataset can grow until the JVM heap (")
                .append(heap >> 20).append(" MB) is full. Set maxmemory to at most half the heap to use Quokka as a cache.\n\n");
        } else if (max > heap / 4 * 3) {
            issues.append(" * maxmemory (").append(max >> 20).append(" MB) is more than 75% of the JVM heap (")
                .append(heap >> 20).append(" MB): the heap can fill before eviction starts.\n\n");
        }
        String text;
        if (used < DOCTOR_MIN_BYTES) {
            text = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in "
                + "these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I "
                + "will be back to our programming as soon as I finished rebooting.";
        } else if (issues.length() == 0) {
            text = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.";
        } else {
            text = "Sam, I detected a few issues in this Quokka instance memory implants:\n\n" + issues
                + "I'm here to keep you safe, Sam. I want to help you.\n";
        }
        c.reply.verbatim(text);
    }

    /** MEMORY MALLOC-STATS: the JVM's allocator has no such report (Redis's answer for libc malloc). */
    public static void mallocStats(CommandContext c) {
        c.reply.verbatim("Stats not supported for the current allocator");
    }

    /** MEMORY PURGE: nothing to ask of the allocator; the garbage collector returns memory by itself. */
    public static void purge(CommandContext c) {
        c.reply.ok();
    }

    /** MEMORY HELP */
    public static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
        });
    }
}
