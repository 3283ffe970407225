package dev.quokka.session;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connected clients by id, in connection order (CLIENT LIST), the client whose command is
 * executing (Redis's {@code server.current_client}), and what the clients' buffers hold: each
 * client's memory as last recorded and their total (Redis's {@code stat_clients_type_memory}),
 * which counts in {@code used_memory} and against {@code maxmemory}, and which client eviction
 * ({@code maxmemory-clients}) keeps under its limit. Only the keyspace context touches it.
 */
public final class Clients {
    private static final Logger LOG = Logger.getLogger(Clients.class);
    /** The smallest limit client eviction applies, so that a bad setting cannot cut every client off (Redis's). */
    private static final long EVICTION_FLOOR = 128 * 1024;

    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private long nextId = 1;
    private Client current;
    /** The sum of the recorded memory of the clients that are not replicas (mem_clients_normal). */
    private long memory;
    /** The sum of the replicas' recorded memory: what is queued for them (mem_clients_slaves). */
    private long replicaMemory;
    private long evicted;

    /** The id the next connection gets. */
    public long nextId() {
        return nextId++;
    }

    public void add(Client c) {
        byId.put(c.id(), c);
        c.listed = true;
    }

    public void remove(Client c) {
        byId.remove(c.id());
        c.listed = false;
        forget(c);
    }

    /** Records what a client's buffers hold now (after it read, or was given output). */
    public void memoryChanged(Client c) {
        if (!c.listed) {
            return;
        }
        long m = c.memory();
        boolean replica = c.replica();
        if (m == c.recordedMemory && replica == c.recordedAsReplica) {
            return;
        }
        forget(c);
        c.recordedMemory = m;
        c.recordedAsReplica = replica;
        if (c.recordedAsReplica) {
            replicaMemory += m;
        } else {
            memory += m;
        }
    }

    /** Takes a client's recorded memory out of the total it went to. */
    private void forget(Client c) {
        if (c.recordedAsReplica) {
            replicaMemory -= c.recordedMemory;
        } else {
            memory -= c.recordedMemory;
        }
        c.recordedMemory = 0;
    }

    /** Records every client's memory again (the periodic pass: output drains without telling). */
    public void refreshMemory() {
        for (Client c : byId.values()) {
            memoryChanged(c);
        }
    }

    /** What the buffers of the clients that are not replicas hold, as last recorded (INFO's mem_clients_normal). */
    public long memory() {
        return memory;
    }

    /**
     * What is queued for the replicas, as last recorded (INFO's mem_clients_slaves): counted in
     * used_memory, not against maxmemory, and never a reason to evict a client (as in Redis).
     */
    public long replicaMemory() {
        return replicaMemory;
    }

    /** INFO's evicted_clients. */
    public long evictedClients() {
        return evicted;
    }

    public void resetStats() {
        evicted = 0;
    }

    /**
     * Client eviction (Redis's evictClients): while the clients hold {@code limit} bytes or more,
     * closes the evictable client (not CLIENT NO-EVICT) that holds the most. {@code maxmemoryClients}
     * is the setting (negative: a percentage of {@code maxmemory}; 0: off).
     */
    public void evict(long maxmemoryClients, long maxmemory) {
        long limit = evictionLimit(maxmemoryClients, maxmemory);
        if (limit == 0 || memory < limit) {
            return;
        }
        List<Client> candidates = new ArrayList<>();
        for (Client c : byId.values()) {
            if (!c.noEvict && !c.replica() && !c.closed() && c.connection() != null) {
                candidates.add(c);
            }
        }
        candidates.sort((a, b) -> Long.compare(b.recordedMemory, a.recordedMemory));
        for (Client c : candidates) {
            if (memory < limit) {
                return;
            }
            LOG.infof("Evicting client: id=%d addr=%s name=%s tot-mem=%d", c.id(), c.addr(), c.name(), c.recordedMemory);
            forget(c);
            evicted++;
            c.kill();
        }
        if (memory >= limit) {
            LOG.warn("Over client maxmemory after evicting all evictable clients");
        }
    }

    /** getClientEvictionLimit: the setting in bytes, at least 128 KiB; 0 when off. */
    static long evictionLimit(long maxmemoryClients, long maxmemory) {
        long limit;
        if (maxmemoryClients < 0 && maxmemory > 0) {
            limit = (long) ((double) maxmemory * -(double) maxmemoryClients / 100);
        } else if (maxmemoryClients > 0) {
            limit = maxmemoryClients;
        } else {
            return 0;
        }
        return Math.max(limit, EVICTION_FLOOR);
    }

    /** The client with this id, or null. */
    public Client get(long id) {
        return byId.get(id);
    }

    public Collection<Client> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }

    /** The client whose command is executing, or null. */
    public Client current() {
        return current;
    }

    /** Marks the start and end of a command's execution (null when none runs). */
    public void current(Client c) {
        current = c;
    }
}
