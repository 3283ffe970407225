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

    @Inject
    Vertx vertx;

    @Inject
    ServerContext server;

    private Context context;
    private NetServer netServer;
    private long metricsTimer = -1;

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
        so.closeHandler(v -> {
            c.closed = true;
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

        ByteBuf out = so.channelHandlerContext().alloc().ioBuffer(256);
        c.reply.target(out);
        long appended = server.aof().appended();
        try {
            while (!c.closeAfterReply && parser.next()) {
                c.argv = parser.argv();
                c.argc = parser.argc();
                int mark = out.writerIndex();
                try {
                    server.dispatcher().execute(c);
                } catch (RuntimeException e) {
                    // A bug must not leave half a reply on the wire: rewind to this command's start.
                    LOG.errorf(e, "command %s failed", c.arg(0));
                    out.writerIndex(mark);
                    c.reply.error("ERR internal error: " + e);
                }
            }
        } catch (ProtocolException e) {
            c.reply.enabled(true);
            c.reply.error("ERR " + e.getMessage());
            c.closeAfterReply = true;
        }
        server.tracking().broadcastPending();
        c.argv = null;
        c.reply.target(null);
        if (server.aof().holdReplies(server.aof().appended() != appended, c.heldReplies > 0)) {
            // These replies may acknowledge writes: they leave once the AOF has them (group commit).
            c.heldReplies++;
            server.aof().hold(() -> {
                c.heldReplies--;
                send(c, so, out);
            });
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
