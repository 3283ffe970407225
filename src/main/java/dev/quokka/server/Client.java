package dev.quokka.server;

import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.protocol.RespParser;
import dev.quokka.protocol.RespWriter;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One client connection's state (Redis's {@code client} struct): selected database, protocol
 * version, name, authentication, reply mode, and the request being executed.
 */
public final class Client {
    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP }

    public final ServerContext server;
    public final RespWriter reply = new RespWriter();
    final RespParser parser = new RespParser();
    private final long id;
    private final String addr;
    private final String laddr;
    private final long createdMillis = System.currentTimeMillis();
    long lastInteractionMillis = createdMillis;
    /**
     * {@link System#nanoTime()} at the end of this client's previous command when the next one
     * follows it in the same read batch with nothing in between, else 0: that command's timing
     * starts there instead of reading the clock again (one clock read per pipelined command).
     */
    public long commandClock;

    /** The request being executed: argv[0] is the command name. */
    public byte[][] argv;
    public int argc;
    /** Scratch slot for the last number parsed by {@code Args} (avoids boxing). */
    public long parsed;
    /**
     * The command's effect as the append-only file is to record it, when that differs from
     * argv (Redis's {@code rewriteClientCommandVector}); null to record argv as it came.
     */
    public byte[][] propagateAs;

    private Database db;
    private String name = "";
    private String libName = "";
    private String libVer = "";
    private boolean authenticated;
    private ReplyMode replyMode = ReplyMode.ON;
    boolean closeAfterReply;
    /** Reply batches waiting for the append-only file (RespServer keeps their order). */
    int heldReplies;
    /** Capacity of the next read batch's reply buffer: what the last batch wrote, with room (RespServer). */
    int replyHint = 256;
    boolean closed;
    String lastCommand = "NULL";
    Runnable killer;
    /** Writes a buffer of out-of-band replies (pub/sub messages) to this client's socket. */
    Consumer<ByteBuf> outOfBand;
    java.util.function.Supplier<ByteBuf> allocator;
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
    final java.util.List<byte[]> pendingInvalidations = new java.util.ArrayList<>();
    // MULTI/EXEC state
    /** Commands queued since MULTI (null: not in a transaction). */
    java.util.List<byte[][]> queued;
    /** A command was rejected while queuing: EXEC will fail with EXECABORT. */
    boolean execAbort;
    /** A watched key changed: EXEC will reply a null array. */
    boolean dirtyCas;
    /** Running EXEC's queue: blocking commands do not block. */
    boolean inExec;
    final java.util.List<Blocking.Key> watched = new java.util.ArrayList<>();

    // Blocking state (managed by Blocking; the connection side by RespServer)
    /** Waiting in {@link Blocking}: no input is processed until the wait ends. */
    boolean blocked;
    /** The blocking command is being run again to serve it. */
    boolean rerunning;
    /** Set by a rerun that still found nothing: the client keeps waiting. */
    boolean stillBlocked;
    byte[][] blockedArgv;
    java.util.List<Blocking.Key> blockedKeys;
    long blockTimer = -1;
    /** The connection's side of blocking: set by the network server. */
    BlockedIo io;

    /** What the connection does for a blocked client. */
    interface BlockedIo {
        /** Runs the blocking command again (its reply, if it is served, waits for {@link #resume}). */
        void rerun();

        /** Sends the served reply, or {@code finalReply} (timeout, CLIENT UNBLOCK), then goes on with the input. */
        void resume(Consumer<RespWriter> finalReply);
    }

    private final Set<String> channels = new LinkedHashSet<>();
    private final Set<String> patterns = new LinkedHashSet<>();

    Client(ServerContext server, long id, String addr, String laddr) {
        this.server = server;
        this.id = id;
        this.addr = addr;
        this.laddr = laddr;
        this.db = server.keyspace().db(0);
        this.authenticated = !server.requiresPass();
        parser.authenticated(authenticated);
        reply.onError(server::countError);
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

    public Keyspace keyspace() {
        return server.keyspace();
    }

    public Database db() {
        return db;
    }

    public void select(int index) {
        db = server.keyspace().db(index);
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

    /** Whether the client is in Pub/Sub mode (Redis's CLIENT_PUBSUB flag). */
    public boolean subscribed() {
        return !channels.isEmpty() || !patterns.isEmpty();
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
            } else if (outOfBand != null && !closed) {
                ByteBuf buf = allocator.get();
                reply.target(buf);
                try {
                    message.accept(reply);
                } finally {
                    reply.target(null);
                }
                outOfBand.accept(buf);
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
        queued = new java.util.ArrayList<>();
        execAbort = false;
    }

    /** Queues a command between MULTI and EXEC. */
    public void queue(byte[][] argv, int argc) {
        queued.add(java.util.Arrays.copyOf(argv, argc));
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
    public java.util.List<byte[][]> endMulti() {
        java.util.List<byte[][]> q = queued;
        queued = null;
        execAbort = false;
        server.transactions().unwatchAll(this);
        return q;
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
        if (io != null) {
            io.resume(finalReply);
        }
    }

    /** Asks the connection to close once the replies produced so far are written (QUIT). */
    public void closeAfterReply() {
        closeAfterReply = true;
    }

    /** Closes the connection without a reply (CLIENT KILL). */
    public void kill() {
        if (killer != null) {
            killer.run();
        }
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

    /** Argument {@code i} as a String (UTF-8), for options and names. */
    public String arg(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    /** Whether argument {@code i} equals {@code word}, ignoring ASCII case. */
    public boolean argIs(int i, String word) {
        byte[] a = argv[i];
        if (a.length != word.length()) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            if (lower(a[k]) != lower(word.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
