package dev.quokka.replication;

/**
 * The replica's side of replication (Redis's replication.c, slave half): which primary this
 * server follows, the state of its link, and how far it has processed the primary's stream. The
 * link itself (a socket) belongs to the network layer, which watches this state through
 * {@link #onChange} and reports back through the setters.
 */
public final class Upstream {
    /** Redis's repl_state, as ROLE names it. */
    public enum LinkState {
        NONE("none"), CONNECT("connect"), CONNECTING("connecting"), HANDSHAKE("handshake"), SYNC("sync"),
        CONNECTED("connected");

        public final String role;

        LinkState(String role) {
            this.role = role;
        }
    }

    private String host;
    private int port;
    private LinkState state = LinkState.NONE;
    private long lastIoMillis;
    private long linkDownSinceMillis;
    private long syncBytesTotal = -1;
    private long syncBytesRead;
    private long syncLastIoMillis;
    private Runnable onChange = () -> { };

    private Runnable ackNow = () -> { };
    private int streamDb;

    /**
     * The database the primary's stream has selected: a partial resync continues in it (the
     * primary sends no SELECT again), and an RDB records it with the history.
     */
    public int streamDb() {
        return streamDb;
    }

    public void streamDb(int db) {
        streamDb = db;
    }

    /** How the link sends REPLCONF ACK at once (REPLCONF GETACK in the primary's stream). */
    public void onAckNow(Runnable r) {
        ackNow = r;
    }

    public void ackNow() {
        ackNow.run();
    }

    /** Called when the primary to follow changes (REPLICAOF): the network layer reconnects. */
    public void onChange(Runnable r) {
        onChange = r;
    }

    /** Whether this server is a replica (REPLICAOF host port). */
    public boolean replica() {
        return host != null;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** REPLICAOF host port. */
    public void follow(String host, int port) {
        this.host = host;
        this.port = port;
        state = LinkState.CONNECT;
        linkDownSinceMillis = System.currentTimeMillis();
        onChange.run();
    }

    /** REPLICAOF NO ONE. */
    public void stop() {
        host = null;
        port = 0;
        state = LinkState.NONE;
        onChange.run();
    }

    public LinkState state() {
        return state;
    }

    public void state(LinkState s) {
        if (s != LinkState.CONNECTED && state == LinkState.CONNECTED) {
            linkDownSinceMillis = System.currentTimeMillis();
        }
        state = s;
        if (s != LinkState.SYNC) {
            syncBytesTotal = -1;
            syncBytesRead = 0;
        }
    }

    /** Bytes arrived from the primary (master_last_io_seconds_ago). */
    public void io() {
        lastIoMillis = System.currentTimeMillis();
    }

    public long lastIoSecondsAgo() {
        return lastIoMillis == 0 ? -1 : (System.currentTimeMillis() - lastIoMillis) / 1000;
    }

    public long linkDownSinceSecondsAgo() {
        return linkDownSinceMillis == 0 ? -1 : (System.currentTimeMillis() - linkDownSinceMillis) / 1000;
    }

    /** The full resync's RDB as it arrives: its size (-1 when it ends with a mark) and bytes so far. */
    public void syncProgress(long total, long read) {
        syncBytesTotal = total;
        syncBytesRead = read;
        syncLastIoMillis = System.currentTimeMillis();
    }

    public long syncBytesTotal() {
        return syncBytesTotal;
    }

    public long syncBytesRead() {
        return syncBytesRead;
    }

    public long syncLastIoSecondsAgo() {
        return (System.currentTimeMillis() - syncLastIoMillis) / 1000;
    }
}
