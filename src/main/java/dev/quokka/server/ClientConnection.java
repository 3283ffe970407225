package dev.quokka.server;

import dev.quokka.command.CommandContext;
import dev.quokka.command.Server;
import dev.quokka.config.ClientOutputLimits;
import dev.quokka.config.Settings;
import dev.quokka.protocol.ProtocolException;
import dev.quokka.protocol.RespParser;
import dev.quokka.protocol.RespWriter;
import dev.quokka.session.Client;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.vertx.core.net.impl.NetSocketInternal;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One accepted socket: its client, the context its commands run in, and its input and output.
 * All of it runs on the keyspace's event loop.
 *
 * <p>What one client may cost the others is bounded here:
 * <ul>
 *   <li><b>Time</b>: a read batch runs for at most {@link #SLICE_NANOS}; the rest of the input
 *       waits for the next turn of the event loop (after the other connections' I/O) and the
 *       socket is not read meanwhile, so a flood of requests slows only its sender.</li>
 *   <li><b>Output</b>: replies leave in chunks of {@link #CHUNK} bytes as they are produced (no
 *       buffer grown by copying). When the socket does not take them they are kept, as Redis
 *       keeps them (a client may write a whole pipeline before it reads a reply: were its input
 *       left unread, it would wait on its write and the server on its read), until the clients'
 *       buffers together pass {@link #OUTPUT_BUDGET}: from then on the input of a client whose
 *       socket does not take its replies is left unread until they drain.
 *       {@code client-output-buffer-limit} (normal, pubsub and replica
 *       classes, hard and soft limits) closes a client whose unsent output passes it, as Redis
 *       does, and an unauthenticated client may have only {@link #UNAUTHENTICATED_OUTPUT_MAX}
 *       bytes unsent (redis-server 7.0.15's fix of CVE-2025-21605).</li>
 *   <li><b>Input</b>: {@code client-query-buffer-limit} closes a client whose pending request
 *       (input and arguments read so far) passes it; the parser grows with the bytes that arrive.</li>
 *   <li><b>Heap</b>: an {@link OutOfMemoryError} in a command answers that client with an error,
 *       discards its unread input and closes it; its effects are not appended to the AOF.</li>
 * </ul>
 */
final class ClientConnection implements Client.Connection {
    private static final Logger LOG = Logger.getLogger(ClientConnection.class);
    /** Replies are handed to the socket each time this many have gathered. */
    static final int CHUNK = 64 * 1024;
    /** The longest a connection's read batch runs before the others get their turn. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Unsent output an unauthenticated client may have: Redis's 16 KiB reply buffer and 1 KiB more. */
    static final long UNAUTHENTICATED_OUTPUT_MAX = 16 * 1024 + 1024;
    /** The largest reply buffer a read batch starts with. */
    private static final int MAX_REPLY_HINT = 64 * 1024;
    /**
     * What the clients' buffers may hold together before a client whose replies are not read is
     * read no more (a quarter of the memory the JVM gives Netty's buffers, the heap's size unless
     * set): the bound on what clients that pipeline without reading cost the server.
     */
    static final long OUTPUT_BUDGET = io.netty.util.internal.PlatformDependent.maxDirectMemory() / 4;
    /** Replies held for the append-only file beyond which a batch lets the file catch up first. */
    private static final long HELD_MAX = 4L * CHUNK;
    private static long securityWarningSeconds;

    private final Server server;
    private final KeyPrefetch prefetch;
    /** The event loop's reply buffer, which batches write into when this connection writes to its socket itself. */
    private final ReplyBuffer replies;
    /**
     * The socket, written directly when nothing of this connection waits in Netty's outbound
     * queue ({@link #writeNow}); null when it is not (NIO transport, TLS: Netty's pipeline
     * encrypts).
     */
    private final FileDescriptor fd;
    /** The size of a file being sent (a replica's RDB), until it is sent. */
    private long fileInFlight;
    final NetSocketInternal so;
    private final Channel channel;
    /** Output beyond what Netty is given per turn of the event loop, next to the pipeline's head. */
    private final PacedOutput paced = new PacedOutput();
    final Client client;
    private final CommandContext ctx;
    /** Reply batches waiting for the append-only file (their order is kept), and their bytes. */
    private int heldReplies;
    private long heldBytes;
    /** Capacity of the next read batch's reply buffer: what the last batch wrote, with room. */
    private int replyHint = 256;
    /** A blocked command's reply, served by a rerun and waiting for {@link #resume}. */
    private ByteBuf served;
    private boolean servedAppended;
    /** The socket does not take more output: input waits until it drains. */
    private boolean awaitingDrain;
    /** The rest of the input waits for the next turn of the event loop. */
    private boolean continuing;
    /** Whether the socket is being read (Netty's auto-read). */
    private boolean reading = true;
    /** When the soft output limit was first seen exceeded (seconds), 0 when it is not. */
    private long softLimitSince;

    /** {@code reads} and {@code replies}: the event loop's buffers, used when the socket can be written directly. */
    ClientConnection(Server server, KeyPrefetch prefetch, ReadBuffer reads, ReplyBuffer replies, NetSocketInternal so,
                     Client client) {
        this.server = server;
        this.prefetch = prefetch;
        this.replies = replies;
        this.so = so;
        this.channel = so.channelHandlerContext().channel();
        this.fd = channel instanceof UnixChannel unix && !so.isSsl() ? unix.fd() : null;
        if (fd != null) {
            channel.config().setRecvByteBufAllocator(reads);
        }
        channel.pipeline().addFirst("quokka-paced-output", paced);
        this.client = client;
        this.ctx = server.context(client);
    }

    // ------------------------------------------------------------------ Client.Connection

    @Override
    public ByteBuf allocate() {
        return channel.alloc().ioBuffer(128);
    }

    @Override
    public void writeOutOfBand(ByteBuf buf) {
        server.stats().wroteOutOfBand(buf.readableBytes());
        so.writeMessage(buf);
        afterWrite();
    }

    @Override
    public void sendFile(java.nio.file.Path file, Consumer<Throwable> done) {
        try {
            fileInFlight = java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            done.accept(e);
            return;
        }
        so.sendFile(file.toString()).onComplete(ar -> {
            fileInFlight = 0;
            done.accept(ar.cause());
        });
    }

    @Override
    public void writeChunk(byte[] bytes, Consumer<Throwable> done) {
        server.stats().wroteOutOfBand(bytes.length);
        so.write(io.vertx.core.buffer.Buffer.buffer(bytes)).onComplete(ar -> done.accept(ar.cause()));
    }

    /**
     * Closes at once, dropping unsent output: the close starts below Vert.x's handler, whose own
     * close waits for the queued output to be written first (never, for a client that does not read).
     */
    @Override
    public void close() {
        so.channelHandlerContext().close();
    }

    /** Closes once the output queued so far is written (shutdown). */
    void closeAfterOutput() {
        client.markClosed();
        so.close();
    }

    /**
     * Output not yet taken by the socket. A file being sent (a replica's RDB) is not output in
     * Redis's sense: its bytes do not count against the output limits while it goes.
     */
    @Override
    public long outputBytes() {
        return Math.max(0, paced.unsentBytes() - fileInFlight) + heldBytes;
    }

    @Override
    public void rerunBlocked() {
        ByteBuf out = channel.alloc().ioBuffer(64);
        long appended = server.aof().appended();
        ctx.reply.target(out);
        try {
            server.dispatcher().rerunBlocked(ctx);
        } finally {
            ctx.reply.target(null);
        }
        if (client.stillBlocked()) {
            out.release();
        } else {
            served = out;
            servedAppended = server.aof().appended() != appended;
        }
    }

    @Override
    public void retry(byte[][] request) {
        ByteBuf out = channel.alloc().ioBuffer(64);
        long appended = server.aof().appended();
        ctx.reply.target(out);
        ctx.argv = request;
        ctx.argc = request.length;
        ctx.commandClock = 0;
        int mark = client.reply.mark();
        try {
            server.dispatcher().execute(ctx);
        } catch (RuntimeException e) {
            LOG.errorf(e, "command %s failed", ctx.arg(0));
            client.reply.rewind(mark);
            client.reply.error("ERR internal error: " + e);
        } finally {
            ctx.reply.target(null);
            ctx.argv = null;
        }
        deliver(out, server.aof().appended() != appended);
        if (!client.blocked()) {
            continueLater();
        }
    }

    @Override
    public void resume(Consumer<RespWriter> finalReply) {
        ByteBuf out = served;
        boolean appended = servedAppended;
        served = null;
        if (out == null) {
            out = channel.alloc().ioBuffer(64);
            ctx.reply.target(out);
            try {
                finalReply.accept(ctx.reply);
            } finally {
                ctx.reply.target(null);
            }
            appended = false;
        }
        deliver(out, appended);
        // Go on with what the client sent while it waited, after the current event.
        continueLater();
    }

    @Override
    public void pollWhileBusy() {
        // A TLS connection's bytes are records to decrypt: they wait for the script to end.
        if (client.closed() || !channel.isActive() || so.isSsl()) {
            return;
        }
        ByteBuf buf = channel.alloc().directBuffer(16 * 1024);
        try {
            int n = WhileBusy.read(channel, buf.nioBuffer(0, buf.capacity()));
            if (n > 0) {
                buf.writerIndex(n);
                onData(buf);
            }
        } catch (java.io.IOException e) {
            // Netty sees the same error when the event loop runs again.
        } finally {
            buf.release();
        }
    }

    // ------------------------------------------------------------------ input

    /** Bytes arrived from the socket. */
    void onData(ByteBuf in) {
        if (client.closed()) {
            return;
        }
        int n = in.readableBytes();
        server.stats().read(n);
        RespParser parser = client.parser;
        boolean executing = !client.blocked() && !awaitingDrain && !continuing;
        boolean later = parser.holdsLater(n, executing);
        // Checked before the bytes go in, so that a buffer at the limit is not doubled first.
        long limit = server.config().get(Settings.CLIENT_QUERY_BUFFER_LIMIT);
        long wouldHold = later ? parser.requestBytes() + n : parser.requestBytesWith(n);
        if (wouldHold > limit) {
            drop("query buffer of " + wouldHold + " bytes over client-query-buffer-limit " + limit);
            return;
        }
        try {
            if (later) {
                while (in.isReadable()) {
                    byte[] room = parser.laterRoom();
                    int k = Math.min(in.readableBytes(), room.length - parser.laterEnd());
                    in.readBytes(room, parser.laterEnd(), k);
                    parser.laterWritten(k);
                }
            } else {
                byte[] dst = parser.reserve(n);
                in.readBytes(dst, parser.writeIndex(), n);
                parser.advance(n);
            }
        } catch (OutOfMemoryError e) {
            drop("out of memory reading its request (" + e.getMessage() + ")");
            return;
        }
        client.touched(System.currentTimeMillis());
        server.clients().memoryChanged(client);
        if (executing) {
            process();
        }
    }

    /**
     * The socket takes output again. The rest of the input runs on the next turn of the event loop,
     * not here: this is called from inside Netty's flush, whose write loop would send the replies
     * produced now in the same turn, and then again from its flush task, so a client pipelining
     * large replies to a fast reader would hold the event loop for dozens of replies while the
     * other connections' input waits unread.
     */
    void drained() {
        server.clients().memoryChanged(client);
        if (awaitingDrain && channel.isWritable()) {
            awaitingDrain = false;
            updateReading();
            if (!client.closed() && !client.blocked()) {
                continueLater();
            }
        }
    }

    /** Runs the rest of the input on the next turn of the event loop, after the others' I/O. */
    private void continueLater() {
        if (continuing) {
            return;
        }
        continuing = true;
        updateReading();
        channel.eventLoop().schedule(() -> {
            continuing = false;
            updateReading();
            if (!client.closed() && !client.blocked() && !awaitingDrain) {
                process();
            }
        }, 0, TimeUnit.NANOSECONDS);
    }

    private void updateReading() {
        boolean read = !awaitingDrain && !continuing;
        if (read != reading) {
            reading = read;
            channel.config().setAutoRead(read);
        }
    }

    /**
     * Executes the complete requests in the client's parser, until it blocks or closes, its time
     * slice ends or its socket stops taking output, and sends the replies.
     */
    void process() {
        Client c = client;
        RespParser parser = c.parser;
        ByteBuf out = replyBuffer(replyHint);
        c.reply.target(out);
        long appended = server.aof().appended();
        long start = System.nanoTime();
        // The first command's timing starts with the batch, as the others' start at the end of the
        // one before them: what lies between is the parsing of that command.
        ctx.commandClock = start;
        // Whether this batch's replies are checked against a limit (read once: none for a normal
        // client by default, so the common path pays nothing; a limit set meanwhile applies from
        // the next batch, and out-of-band pushes are always checked).
        boolean limited = limitsApply();
        boolean yield = false;
        boolean drop = false;
        int run = 0;
        try {
            while (!c.closingAfterReply() && !c.blocked() && !c.closed()) {
                if (run++ % KeyPrefetch.BATCH == 0) {
                    if (run > 1 && System.nanoTime() - start > SLICE_NANOS) {
                        yield = true;
                        break;
                    }
                    prefetch.ahead(parser, c.db());
                }
                if (!parser.next()) {
                    break;
                }
                ctx.argv = parser.argv();
                ctx.argc = parser.argc();
                if (crossProtocol(ctx.argv[0])) {
                    drop = true;
                    break;
                }
                int mark = c.reply.mark();
                try {
                    server.dispatcher().execute(ctx);
                } catch (RuntimeException e) {
                    // A bug must not leave half a reply on the wire: rewind to this command's start.
                    LOG.errorf(e, "command %s failed", ctx.arg(0));
                    c.reply.rewind(mark);
                    c.reply.error("ERR internal error: " + e);
                } catch (OutOfMemoryError e) {
                    // Nothing of it reached the AOF (Dispatcher); its reply and the unread input go.
                    String name = ctx.arg(0);
                    parser.discard();
                    c.reply.rewind(mark);
                    c.reply.enabled(true);
                    c.reply.error("OOM the server ran out of memory running '" + name
                        + "'; the connection is closed");
                    c.closeAfterReply();
                    LOG.errorf("Client id=%d addr=%s closed: out of memory running %s (%s)", c.id(), c.addr(),
                        name, e.getMessage());
                    break;
                }
                int produced = c.reply.mark();
                if (produced >= CHUNK) {
                    // Hand this chunk to the socket now: replies never pile up in one growing buffer.
                    c.reply.target(null);
                    boolean own = server.aof().appended() != appended;
                    appended = server.aof().appended();
                    deliver(out, own);
                    out = replyBuffer(CHUNK);
                    c.reply.target(out);
                    if (c.closed() || awaitingDrain || heldBytes > HELD_MAX || System.nanoTime() - start > SLICE_NANOS) {
                        yield = !awaitingDrain;
                        break;
                    }
                } else if (limited && produced > 0 && overOutputLimit(produced)) {
                    drop = true;
                    break;
                }
                // A slow command ends the slice at once, not up to 15 commands later: the end of the
                // command, which the dispatcher read anyway (0 when it did not run one), says when.
                long ended = ctx.commandClock;
                if (ended != 0 && ended - start > SLICE_NANOS && !c.blocked() && !c.closingAfterReply()) {
                    yield = true;
                    break;
                }
            }
        } catch (ProtocolException e) {
            c.reply.enabled(true);
            c.reply.error("ERR " + e.getMessage());
            c.closeAfterReply();
        }
        ctx.commandClock = 0;
        server.tracking().broadcastPending();
        ctx.argv = null;
        parser.release();
        c.reply.target(null);
        if (drop) {
            replies.done(out);
            kill();
            return;
        }
        // Size the next batch's buffer after this one's replies (16 pipelined 1 KiB GETs would
        // otherwise grow it from 256 bytes through seven copies).
        int wrote = out.readableBytes();
        replyHint = Math.max(256, Math.min(MAX_REPLY_HINT, wrote + (wrote >> 2)));
        deliver(out, server.aof().appended() != appended);
        if (yield && !c.closed()) {
            continueLater();
        }
    }

    /** Redis closes a connection whose command is {@code POST} or {@code Host:}: an HTTP request sent to it. */
    private boolean crossProtocol(byte[] name) {
        if (!isWord(name, "post") && !isWord(name, "host:")) {
            return false;
        }
        long now = System.currentTimeMillis() / 1000;
        synchronized (ClientConnection.class) {
            if (Math.abs(now - securityWarningSeconds) > 60) {
                securityWarningSeconds = now;
                LOG.warn("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands "
                    + "to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to "
                    + "compromise your Redis instance. Connection aborted.");
            }
        }
        return true;
    }

    /** Whether {@code name} is {@code lower} in any ASCII case (without building a String: every request passes here). */
    private static boolean isWord(byte[] name, String lower) {
        if (name.length != lower.length()) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            int b = name[i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ output

    /**
     * Where a batch's replies go: the event loop's shared buffer when they can be written at once
     * ({@link #writeNow}: nothing of this connection waits in Netty), else one of their own.
     */
    private ByteBuf replyBuffer(int capacity) {
        ByteBuf b = directly() ? replies.lend(channel.alloc()) : null;
        return b != null ? b : channel.alloc().ioBuffer(capacity);
    }

    /**
     * Whether this connection's replies can be written to its socket now: nothing of it waits in
     * Netty's outbound queue (so that the order of the bytes is kept) and no file goes to it. A
     * replica's connection is left to Netty (a diskless transfer's chunks reach it from another
     * thread, through Vert.x's queue).
     */
    private boolean directly() {
        if (fd == null || fileInFlight != 0 || client.replica()) {
            return false;
        }
        // Netty's outbound buffer is null once the channel closes.
        return channel.unsafe().outboundBuffer() != null && paced.isEmpty() && paced.unsentBytes() == 0 && fd.isOpen();
    }

    /** Sends a batch of replies, holding it for the AOF when it may acknowledge writes (group commit). */
    private void deliver(ByteBuf out, boolean appended) {
        boolean own = appended || heldReplies > 0;
        if (server.aof().holdReplies(own)) {
            ByteBuf kept = replies.own(out, channel.alloc());
            heldReplies++;
            int bytes = kept.readableBytes();
            heldBytes += bytes;
            server.aof().hold(() -> {
                heldReplies--;
                heldBytes -= bytes;
                send(kept);
            }, own);
            afterWrite();
        } else {
            send(out);
        }
    }

    private void send(ByteBuf out) {
        Client c = client;
        if (c.closed()) {
            replies.done(out);
            return;
        }
        if (out.isReadable()) {
            server.stats().wrote(out.readableBytes());
            if (c.closingAfterReply()) {
                c.markClosed();
                so.writeMessage(replies.own(out, channel.alloc()), ar -> so.close());
            } else if (writeNow(out)) {
                replies.done(out);
                afterWrite();
            } else {
                so.writeMessage(replies.own(out, channel.alloc()));
                if (afterWrite() && !channel.isWritable() && server.clients().memory() > OUTPUT_BUDGET) {
                    // Clients that pipeline faster than they read hold the budget: the input of
                    // this one waits until its replies drain.
                    awaitingDrain = true;
                    updateReading();
                }
            }
        } else {
            replies.done(out);
            if (c.closingAfterReply()) {
                c.markClosed();
                so.close();
            }
        }
    }

    /**
     * Writes {@code out} to the socket at once when it {@linkplain #directly can} be, as Redis
     * writes a client's replies: one {@code write(2)} without an outbound queue entry or a flush.
     * What the socket does not take stays readable in {@code out}.
     *
     * @return whether all of {@code out} was written
     */
    private boolean writeNow(ByteBuf out) {
        if (!out.hasMemoryAddress() || !directly()) {
            return false;
        }
        try {
            // At most what Netty would be given in one turn (PacedOutput): the rest goes through it.
            int to = (int) Math.min(out.writerIndex(), (long) out.readerIndex() + PacedOutput.PACE);
            out.skipBytes(fd.writeAddress(out.memoryAddress(), out.readerIndex(), to));
        } catch (java.io.IOException e) {
            return false; // Netty's own write meets the same error and closes the connection
        }
        return !out.isReadable();
    }

    /**
     * After output was queued: closes the client when its unsent output passes its limit.
     *
     * @return false when the client was closed
     */
    private boolean afterWrite() {
        if (client.closed()) {
            return false;
        }
        server.clients().memoryChanged(client);
        if (limitsApply() && overOutputLimit(0)) {
            kill();
            return false;
        }
        return true;
    }

    /** Whether any output limit applies to this client now (none for a normal client by default). */
    private boolean limitsApply() {
        if (server.requiresPass() && !client.authenticated()) {
            return true;
        }
        ClientOutputLimits.Limit l = limit();
        return l.hard() > 0 || l.soft() > 0;
    }

    private ClientOutputLimits.Limit limit() {
        ClientOutputLimits all = server.config().get(Settings.CLIENT_OUTPUT_BUFFER_LIMIT);
        return client.replica() ? all.replica() : client.subscribed() ? all.pubsub() : all.normal();
    }

    /** Redis's checkClientOutputBufferLimits, logging as closeClientOnOutputBufferLimitReached does. */
    private boolean overOutputLimit(long unflushed) {
        long used = outputBytes() + unflushed;
        boolean over;
        if (used > UNAUTHENTICATED_OUTPUT_MAX && server.requiresPass() && !client.authenticated()) {
            over = true;
        } else {
            ClientOutputLimits.Limit l = limit();
            over = l.overHard(used);
            if (l.overSoft(used)) {
                long now = System.currentTimeMillis() / 1000;
                if (softLimitSince == 0) {
                    softLimitSince = now;
                } else if (now - softLimitSince > l.softSeconds()) {
                    over = true;
                }
            } else {
                softLimitSince = 0;
            }
        }
        if (over) {
            LOG.warnf("Client id=%d addr=%s name=%s omem=%d closed for overcoming of output buffer limits.",
                client.id(), client.addr(), client.name(), used);
        }
        return over;
    }

    /** Closes the connection at once, dropping what it has not sent. */
    private void kill() {
        client.parser.discard();
        client.kill();
    }

    /** Closes a client that broke an input bound, with Redis's log line. */
    private void drop(String why) {
        LOG.warnf("Closing client id=%d addr=%s name=%s: %s", client.id(), client.addr(), client.name(), why);
        kill();
    }
}
