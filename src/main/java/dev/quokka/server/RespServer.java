package dev.quokka.server;

import dev.quokka.command.CommandContext;
import dev.quokka.command.Server;
import dev.quokka.config.BuildInfo;
import dev.quokka.config.Settings;
import dev.quokka.protocol.ProtocolException;
import dev.quokka.protocol.RespParser;
import dev.quokka.protocol.RespWriter;
import dev.quokka.session.Blocking;
import dev.quokka.session.Client;
import dev.quokka.session.InstantaneousMetrics;
import io.netty.buffer.ByteBuf;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import org.jboss.logging.Logger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The RESP listener: a Vert.x {@link NetServer} on the Quarkus-managed {@link Vertx}, created on
 * one event-loop context, the keyspace context. Every connection of that server is served by
 * that context, so parsing, execution and reply encoding run on one thread, as in Redis, and the
 * keyspace needs no locks (ARCHITECTURE invariant 1).
 *
 * <p>Each read batch is parsed into as many complete requests as it holds; their replies go into
 * one output buffer written once at the end of the batch (no syscall per reply). Started on
 * {@link StartupEvent} and closed on {@link ShutdownEvent}, so dev-mode reloads rebind the port.
 */
@Singleton
public class RespServer {
    private static final Logger LOG = Logger.getLogger(RespServer.class);
    /** The largest reply buffer a read batch starts with. */
    private static final int MAX_REPLY_HINT = 64 * 1024;

    @Inject
    Vertx vertx;

    @Inject
    Server server;

    private Context context;
    private NetServer netServer;
    private long metricsTimer = -1;
    private final KeyPrefetch prefetch = new KeyPrefetch();

    void start(@Observes StartupEvent ev) throws Exception {
        context = vertx.getOrCreateContext();
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        int port = server.config().getInt(Settings.PORT);
        String host = server.config().value(Settings.BIND).split("\\s+")[0];
        context.runOnContext(v -> {
            NetServerOptions opts = new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setAcceptBacklog(server.config().getInt(Settings.TCP_BACKLOG));
            netServer = vertx.createNetServer(opts);
            netServer.connectHandler(this::accept);
            netServer.listen().onComplete(ar -> {
                if (ar.succeeded()) {
                    bound.complete(ar.result().actualPort());
                } else {
                    bound.completeExceptionally(ar.cause());
                }
            });
        });
        int actual = bound.get(30, TimeUnit.SECONDS);
        context.runOnContext(v -> metricsTimer = vertx.setPeriodic(InstantaneousMetrics.PERIOD_MS,
            id -> server.stats().sampleInstantaneous()));
        server.blocking().timers(new Blocking.Timers() {
            @Override
            public long schedule(long delayMillis, Runnable task) {
                return vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
            }

            @Override
            public void cancel(long id) {
                vertx.cancelTimer(id);
            }
        });
        server.listening(actual, vertx.isNativeTransportEnabled() ? "epoll" : "nio");
        LOG.infof("Quokka %s ready to accept connections on %s:%d (%s)", BuildInfo.REDIS_VERSION, host, actual,
            server.multiplexingApi());
    }

    void stop(@Observes ShutdownEvent ev) throws Exception {
        if (netServer == null) {
            return;
        }
        vertx.cancelTimer(metricsTimer);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        context.runOnContext(v -> {
            // Finish the replies in flight: what the AOF holds is written, then they leave.
            server.aof().turnEnd();
            for (Client c : server.clients().all().toArray(new Client[0])) {
                c.kill();
            }
            netServer.close().onComplete(ar -> closed.complete(null));
        });
        closed.get(10, TimeUnit.SECONDS);
        netServer = null;
    }

    /** The keyspace context, for scheduled jobs that must run there. */
    public Context context() {
        return context;
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return server.port();
    }

    private void accept(NetSocket socket) {
        NetSocketInternal so = (NetSocketInternal) socket;
        if (server.clients().size() >= server.config().getInt(Settings.MAXCLIENTS)) {
            server.stats().connectionRejected();
            so.write("-ERR max number of clients reached\r\n");
            so.close();
            return;
        }
        Client c = server.newClient(socket.remoteAddress().toString(), socket.localAddress().toString());
        c.parser.maxBulkLen(server.config().get(Settings.PROTO_MAX_BULK_LEN));
        Connection conn = new Connection(so, c, server.context(c));
        c.attach(conn);
        so.messageHandler(msg -> {
            if (msg instanceof ByteBuf buf) {
                try {
                    onData(conn, buf);
                } finally {
                    buf.release();
                }
            }
        });
        so.closeHandler(v -> {
            c.markClosed();
            server.disconnect(c);
        });
        so.exceptionHandler(t -> LOG.debugf("client %d: %s", c.id(), t.toString()));
    }

