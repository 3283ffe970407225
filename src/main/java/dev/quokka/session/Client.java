package dev.quokka.session;

import dev.quokka.acl.User;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.protocol.RespParser;
import dev.quokka.protocol.RespWriter;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One client connection's state (Redis's {@code client} struct): selected database, protocol
 * version, name, authentication, reply mode, and the request being executed.
 */
public final class Client {
    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP }

    public final RespWriter reply = new RespWriter();
    /** This connection's request parser (the network listener feeds it). */
    public final RespParser parser = new RespParser();
    private final Keyspace keyspace;
    private final Transactions transactions;
    private final long id;
    private final String addr;
    private final String laddr;
    private final long createdMillis = System.currentTimeMillis();
    private long lastInteractionMillis = createdMillis;

    private Database db;
    private String name = "";
    private String libName = "";
    private String libVer = "";
    private boolean authenticated;
    /** The ACL user the connection runs as (the default user until AUTH). */
    private User user;
    private boolean local;
    private ReplyMode replyMode = ReplyMode.ON;
    private boolean closeAfterReply;
    private boolean closed;
    private String lastCommand = "NULL";
    /** The network side of this client; null for clients without a socket (AOF loading, benchmarks). */
    private Connection connection;
    // CLIENT TRACKING state (managed by Tracking)
    boolean tracking;
    boolean trackingBcast;
    boolean trackingOptin;
    boolean trackingOptout;
    boolean trackingNoloop;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) for the next command. */
    boolean trackingCaching;
    long trackingRedirect;
    boolean trackingBrokenRedirect;
    final Set<String> trackingPrefixes = new LinkedHashSet<>();
    final List<byte[]> pendingInvalidations = new ArrayList<>();
    // MULTI/EXEC state
    /** Commands queued since MULTI (null: not in a transaction). */
    List<byte[][]> queued;
    /** A command was rejected while queuing: EXEC will fail with EXECABORT. */
    boolean execAbort;
    /** A watched key changed: EXEC will reply a null array. */
    boolean dirtyCas;
    /** Running EXEC's queue: blocking commands do not block. */
    boolean inExec;
    final List<Blocking.Key> watched = new ArrayList<>();

    // Blocking state (managed by Blocking; the connection side by RespServer)
    /** Waiting in {@link Blocking}: no input is processed until the wait ends. */
    boolean blocked;
    /** The blocking command is being run again to serve it. */
    boolean rerunning;
    /** Set by a rerun that still found nothing: the client keeps waiting. */
    boolean stillBlocked;
    byte[][] blockedArgv;
    /**
     * Whether the waiters behind this client on a key wait while it does (a pop: what this one
     * cannot take, later ones cannot either), or are each served on their own (a stream read).
     */
    boolean blockedInQueueOrder;
    /** The memory last recorded for this client in {@link Clients}' total. */
    long recordedMemory;
    /** Whether {@link Clients} lists it (connected and not yet removed). */
    boolean listed;
    /** Whether {@link #recordedMemory} went to the replicas' total (the client was a replica then). */
    boolean recordedAsReplica;
    /** CLIENT NO-EVICT ON: client eviction passes this client over. */
    boolean noEvict;
    List<Blocking.Key> blockedKeys;
    long blockTimer = -1;
    /** What a timed-out wait replies, when not the null array of the blocking pops (WAIT: its count). */
    Consumer<RespWriter> timeoutReply;

    /**
     * What a client's network connection does for the session layer; the network listener
     * implements it, so that nothing here knows a socket.
     */
    public interface Connection {
        /** A buffer for replies written outside a read batch (pub/sub messages). */
        ByteBuf allocate();

        /** Writes a buffer of out-of-band replies to the socket. */
        void writeOutOfBand(ByteBuf buf);

        /** Output not yet taken by the socket (CLIENT LIST omem, the output buffer limits). */
        long outputBytes();

        /**
         * Sends a file's bytes (a replica's RDB) after what was written before it and before what
         * is written after; {@code done} runs on the keyspace context with null or the failure.
         */
        void sendFile(java.nio.file.Path file, Consumer<Throwable> done);

        /**
         * Writes bytes after what was written before (a chunk of a diskless transfer); {@code done}
         * runs on the keyspace context with null once the socket has taken them, or the failure.
         */
        void writeChunk(byte[] bytes, Consumer<Throwable> done);

        /** Closes the socket without a reply (CLIENT KILL, shutdown). */
        void close();

        /** Runs the blocking command again (its reply, if it is served, waits for {@link #resume}). */
        void rerunBlocked();

        /** Sends the served reply, or {@code finalReply} (timeout, CLIENT UNBLOCK), then goes on with the input. */
        void resume(Consumer<RespWriter> finalReply);

        /** Runs a request postponed by CLIENT PAUSE as a new command, sends its reply, then goes on with the input. */
        void retry(byte[][] request);

        /**
         * Reads and serves what the client has sent, directly from its socket, while a long
         * script holds the event loop (Redis's processEventsWhileBlocked): other clients are
         * answered BUSY and may stop the script with SCRIPT KILL.
         */
        void pollWhileBusy();
    }

    private final Set<String> channels = new LinkedHashSet<>();
    private final Set<String> patterns = new LinkedHashSet<>();
    private final Set<String> shardChannels = new LinkedHashSet<>();
    private boolean monitor;
    /** A replica of this server: past PSYNC or SYNC, it is sent the replication stream and no replies. */
    private boolean replica;
    private boolean master;
    private long writeOffset;
    /** Waiting for CLIENT PAUSE to end, its request in {@link #blockedArgv}. */
    boolean postponed;

    /**
     * A connection's state, in database 0; {@code authenticated} is false when a password is
     * required. Error replies are counted by {@code errorCounter} (INFO errorstats).
     */
    public Client(long id, String addr, String laddr, Keyspace keyspace, Transactions transactions,
                  boolean authenticated, Consumer<String> errorCounter) {
        this.id = id;
        this.addr = addr;
        this.laddr = laddr;
        this.keyspace = keyspace;
        this.transactions = transactions;
        this.db = keyspace.db(0);
        this.authenticated = authenticated;
        parser.authenticated(authenticated);
        reply.onError(errorCounter);
    }

    public long id() {
        return id;
    }

    public String addr() {
        return addr;
    }

    public String laddr() {
        return laddr;
    }

    public Database db() {
        return db;
    }

    public void select(int index) {
        db = keyspace.db(index);
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void libName(String v) {
        libName = v;
    }

    public String libVer() {
        return libVer;
    }

    public void libVer(String v) {
        libVer = v;
    }

    /** Whether the peer is 127.0.0.1 or ::1 (Redis's islocalClient), for protected mode and protected configs. */
    public boolean local() {
        return local;
    }

    public void local(boolean v) {
        local = v;
    }

    public User user() {
        return user;
    }

    public void user(User u) {
        user = u;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean v) {
        authenticated = v;
        parser.authenticated(v);
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode m) {
        replyMode = m;
    }

    public boolean tracking() {
        return tracking;
    }

    public boolean trackingBcast() {
        return trackingBcast;
    }

    public boolean trackingOptin() {
        return trackingOptin;
    }

    public boolean trackingOptout() {
        return trackingOptout;
    }

    public boolean trackingNoloop() {
        return trackingNoloop;
    }

    public boolean trackingCaching() {
        return trackingCaching;
    }

    /** CLIENT CACHING: applies to the next command only. */
    public void trackingCaching(boolean on) {
        trackingCaching = on;
    }

    public long trackingRedirect() {
        return trackingRedirect;
    }

    public boolean trackingBrokenRedirect() {
        return trackingBrokenRedirect;
    }

    public Set<String> trackingPrefixes() {
        return trackingPrefixes;
    }

    /** Channels this client is subscribed to (ISO-8859-1 names). */
    public Set<String> channels() {
        return channels;
    }

    /** Patterns this client is subscribed to. */
    public Set<String> patterns() {
        return patterns;
    }

    /** Shard channels this client is subscribed to (SSUBSCRIBE). */
    public Set<String> shardChannels() {
        return shardChannels;
    }

    /** Sets what this client's next wait replies when it times out (or CLIENT UNBLOCK TIMEOUT ends it). */
    public void timeoutReply(Consumer<RespWriter> reply) {
        timeoutReply = reply;
    }

    /** Whether the client waits for CLIENT PAUSE to end (CLIENT UNBLOCK cannot end that wait). */
    public boolean postponed() {
        return postponed;
    }

    /** Whether the client is in MONITOR mode. */
    /** The replication offset after this client's last write (WAIT's target). */
    public long writeOffset() {
        return writeOffset;
    }

    public void writeOffset(long offset) {
        writeOffset = offset;
    }

    /** The connection from this server's primary (Redis's CLIENT_MASTER): its commands are obeyed, never answered. */
    public boolean master() {
        return master;
    }

    public void master(boolean on) {
        master = on;
    }

    public boolean replica() {
        return replica;
    }

    public void replica(boolean on) {
        replica = on;
    }

    public boolean monitor() {
        return monitor;
    }

    public void monitor(boolean on) {
        monitor = on;
    }

    /** Whether the client is in Pub/Sub mode (Redis's CLIENT_PUBSUB flag). */
    public boolean subscribed() {
        return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
    }

    /**
     * Writes a push reply (a subscription confirmation or a message). Pushes are delivered even
     * under CLIENT REPLY OFF, as in Redis 7. While this client's own requests are being served
     * the push joins that batch's output; otherwise it is written to the socket at once.
     */
    public void push(Consumer<RespWriter> message) {
        boolean wasEnabled = reply.enabled();
        reply.enabled(true);
        try {
            if (reply.target() != null) {
                message.accept(reply);
            } else if (connection != null && !closed) {
                ByteBuf buf = connection.allocate();
                reply.target(buf);
                try {
                    message.accept(reply);
                } finally {
                    reply.target(null);
                }
                connection.writeOutOfBand(buf);
            }
        } finally {
            reply.enabled(wasEnabled);
        }
    }

    /** Whether MULTI was called and EXEC or DISCARD not yet. */
    public boolean inMulti() {
        return queued != null;
    }

    /** MULTI: starts queuing. */
    public void multi() {
        queued = new ArrayList<>();
        execAbort = false;
    }

    /** Queues a command between MULTI and EXEC. */
    public void queue(byte[][] argv, int argc) {
        queued.add(Arrays.copyOf(argv, argc));
    }

    /** A command was rejected inside MULTI (Redis's flagTransaction). */
    public void flagTransaction() {
        if (queued != null) {
            execAbort = true;
        }
    }

    /**
     * Ends the transaction if there is one (EXEC, DISCARD, RESET) and returns its queue (null
     * outside MULTI); forgets watched keys either way.
     */
    public List<byte[][]> endMulti() {
        List<byte[][]> q = queued;
        queued = null;
        execAbort = false;
        transactions.unwatchAll(this);
        return q;
    }

    /** The commands queued since MULTI (empty outside a transaction); not to be changed. */
    public List<byte[][]> queuedCommands() {
        return queued == null ? List.of() : queued;
    }

    /** CLIENT LIST's multi: commands queued, or -1 outside MULTI. */
    public int queuedCount() {
        return queued == null ? -1 : queued.size();
    }

    public boolean execAborted() {
        return execAbort;
    }

    public boolean watchedKeyChanged() {
        return dirtyCas;
    }

    /** Marks the running of EXEC's queue, during which blocking commands do not block. */
    public void inExec(boolean on) {
        inExec = on;
    }

    /** Whether a blocking command must not block here (inside EXEC). */
    public boolean denyBlocking() {
        return inExec;
    }

    /** Whether this client waits in a blocking command. */
    public boolean blocked() {
        return blocked;
    }

    /** Whether the command running is a blocked client's, run again to serve it. */
    public boolean servingBlocked() {
        return rerunning;
    }

    void deliverUnblock(Consumer<RespWriter> finalReply) {
        if (connection != null) {
            connection.resume(finalReply);
        }
    }

    /** Attaches the network side (once, when the connection is accepted). */
    public void attach(Connection c) {
        connection = c;
    }

    /** The network side, or null for a client without a socket. */
    public Connection connection() {
        return connection;
    }

    /** Asks the connection to close once the replies produced so far are written (QUIT). */
    public void closeAfterReply() {
        closeAfterReply = true;
    }

    /** Whether QUIT (or a protocol error) asked to close after the replies so far. */
    public boolean closingAfterReply() {
        return closeAfterReply;
    }

    /** Whether the connection is closed or closing: nothing more is read or written. */
    public boolean closed() {
        return closed;
    }

    /** Marks the connection closed (the listener, when it closes or sees it closed). */
    public void markClosed() {
        closed = true;
    }

    /** Closes the connection without a reply (CLIENT KILL). */
    public void kill() {
        if (connection != null) {
            closed = true;
            connection.close();
        } else if (onKill != null) {
            onKill.run();
        }
    }

    private Runnable onKill;

    /** What CLIENT KILL does to a client without a socket of its own (the primary's, on a replica: drop the link). */
    public void onKill(Runnable r) {
        onKill = r;
    }

    /** Records that a request arrived (CLIENT LIST idle). */
    public void touched(long millis) {
        lastInteractionMillis = millis;
    }

    /** A blocked client's rerun still found nothing: it keeps waiting. */
    public boolean stillBlocked() {
        return stillBlocked;
    }

    /** The request a blocked client waits in, to be run again when a key it waits for is ready. */
    public byte[][] blockedRequest() {
        return blockedArgv;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public void lastCommand(String fullName) {
        lastCommand = fullName;
    }

    public int queryBufferLength() {
        return parser.pending();
    }

    /** CLIENT LIST's qbuf of the client running the command: its request and the input after it, as Redis. */
    public long queryBufferWithCurrent() {
        return parser.pendingWithCurrent();
    }

    /** Output not yet taken by the socket (CLIENT LIST omem). */
    public long outputBytes() {
        return connection == null ? 0 : connection.outputBytes();
    }

    /** What this client holds in buffers: its request and its unsent output (CLIENT LIST tot-mem). */
    /** CLIENT NO-EVICT. */
    public void noEvict(boolean on) {
        noEvict = on;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public long memory() {
        return parser.requestBytes() + outputBytes();
    }
}
