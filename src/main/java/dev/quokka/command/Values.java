package dev.quokka.command;

import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Collection;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;

import java.util.function.BiPredicate;

/**
 * What the collection groups share about the value at a key: the typed look-up that replies
 * WRONGTYPE (Redis's {@code checkType}), the deletion of a key whose collection became empty, and
 * the ending of the *STORE commands. Argument forms are in {@link Args}, the SCAN family in {@link Scan}.
 */
public final class Values {
    private Values() {
    }

    /**
     * The collection of {@code type} at the live entry {@code e}; null, after replying WRONGTYPE,
     * when it holds another type (Redis's {@code checkType}).
     */
    public static <T extends Collection> T as(CommandContext c, Entry e, Class<T> type) {
        Object v = e.value();
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        c.reply.error(Errors.WRONGTYPE);
        return null;
    }

    /**
     * The collection of {@code type} at {@code key}, looked up for reading; null when the key is
     * absent (after running {@code ifMissing}, which replies) or holds another type (WRONGTYPE).
     */
    public static <T extends Collection> T read(CommandContext c, byte[] key, Class<T> type, Runnable ifMissing) {
        Entry e = c.keyspace().read(c.db(), key);
        if (e == null) {
            ifMissing.run();
            return null;
        }
        return as(c, e, type);
    }

    /**
     * SREM, HDEL and ZREM: removes the members named from argument 2 on with {@code remove}, then
     * notifies {@code event} and deletes the key if it emptied; replies the number removed.
     */
    public static <T extends Collection> void removeMembers(CommandContext c, Class<T> type, int eventType, String event,
                                                            BiPredicate<T, byte[]> remove) {
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        T v = as(c, e, type);
        if (v == null) {
            return;
        }
        int removed = 0;
        for (int i = 2; i < c.argc && v.size() > 0; i++) {
            if (remove.test(v, c.argv[i])) {
                removed++;
            }
        }
        if (removed > 0) {
            c.keyspace().notify(eventType, event, c.argv[1], c.db().id());
            dropIfEmpty(c, c.db(), c.argv[1], v);
        }
        c.reply.integer(removed);
    }

    /** Whether {@code e} (live or null) holds something other than {@code type}; replies WRONGTYPE if so. */
    public static boolean wrongType(CommandContext c, Entry e, Class<? extends Collection> type) {
        if (e != null && !type.isInstance(e.value())) {
            c.reply.error(Errors.WRONGTYPE);
            return true;
        }
        return false;
    }

    /** Deletes {@code key} when its collection has become empty (Redis never stores one), with the "del" event. */
    public static boolean dropIfEmpty(CommandContext c, Database db, byte[] key, Collection v) {
        if (v.size() > 0) {
            return false;
        }
        db.remove(key);
        c.keyspace().notify(KeyspaceEvents.GENERIC, "del", key, db.id());
        return true;
    }

    /**
     * The end of every *STORE command (SINTERSTORE, ZUNIONSTORE, ZRANGESTORE ...): stores
     * {@code out} at {@code dst} replacing whatever was there, or deletes {@code dst} when
     * {@code out} is null or empty (Redis never stores an empty collection); replies the size.
     */
    public static void store(CommandContext c, byte[] dst, Collection out, int eventType, String event) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        Entry de = ks.write(db, dst);
        if (out == null || out.size() == 0) {
            if (de != null) {
                db.remove(dst);
                ks.notify(KeyspaceEvents.GENERIC, "del", dst, db.id());
            }
            c.reply.integer(0);
            return;
        }
        ks.overwrite(db, de, dst, out, false);
        ks.notify(eventType, event, dst, db.id());
        c.reply.integer(out.size());
    }
}
