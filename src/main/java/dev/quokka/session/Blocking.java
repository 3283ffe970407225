package dev.quokka.session;

import dev.quokka.keyspace.Database;
import dev.quokka.protocol.RespWriter;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...), Redis's {@code blocking.c}.
 *
 * <p>A blocking command that finds nothing to pop calls {@link #block}: the client stops
 * processing its input and waits, first-come first-served, in a queue per (database, key). A
 * command that gives such a key elements marks it ready ({@link #signal}); after that command
 * completes (so a push inside a command is served only once the command is done), the
 * dispatcher calls {@link #serveReady}, which runs each waiter's own command again, in queue
 * order, while the key has elements: the command pops, replies and records its effect as
 * any command does, and the client goes on with its input. The timeout, CLIENT UNBLOCK and a
 * disconnect end the wait too.
 */
public final class Blocking {
    /** Arms a one-shot timer on the keyspace context; returns its id. */
    public interface Timers {
        long schedule(long delayMillis, Runnable task);

        void cancel(long id);
    }

    record Key(int db, ByteBuffer key) {
    }

    private final Map<Key, ArrayDeque<Client>> queues = new HashMap<>();
    /** Clients whose request waits for CLIENT PAUSE to end, in arrival order. */
    private final ArrayDeque<Client> postponed = new ArrayDeque<>();

    /** CLIENT PAUSE's modes: none, commands that write or may replicate, every command. */
    public enum Pause { OFF, WRITE, ALL }

    /** CLIENT PAUSE's pause (Redis's PAUSE_BY_CLIENT_COMMAND purpose). */
    private Pause pause = Pause.OFF;
    /** FAILOVER's pause of writes until it ends (Redis's PAUSE_DURING_FAILOVER purpose). */
    private boolean failoverPause;
    private long pauseEnd;
    private long pauseTimer = -1;
    private java.util.function.Consumer<Boolean> pauseListener = paused -> { };
    private final List<Key> ready = new ArrayList<>();
    private Timers timers;
    private int blockedClients;
    private int timedClients;

    public void timers(Timers t) {
        timers = t;
    }

    /** INFO's blocked_clients. */
    public int blockedClients() {
        return blockedClients;
    }

    /** INFO's clients_in_timeout_table: blocked clients with a timeout. */
    public int timedClients() {
        return timedClients;
    }

    /** Whether any client waits on any key (a cheap test before {@link #signal}). */
    public boolean anyWaiting() {
        return blockedClients > 0;
    }

    /**
     * Blocks {@code c} on {@code keys} of its database until one can serve it or
     * {@code timeoutMillis} passes (0: forever); {@code request} (the blocking command, copied)
     * runs again when a key is ready. The command has replied nothing. Returns false,
     * without blocking, inside EXEC: the command then replies as on a timeout. {@code queueOrder}:
     * a waiter that cannot be served holds back those behind it on the key (pops); false when
     * each waiter is served on its own (stream reads, each after its own id).
     */
    public boolean block(Client c, byte[][] request, byte[][] keys, long timeoutMillis, boolean queueOrder) {
        if (c.denyBlocking() || c.connection() == null) {
            return false; // inside EXEC, or a client without a connection (AOF replay) never waits
        }
        if (c.rerunning) {
            c.stillBlocked = true; // woken for a key another waiter emptied: keep the place in line
            return true;
        }
        c.blocked = true;
        c.blockedArgv = request;
        c.blockedInQueueOrder = queueOrder;
        c.blockedKeys = new ArrayList<>();
        int db = c.db().id();
        for (byte[] k : keys) {
            Key key = new Key(db, ByteBuffer.wrap(k));
            if (c.blockedKeys.contains(key)) {
                continue;
            }
            c.blockedKeys.add(key);
            queues.computeIfAbsent(key, x -> new ArrayDeque<>()).add(c);
        }
        blockedClients++;
        if (timeoutMillis > 0) {
            c.blockTimer = timers.schedule(timeoutMillis, () -> timeout(c));
            timedClients++;
        }
        return true;
    }

    /** Told when a pause starts (true) and ends (false): expiry and eviction stop meanwhile. */
    public void onPause(java.util.function.Consumer<Boolean> listener) {
        pauseListener = listener;
    }

    /** The pause in force, the strongest of its purposes (Redis's client_pause_type). */
    public Pause pause() {
        return failoverPause && pause == Pause.OFF ? Pause.WRITE : pause;
    }

    /** FAILOVER pauses writes while it runs, apart from CLIENT PAUSE and CLIENT UNPAUSE. */
    public void failoverPause(boolean on) {
        if (on == failoverPause) {
            return;
        }
        failoverPause = on;
        if (on) {
            pauseListener.accept(true);
        } else {
            resume();
        }
    }

    /**
     * CLIENT PAUSE: pauses until {@code endMillis} (wall clock); a pause already in force keeps the
     * stronger mode and the later end, as Redis's pauseClients.
     */
    public void pause(Pause mode, long endMillis) {
        if (mode.ordinal() > pause.ordinal()) {
            pause = mode;
        }
        pauseEnd = Math.max(pauseEnd, endMillis);
        if (pauseTimer >= 0) {
            timers.cancel(pauseTimer);
        }
        pauseTimer = timers.schedule(Math.max(1, pauseEnd - System.currentTimeMillis()), () -> {
            pauseTimer = -1;
            unpause();
        });
        pauseListener.accept(true);
    }

    /** Ends CLIENT PAUSE's pause: the postponed requests run, in arrival order, as new commands. */
    public void unpause() {
        if (pause == Pause.OFF) {
            return;
        }
        pause = Pause.OFF;
        pauseEnd = 0;
        if (pauseTimer >= 0) {
            timers.cancel(pauseTimer);
            pauseTimer = -1;
        }
        resume();
    }

    /** A pause ended or weakened: postponed requests run again (those still paused wait again). */
    private void resume() {
        if (pause() == Pause.OFF) {
            pauseListener.accept(false);
        }
        for (Client c : postponed.toArray(new Client[0])) {
            if (!c.postponed || pause() == Pause.ALL) {
                continue; // a request run here paused everything again: the rest keep waiting
            }
            byte[][] request = c.blockedArgv;
            forget(c);
            c.blockedArgv = null;
            c.connection().retry(request);
        }
    }

    /**
     * Holds a request that CLIENT PAUSE stops (Redis's BLOCKED_POSTPONE): the client replies
     * nothing and reads no further until the pause ends and the request runs.
     */
    public void postpone(Client c, byte[][] request) {
        c.blocked = true;
        c.postponed = true;
        c.blockedArgv = request;
        c.blockedKeys = new ArrayList<>();
        postponed.add(c);
        blockedClients++;
    }

    /** Marks a key of {@code db} as possibly able to serve its waiters after the current command. */
    public void signal(Database db, byte[] key) {
        signal(db.id(), key);
    }

    /**
     * Marks a key of database {@code db} as ready: filled, or (for XREADGROUP's waiters, who are
     * then answered with an error) deleted, overwritten or its group destroyed.
     */
    public void signal(int db, byte[] key) {
        Key k = new Key(db, ByteBuffer.wrap(key));
        if (queues.containsKey(k) && !ready.contains(k)) {
            ready.add(k);
        }
    }

    /** Marks every key of {@code db} that clients wait on as ready (SWAPDB brought in another dataset). */
    public void signalDb(Database db) {
        for (Key k : queues.keySet()) {
            if (k.db() == db.id() && !ready.contains(k)) {
                ready.add(k);
            }
        }
    }

    /** Serves the waiters of the keys marked ready, repeating while serving readies more keys (BLMOVE). */
    public void serveReady() {
        if (serving) {
            return; // a waiter's own command readied keys: the loop below takes them
        }
        serving = true;
        try {
            serveLoop();
        } finally {
            serving = false;
        }
    }

    private boolean serving;

    private void serveLoop() {
        while (!ready.isEmpty()) {
            Key[] keys = ready.toArray(new Key[0]);
            ready.clear();
            for (Key k : keys) {
                ArrayDeque<Client> q = queues.get(k);
                if (q == null) {
                    continue;
                }
                for (Client c : q.toArray(new Client[0])) {
                    if (!c.blocked) {
                        continue;
                    }
                    c.rerunning = true;
                    c.stillBlocked = false;
                    try {
                        c.connection().rerunBlocked();
                    } finally {
                        c.rerunning = false;
                    }
                    if (c.stillBlocked) {
                        if (c.blockedInQueueOrder) {
                            break; // the key holds nothing (more) for this waiter; later ones wait too
                        }
                        continue;
                    }
                    unblock(c, null);
                }
            }
        }
    }

    private void timeout(Client c) {
        if (c.blocked) {
            unblock(c, BlockEnd.TIMEOUT);
        }
    }

    private Consumer<Client> unblockedWithError;

    /** Told of each client unblocked with an error (its command then counts a failed call, as in Redis). */
    public void onUnblockedWithError(Consumer<Client> listener) {
        unblockedWithError = listener;
    }

    /** How a wait ends other than by being served. */
    public enum BlockEnd { TIMEOUT, ERROR }

    /**
     * Ends {@code c}'s wait: served ({@code how} null, its reply already written), timed out
     * (null reply) or unblocked with an error; then the client goes on with its input.
     */
    public void unblock(Client c, BlockEnd how) {
        if (!c.blocked) {
            return;
        }
        forget(c);
        if (how != null) {
            // Redis replies a null array on timeout to every blocking command, BLMOVE included.
            Consumer<RespWriter> onTimeout = c.timeoutReply != null ? c.timeoutReply : r -> r.nullArray();
            c.timeoutReply = null;
            if (how == BlockEnd.ERROR && unblockedWithError != null) {
                unblockedWithError.accept(c);
            }
            c.deliverUnblock(how == BlockEnd.TIMEOUT ? onTimeout
                : r -> r.error("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
        } else {
            c.deliverUnblock(null);
        }
    }

    /**
     * Ends every wait of a blocking command with {@code error} (Redis's disconnectAllBlockedClients,
     * when the server becomes a replica); clients paused by CLIENT PAUSE keep waiting.
     */
    public void unblockAllWithError(Iterable<Client> clients, String error) {
        for (Client c : clients) {
            if (c.blocked && !c.postponed) {
                c.timeoutReply = r -> r.error(error);
                unblock(c, BlockEnd.TIMEOUT);
            }
        }
    }

    /** Removes a client from every queue (served, timed out, unblocked or disconnected). */
    public void forget(Client c) {
        if (!c.blocked) {
            return;
        }
        c.blocked = false;
        blockedClients--;
        if (c.postponed) {
            c.postponed = false;
            c.blockedKeys = null;
            postponed.remove(c);
            return;
        }
        for (Key k : c.blockedKeys) {
            ArrayDeque<Client> q = queues.get(k);
            if (q != null) {
                q.remove(c);
                if (q.isEmpty()) {
                    queues.remove(k);
                }
            }
        }
        c.blockedKeys = null;
        if (c.blockTimer >= 0) {
            timers.cancel(c.blockTimer);
            timedClients--;
        }
        c.blockTimer = -1;
    }
}