    /** One accepted socket: its client, the context its commands run in, and its output state. */
    private final class Connection implements Client.Connection {
        final NetSocketInternal so;
        final Client client;
        final CommandContext ctx;
        /** Reply batches waiting for the append-only file (their order is kept). */
        int heldReplies;
        /** Capacity of the next read batch's reply buffer: what the last batch wrote, with room. */
        int replyHint = 256;
        /** A blocked command's reply, served by a rerun and waiting for {@link #resume}. */
        private ByteBuf served;
        private boolean servedAppended;

        Connection(NetSocketInternal so, Client client, CommandContext ctx) {
            this.so = so;
            this.client = client;
            this.ctx = ctx;
        }

        @Override
        public ByteBuf allocate() {
            return so.channelHandlerContext().alloc().ioBuffer(128);
        }

        @Override
        public void writeOutOfBand(ByteBuf buf) {
            server.stats().wroteOutOfBand(buf.readableBytes());
            so.writeMessage(buf);
        }

        @Override
        public void close() {
            so.close();
        }

        @Override
        public void rerunBlocked() {
            ByteBuf out = so.channelHandlerContext().alloc().ioBuffer(64);
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
        public void resume(Consumer<RespWriter> finalReply) {
            ByteBuf out = served;
            boolean appended = servedAppended;
            served = null;
            if (out == null) {
                out = so.channelHandlerContext().alloc().ioBuffer(64);
                ctx.reply.target(out);
                try {
                    finalReply.accept(ctx.reply);
                } finally {
                    ctx.reply.target(null);
                }
                appended = false;
            }
            deliver(this, out, appended);
            // Go on with what the client sent while it waited, after the current event.
            context.runOnContext(v -> {
                if (!client.closed() && !client.blocked()) {
                    process(this);
                }
            });
        }
    }

    private void onData(Connection conn, ByteBuf in) {
        Client c = conn.client;
        if (c.closed()) {
            return;
        }
        int n = in.readableBytes();
        server.stats().read(n);
        RespParser parser = c.parser;
        byte[] dst = parser.reserve(n);
        in.readBytes(dst, parser.writeIndex(), n);
        parser.advance(n);
        c.touched(System.currentTimeMillis());
        if (!c.blocked()) {
            process(conn);
        }
    }

    /** Executes the complete requests in the client's parser, until it blocks or closes, and sends the replies. */
    private void process(Connection conn) {
        Client c = conn.client;
        CommandContext ctx = conn.ctx;
        RespParser parser = c.parser;
        ByteBuf out = conn.so.channelHandlerContext().alloc().ioBuffer(conn.replyHint);
        c.reply.target(out);
        long appended = server.aof().appended();
        ctx.commandClock = 0;
        int run = 0;
        try {
            while (!c.closingAfterReply() && !c.blocked()) {
                if (run++ % KeyPrefetch.BATCH == 0) {
                    prefetch.ahead(parser, c.db());
                }
                if (!parser.next()) {
                    break;
                }
                ctx.argv = parser.argv();
                ctx.argc = parser.argc();
                int mark = c.reply.mark();
                try {
                    server.dispatcher().execute(ctx);
                } catch (RuntimeException e) {
                    // A bug must not leave half a reply on the wire: rewind to this command's start.
                    LOG.errorf(e, "command %s failed", ctx.arg(0));
                    c.reply.rewind(mark);
                    c.reply.error("ERR internal error: " + e);
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
        // Size the next batch's buffer after this one's replies (16 pipelined 1 KiB GETs would
        // otherwise grow it from 256 bytes through seven copies); huge replies still grow it.
        int wrote = out.readableBytes();
        conn.replyHint = Math.max(256, Math.min(MAX_REPLY_HINT, wrote + (wrote >> 2)));
        deliver(conn, out, server.aof().appended() != appended);
    }

    /** Sends a batch of replies, holding it for the AOF when it may acknowledge writes (group commit). */
    private void deliver(Connection conn, ByteBuf out, boolean appended) {
        boolean own = appended || conn.heldReplies > 0;
        if (server.aof().holdReplies(own)) {
            // These replies may acknowledge writes: they leave once the AOF has them (group commit).
            conn.heldReplies++;
            server.aof().hold(() -> {
                conn.heldReplies--;
                send(conn, out);
            }, own);
        } else {
            send(conn, out);
        }
    }

    private void send(Connection conn, ByteBuf out) {
        Client c = conn.client;
        NetSocketInternal so = conn.so;
        if (out.isReadable()) {
            server.stats().wrote(out.readableBytes());
            if (c.closingAfterReply()) {
                c.markClosed();
                so.writeMessage(out, ar -> so.close());
            } else {
                so.writeMessage(out);
                if (so.writeQueueFull()) {
                    // A client that pipelines faster than it reads: stop reading its requests until
                    // its replies drain, so its output cannot grow without bound.
                    so.pause();
                    so.drainHandler(v -> so.resume());
                }
            }
        } else {
            out.release();
            if (c.closingAfterReply()) {
                c.markClosed();
                so.close();
            }
        }
    }
}
