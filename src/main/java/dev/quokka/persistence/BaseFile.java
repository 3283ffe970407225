package dev.quokka.persistence;

import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.HashValue;
import dev.quokka.keyspace.ListValue;
import dev.quokka.keyspace.SetValue;
import dev.quokka.keyspace.StreamGroup;
import dev.quokka.keyspace.StreamId;
import dev.quokka.keyspace.StreamValue;
import dev.quokka.keyspace.ZSetValue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The base file of a rewrite: a snapshot of the dataset as the commands that recreate it, as
 * Redis's {@code rewriteAppendOnlyFileRio} writes them.
 */
final class BaseFile {
    /** The rewrite fsyncs its file every this many bytes (Redis's REDIS_AUTOSYNC_BYTES). */
    private static final long AUTOSYNC_BYTES = 4 * 1024 * 1024;

    private BaseFile() {
    }

    /** Items per command in the rewrite of a collection (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
    private static final int ITEMS_PER_CMD = 64;

    /**
     * The commands that recreate one value, as Redis's {@code rewriteAppendOnlyFileRio} writes
     * them: SET for a string, RPUSH / SADD / ZADD / HMSET of at most 64 elements each for a collection.
     */
    static void writeValue(CommandBuffer out, byte[] key, Object value) throws IOException {
        if (value instanceof byte[] v) {
            out.command(Effects.SET, key, v);
            return;
        }
        if (value instanceof StreamValue s) {
            writeStream(out, key, s);
            return;
        }
        byte[][] items;
        byte[] verb;
        int per;
        if (value instanceof ListValue l) {
            verb = Effects.RPUSH;
            per = 1;
            byte[][] all = new byte[l.size()][];
            int[] k = {0};
            l.forEach(e -> all[k[0]++] = e); // the rewrite's thread: no index walk
            items = all;
        } else if (value instanceof SetValue s) {
            verb = Effects.SADD;
            per = 1;
            items = s.members();
        } else if (value instanceof HashValue h) {
            verb = Effects.HMSET;
            per = 2;
            items = h.pairs();
        } else if (value instanceof ZSetValue z) {
            verb = Effects.ZADD;
            per = 2;
            items = new byte[2 * z.size()][];
            int[] k = {0};
            z.range(0, z.size() - 1, false, (m, sc) -> {
                items[k[0]++] = Effects.score(sc);
                items[k[0]++] = m;
            });
        } else {
            throw new IOException("no rewrite form for a value of type " + value.getClass().getSimpleName());
        }
        int total = items.length / per;
        for (int from = 0; from < total; from += ITEMS_PER_CMD) {
            int count = Math.min(ITEMS_PER_CMD, total - from);
            byte[][] argv = new byte[2 + count * per][];
            argv[0] = verb;
            argv[1] = key;
            System.arraycopy(items, from * per, argv, 2, count * per);
            out.command(argv);
        }
    }


    /**
     * A stream as Redis's rewriteStreamObject writes it: an XADD per entry (an empty stream as
     * {@code XADD key MAXLEN 0 0-1 x y}), XSETID with the last id, added count and largest deleted
     * id, then per group XGROUP CREATE with its last id and read counter, and per consumer an
     * XCLAIM ... FORCE per pending entry or, with none, XGROUP CREATECONSUMER.
     */
    private static void writeStream(CommandBuffer out, byte[] key, StreamValue s) throws IOException {
        if (s.length() > 0) {
            StreamValue.Cursor cur = s.cursor(StreamId.MIN, StreamId.MAX, false);
            while (cur.next()) {
                int n = cur.fieldCount();
                byte[][] argv = new byte[3 + 2 * n][];
                argv[0] = Effects.XADD;
                argv[1] = key;
                argv[2] = cur.id().bytes();
                for (int i = 0; i < n; i++) {
                    argv[3 + 2 * i] = cur.field(i);
                    argv[4 + 2 * i] = cur.value(i);
                }
                out.command(argv);
            }
        } else {
            out.command(Effects.XADD, key, Effects.ascii("MAXLEN"), Effects.number(0), Effects.ascii("0-1"),
                Effects.ascii("x"), Effects.ascii("y"));
        }
        out.command(Effects.XSETID, key, s.lastId().bytes(), Effects.ENTRIESADDED, Effects.number(s.entriesAdded()),
            Effects.MAXDELETEDID, s.maxDeletedId().bytes());
        if (s.groups() == null) {
            return;
        }
        for (var g : s.groups().entrySet()) {
            StreamGroup group = g.getValue();
            out.command(Effects.XGROUP, Effects.CREATE, key, g.getKey(), group.lastId.bytes(), Effects.ENTRIESREAD,
                Effects.number(group.entriesRead));
            for (StreamGroup.Consumer consumer : group.consumers().values()) {
                if (consumer.pel().isEmpty()) {
                    out.command(Effects.XGROUP, Effects.CREATECONSUMER, key, g.getKey(), consumer.name);
                    continue;
                }
                for (StreamGroup.Pending p : consumer.pel().values()) {
                    // the rewrite's form (rioWriteStreamPendingEntry): JUSTID FORCE, no LASTID
                    out.command(Effects.XCLAIM, key, g.getKey(), consumer.name, Effects.number(0), p.id.bytes(),
                        Effects.TIME, Effects.number(p.deliveryTime), Effects.RETRYCOUNT,
                        Effects.number(p.deliveryCount), Effects.JUSTID, Effects.FORCE);
                }
            }
        }
    }

    private static final byte[] FUNCTION = Effects.ascii("FUNCTION");
    private static final byte[] LOAD = Effects.ascii("LOAD");

    /** Writes a snapshot as commands: FUNCTION LOAD per library, SELECT per database, one value's commands per key, PEXPIREAT per TTL. */
    static void write(Path temp, Snapshot snap) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            CommandBuffer out = new CommandBuffer(1 << 20);
            long written = 0;
            long synced = 0;
            for (byte[] code : snap.functions) {
                out.command(FUNCTION, LOAD, code);
            }
            for (int d = 0; d < snap.dbIds.length; d++) {
                out.command(Effects.SELECT, Effects.number(snap.dbIds[d]));
                byte[][] keys = snap.keys[d];
                Object[] values = snap.values[d];
                long[] expires = snap.expires[d];
                for (int i = 0; i < keys.length; i++) {
                    long at = expires[i];
                    if (at != Entry.NO_EXPIRE && at < snap.takenAt) {
                        continue; // already expired, as Redis's rewrite skips it
                    }
                    writeValue(out, keys[i], values[i]);
                    if (at != Entry.NO_EXPIRE) {
                        out.command(Effects.PEXPIREAT, keys[i], Effects.number(at));
                    }
                    if (out.length() >= 1 << 20) {
                        out.writeTo(ch, written);
                        written += out.length();
                        out.clear();
                        if (written - synced >= AUTOSYNC_BYTES) {
                            ch.force(false); // incremental fsync, so the final one is short
                            synced = written;
                        }
                    }
                }
            }
            out.writeTo(ch, written);
            ch.force(true);
        }
    }
}
