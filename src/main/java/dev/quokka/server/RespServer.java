package dev.quokka.server;

import dev.quokka.protocol.ProtocolException;
import dev.quokka.protocol.RespParser;
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
    ServerContext server;

    private Context context;
    private NetServer netServer;
    private long metricsTimer = -1;
    private final KeyPrefetch prefetch = new KeyPrefetch();

    void start(@Observes StartupEvent ev) throws Exception {
        context = vertx.getOrCreateContext();
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        int port = server.config().getInt("port");
        String host = server.config().get("bind").split("\\s+")[0];
        context.runOnContext(v -> {
            NetServerOptions opts = new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setAcceptBacklog(server.config().getInt("tcp-backlog"));
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
            id -> server.sampleInstantaneous()));
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
        server.port(actual);
        server.multiplexingApi(vertx.isNativeTransportEnabled() ? "epoll" : "nio");
        LOG.infof("Quokka %s ready to accept connections on %s:%d (%s)", ServerContext.REDIS_VERSION, host, actual,
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
            for (Client c : server.clients().values().toArray(new Client[0])) {
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
        if (server.clients().size() >= server.config().getInt("maxclients")) {
            server.rejectedConnections++;
            so.write("-ERR max number of clients reached\r\n");
            so.close();
            return;
        }
        Client c = server.newClient(socket.remoteAddress().toString(), socket.localAddress().toString());
        c.parser.maxBulkLen(server.config().getLong("proto-max-bulk-len"));
        c.allocator = () -> so.channelHandlerContext().alloc().ioBuffer(128);
        c.outOfBand = buf -> {
            server.netOutputBytes += buf.readableBytes();
            so.writeMessage(buf);
        };
        c.killer = () -> {
            c.closed = true;
            so.close();
        };
        so.messageHandler(msg -> {
            if (msg instanceof ByteBuf buf) {
                try {
                    onData(c, so, buf);
                } finally {
                    buf.release();
                }
            }
        });
        c.io = new Client.BlockedIo() {
            private ByteBuf served;
            private boolean servedAppended;

            @Override
            public void rerun() {
                ByteBuf out = so.channelHandlerContext().alloc().ioBuffer(64);
                long appended = server.aof().appended();
                c.reply.target(out);
                c.argv = c.blockedArgv;
                c.argc = c.blockedArgv.length;
                try {
                    server.dispatcher().execute(c);
                } finally {
                    c.reply.target(null);
                    c.argv = null;
                }
                if (c.stillBlocked) {
                    out.release();
                } else {
                    served = out;
                    servedAppended = server.aof().appended() != appended;
                }
            }

            @Override
            public void resume(java.util.function.Consumer<dev.quokka.protocol.RespWriter> finalReply) {
                ByteBuf out = served;
                boolean appended = servedAppended;
                served = null;
                if (out == null) {
                    out = so.channelHandlerContext().alloc().ioBuffer(64);
                    c.reply.target(out);
                    try {
                        finalReply.accept(c.reply);
                    } finally {
                        c.reply.target(null);
                    }
                    appended = false;
                }
                deliver(c, so, out, appended);
                // Go on with what the client sent while it waited, after the current event.
                context.runOnContext(v -> {
                    if (!c.closed && !c.blocked) {
                        process(c, so);
                    }
                });
            }
        };
        so.closeHandler(v -> {
            c.closed = true;
            server.blocking().forget(c);
            server.pubsub().forget(c);
            server.removeClient(c);
        });
        so.exceptionHandler(t -> LOG.debugf("client %d: %s", c.id(), t.toString()));
    }

    private void onData(Client c, NetSocketInternal so, ByteBuf in) {
        if (c.closed) {
            return;
        }
        int n = in.readableBytes();
        server.netInputBytes += n;
        server.readsProcessed++;
        RespParser parser = c.parser;
        byte[] dst = parser.reserve(n);
        in.readBytes(dst, parser.writeIndex(), n);
        parser.advance(n);
        c.lastInteractionMillis = System.currentTimeMillis();
        if (!c.blocked) {
            process(c, so);
        }
    }

    /** Executes the complete requests in the client's parser, until it blocks or closes, and sends the replies. */
    private void process(Client c, NetSocketInternal so) {
        RespParser parser = c.parser;
        ByteBuf out = so.channelHandlerContext().alloc().ioBuffer(c.replyHint);
        c.reply.target(out);
        long appended = server.aof().appended();
        c.commandClock = 0;
        int run = 0;
        try {
            while (!c.closeAfterReply && !c.blocked) {
                if (run++ % KeyPrefetch.BATCH == 0) {
                    prefetch.ahead(parser, c.db());
                }
                if (!parser.next()) {
                    break;
                }
                c.argv = parser.argv();
                c.argc = parser.argc();
                int mark = c.reply.mark();
                try {
                    server.dispatcher().execute(c);
                } catch (RuntimeException e) {
                    // A bug must not leave half a reply on the wire: rewind to this command's start.
                    LOG.errorf(e, "command %s failed", c.arg(0));
                    c.reply.rewind(mark);
                    c.reply.error("ERR internal error: " + e);
                }
            }
        } catch (ProtocolException e) {
            c.reply.enabled(true);
            c.reply.error("ERR " + e.getMessage());
            c.closeAfterReply = true;
        }
        c.commandClock = 0;
        server.tracking().broadcastPending();
        c.argv = null;
        parser.release();
        c.reply.target(null);
        // Size the next batch's buffer after this one's replies (16 pipelined 1 KiB GETs would
        // otherwise grow it from 256 bytes through seven copies); huge replies still grow it.
        int wrote = out.readableBytes();
        c.replyHint = Math.max(256, Math.min(MAX_REPLY_HINT, wrote + (wrote >> 2)));
        deliver(c, so, out, server.aof().appended() != appended);
    }

    /** Sends a batch of replies, holding it for the AOF when it may acknowledge writes (group commit). */
    private void deliver(Client c, NetSocketInternal so, ByteBuf out, boolean appended) {
        boolean own = appended || c.heldReplies > 0;
        if (server.aof().holdReplies(own)) {
            // These replies may acknowledge writes: they leave once the AOF has them (group commit).
            c.heldReplies++;
            server.aof().hold(() -> {
                c.heldReplies--;
                send(c, so, out);
            }, own);
        } else {
            send(c, so, out);
        }
    }

    private void send(Client c, NetSocketInternal so, ByteBuf out) {
        if (out.isReadable()) {
            server.netOutputBytes += out.readableBytes();
            server.writesProcessed++;
            if (c.closeAfterReply) {
                c.closed = true;
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
            if (c.closeAfterReply) {
                c.closed = true;
                so.close();
            }
        }
    }
}
