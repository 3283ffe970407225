package dev.quokka.replication;

/**
 * FAILOVER's coordinated handover from this primary to one of its replicas (Redis's
 * failover_state and its target): writes are paused, a replica that has acknowledged the whole
 * stream is chosen (or the one named), this server follows it and asks it, with {@code PSYNC ...
 * FAILOVER}, to become the primary. The steps are run by the command layer; this is their state.
 */
public final class Failover {
    /** Redis's failover states, as INFO's master_failover_state names them. */
    public enum State {
        NONE("no-failover"), WAIT_FOR_SYNC("waiting-for-sync"), IN_PROGRESS("failover-in-progress");

        public final String info;

        State(String info) {
            this.info = info;
        }
    }

    private State state = State.NONE;
    private String host;
    private int port;
    private long endMillis;
    private boolean force;

    public State state() {
        return state;
    }

    /** The replica failed over to, once named or chosen; null before. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** When waiting for a replica to catch up ends (0: never). */
    public long endMillis() {
        return endMillis;
    }

    /** FORCE: at the end of the wait, fail over to the named replica even if it has not caught up. */
    public boolean force() {
        return force;
    }

    /** FAILOVER accepted: wait for a replica ({@code host} null: any) to catch up. */
    public void start(String host, int port, long endMillis, boolean force) {
        this.host = host;
        this.port = port;
        this.endMillis = endMillis;
        this.force = force;
        state = State.WAIT_FOR_SYNC;
    }

    /** The target is chosen: this server now follows it and asks it to take over. */
    public void inProgress(String host, int port) {
        this.host = host;
        this.port = port;
        state = State.IN_PROGRESS;
    }

    /** Done or aborted (Redis's clearFailoverState). */
    public void clear() {
        state = State.NONE;
        host = null;
        port = 0;
        endMillis = 0;
        force = false;
    }
}
