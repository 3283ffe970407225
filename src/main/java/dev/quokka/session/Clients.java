package dev.quokka.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connected clients by id, in connection order (CLIENT LIST), and the client whose command is
 * executing (Redis's {@code server.current_client}). Only the keyspace context touches it.
 */
public final class Clients {
    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private long nextId = 1;
    private Client current;

    /** The id the next connection gets. */
    public long nextId() {
        return nextId++;
    }

    public void add(Client c) {
        byId.put(c.id(), c);
    }

    public void remove(Client c) {
        byId.remove(c.id());
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
