package dev.quokka.session;

import dev.quokka.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Client-side caching invalidation (Redis's {@code tracking.c}), for CLIENT TRACKING.
 *
 * <p>Default mode remembers, per key, the clients that read it; the first change to the key sends
 * them an invalidation and forgets them. BCAST mode sends every change under a client's prefixes,
 * batched per read batch (Redis batches per event-loop iteration). Invalidations go to the client
 * itself (RESP3 push {@code invalidate}) or to its REDIRECT target (RESP3 push, or in RESP2 a
 * message on {@code __redis__:invalidate} when the target is subscribed there). A client's own
 * invalidations caused by the command it is executing are sent after that command's reply.
 * Key names are ISO-8859-1 strings, a lossless byte mapping. Runs on the keyspace context only.
 */
public final class Tracking {
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);

    private final Clients clients;
    private final Map<String, Set<Long>> table = new HashMap<>();
    private final Map<String, Map<Client, Object>> prefixClients = new LinkedHashMap<>();
    /** Per prefix, keys changed since the last broadcast, with the client that changed them last (or null). */
    private final Map<String, Map<String, Client>> pendingBroadcast = new LinkedHashMap<>();
    private int trackingClients;

    public Tracking(Clients clients) {
        this.clients = clients;
    }

    private static String name(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** CLIENT TRACKING ON with the parsed options (already validated). */
    public void enable(Client c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop, List<String> prefixes) {
        if (!c.tracking) {
            trackingClients++;
        }
        c.tracking = true;
        c.trackingBcast = bcast;
        c.trackingOptin = optin;
        c.trackingOptout = optout;
        c.trackingNoloop = noloop;
        c.trackingRedirect = redirect;
        c.trackingBrokenRedirect = false;
        if (bcast) {
            if (prefixes.isEmpty() && c.trackingPrefixes.isEmpty()) {
                prefixes = List.of("");
            }
            for (String p : prefixes) {
                if (c.trackingPrefixes.add(p)) {
                    prefixClients.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(c, Boolean.TRUE);
                    pendingBroadcast.computeIfAbsent(p, k -> new LinkedHashMap<>());
                }
            }
        }
    }

    /** CLIENT TRACKING OFF, RESET and disconnection. */
    public void disable(Client c) {
        if (!c.tracking) {
            return;
        }
        for (String p : c.trackingPrefixes) {
            Map<Client, Object> clients = prefixClients.get(p);
            clients.remove(c);
            if (clients.isEmpty()) {
                prefixClients.remove(p);
                pendingBroadcast.remove(p);
            }
        }
        c.trackingPrefixes.clear();
        c.tracking = c.trackingBcast = c.trackingOptin = c.trackingOptout = c.trackingNoloop = false;
        c.trackingCaching = false;
        c.trackingRedirect = 0;
        c.trackingBrokenRedirect = false;
        c.pendingInvalidations.clear();
        trackingClients--;
    }

    /** After a read-only command: remember its keys for the client, as OPTIN/OPTOUT and CLIENT CACHING allow. */
    public void remember(Client c, byte[][] argv, int[] keyPositions) {
        if (!c.tracking || c.trackingBcast) {
            return;
        }
        if ((c.trackingOptin && !c.trackingCaching) || (c.trackingOptout && c.trackingCaching)) {
            return;
        }
        for (int pos : keyPositions) {
            table.computeIfAbsent(name(argv[pos]), k -> new LinkedHashSet<>()).add(c.id());
        }
    }

    /** A key changed (Redis's {@code trackingInvalidateKey}); {@code by} is the client that changed it, if any. */
    public void invalidate(byte[] key, Client by) {
        if (trackingClients == 0) {
            return;
        }
        String k = name(key);
        if (!prefixClients.isEmpty()) {
            for (Map.Entry<String, Map<String, Client>> e : pendingBroadcast.entrySet()) {
                if (k.startsWith(e.getKey())) {
                    e.getValue().put(k, by);
                }
            }
        }
        Set<Long> ids = table.remove(k);
        if (ids == null) {
            return;
        }
        for (long id : ids) {
            Client target = clients.get(id);
            if (target == null || !target.tracking || target.trackingBcast) {
                continue;
            }
            if (target.trackingNoloop && target == by) {
                continue;
            }
            if (target == by) {
                target.pendingInvalidations.add(key); // after the reply of the command being executed
            } else {
                send(target, List.of(key));
            }
        }
    }

    /**
     * Keeps the table within {@code tracking-table-max-keys} (0: no limit), invalidating the keys it
     * drops as if they had changed (Redis's {@code trackingLimitUsedSlots}, run from its cron).
     */
    public void limit(long maxKeys) {
        if (maxKeys <= 0) {
            return;
        }
        while (table.size() > maxKeys) {
            String k = table.keySet().iterator().next();
            invalidate(bytes(k), null);
        }
    }

    /** FLUSHDB and FLUSHALL: every tracking client gets a null invalidation; the table is dropped. */
    public void flushed(Client by) {
        if (trackingClients > 0) {
            for (Client c : clients.all().toArray(new Client[0])) {
                if (!c.tracking) {
                    continue;
                }
                if (c == by) {
                    c.pendingInvalidations.add(null);
                } else {
                    send(c, null);
                }
            }
        }
        table.clear();
    }

    /**
     * After a command: the invalidations it caused for the client that ran it, one message per key
     * (a null one for a flush), as Redis's {@code trackingHandlePendingKeyInvalidations}.
     */
    public void sendPending(Client c) {
        if (c.pendingInvalidations.isEmpty()) {
            return;
        }
        List<byte[]> keys = new ArrayList<>(c.pendingInvalidations);
        c.pendingInvalidations.clear();
        for (byte[] k : keys) {
            send(c, k == null ? null : List.of(k));
        }
    }

    /** At the end of a read batch: BCAST invalidations collected during it, one message per prefix and client. */
    public void broadcastPending() {
        if (prefixClients.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Map<String, Client>> e : pendingBroadcast.entrySet()) {
            Map<String, Client> keys = e.getValue();
            if (keys.isEmpty()) {
                continue;
            }
            for (Client c : prefixClients.get(e.getKey()).keySet().toArray(new Client[0])) {
                List<byte[]> list = new ArrayList<>();
                for (Map.Entry<String, Client> k : keys.entrySet()) {
                    if (!(c.trackingNoloop && k.getValue() == c)) {
                        list.add(bytes(k.getKey()));
                    }
                }
                if (!list.isEmpty()) {
                    send(c, list);
                }
            }
            keys.clear();
        }
    }

    /** Redis's {@code sendTrackingMessage}: keys null means "everything" (a flush). */
    private void send(Client c, List<byte[]> keys) {
        Client target = c;
        if (c.trackingRedirect != 0) {
            target = clients.get(c.trackingRedirect);
            if (target == null) {
                if (c.reply.resp() == 3 && !c.trackingBrokenRedirect) {
                    long redirect = c.trackingRedirect;
                    c.push(w -> {
                        w.push(2);
                        w.bulk("tracking-redir-broken");
                        w.integer(redirect);
                    });
                }
                c.trackingBrokenRedirect = true;
                return;
            }
        }
        if (target.reply.resp() == 3) {
            target.push(w -> {
                w.push(2);
                w.bulk("invalidate");
                writeKeys(w, keys);
            });
        } else if (target.channels().contains(name(CHANNEL))) {
            target.push(w -> {
                w.push(3);
                w.bulk("message");
                w.bulk(CHANNEL);
                writeKeys(w, keys);
            });
        }
    }

    private static void writeKeys(RespWriter w, List<byte[]> keys) {
        if (keys == null) {
            w.nullBulk(); // Redis sends shared.null[resp]: $-1 in RESP2, _ in RESP3
            return;
        }
        w.array(keys.size());
        for (byte[] k : keys) {
            w.bulk(k);
        }
    }

    /** Whether one prefix is a prefix of the other (Redis's {@code stringCheckPrefix}). */
    public static boolean overlaps(String a, String b) {
        return a.startsWith(b) || b.startsWith(a);
    }

    /** The client prefix a new prefix overlaps (Redis refuses that), or null. */
    public static String overlapping(Set<String> existing, String prefix) {
        for (String p : existing) {
            if (overlaps(p, prefix)) {
                return p;
            }
        }
        return null;
    }

    public int clients() {
        return trackingClients;
    }

    public int totalKeys() {
        return table.size();
    }

    public long totalItems() {
        long n = 0;
        for (Set<Long> s : table.values()) {
            n += s.size();
        }
        return n;
    }

    public int totalPrefixes() {
        return prefixClients.size();
    }
}
