package dev.quokka.session;

import dev.quokka.keyspace.Database;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MULTI/EXEC state shared between clients (Redis's {@code multi.c}): which clients WATCH which
 * keys. A change to a watched key, by anyone, marks its watchers' transactions as failed
 * (EXEC then replies a null array); FLUSHDB, FLUSHALL and SWAPDB touch every watched key of
 * their databases. A client's own queue lives in {@link Client}.
 */
public final class Transactions {
    private final Map<Blocking.Key, List<Client>> watchers = new HashMap<>();

    /** WATCH: {@code c} watches {@code key} of database {@code db}. */
    public void watch(Client c, int db, byte[] key) {
        Blocking.Key k = new Blocking.Key(db, ByteBuffer.wrap(key.clone()));
        if (c.watched.contains(k)) {
            return;
        }
        c.watched.add(k);
        watchers.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
    }

    /** UNWATCH, EXEC, DISCARD, RESET and disconnection: forgets the client's watched keys. */
    public void unwatchAll(Client c) {
        for (Blocking.Key k : c.watched) {
            List<Client> l = watchers.get(k);
            if (l != null) {
                l.remove(c);
                if (l.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        c.watched.clear();
        c.dirtyCas = false;
    }

    /** A key changed: the transactions watching it will fail. */
    public void touch(int db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        List<Client> l = watchers.get(new Blocking.Key(db, ByteBuffer.wrap(key)));
        if (l != null) {
            for (Client c : l) {
                c.dirtyCas = true;
            }
        }
    }

    /**
     * FLUSHDB, FLUSHALL, SWAPDB (Redis's {@code touchAllWatchedKeysInDb}): the watched keys of
     * {@code db} that exist in it, or in {@code other} (the database swapped in), changed. Called
     * before a flush empties the database.
     */
    public void touchDb(Database db, Database other) {
        for (Map.Entry<Blocking.Key, List<Client>> e : watchers.entrySet()) {
            Blocking.Key k = e.getKey();
            if (k.db() != db.id()) {
                continue;
            }
            byte[] key = k.key().array(); // watch() wraps a whole copy of the key
            if (db.find(key) != null || (other != null && other.find(key) != null)) {
                for (Client c : e.getValue()) {
                    c.dirtyCas = true;
                }
            }
        }
    }
}
