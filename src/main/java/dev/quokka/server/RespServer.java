package dev.quokka.server;

import dev.quokka.command.Server;
import dev.quokka.config.BuildInfo;
import dev.quokka.config.ServerConfig;
import dev.quokka.config.Settings;
import dev.quokka.protocol.RespWriter;
import dev.quokka.session.Blocking;
import dev.quokka.session.Client;
import dev.quokka.session.InstantaneousMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The RESP listener: a Vert.x {@link NetServer} on the Quarkus-managed {@link Vertx}, created on
 * one event-loop context, the keyspace context. Every connection of that server is served by
 * that context, so parsing, execution and reply encoding run on one thread, as in Redis, and the
 * keyspace needs no locks (ARCHITECTURE invariant 1).
 *
 * <p>Each connection is a {@link ClientConnection}, which parses, executes and replies within the
 * bounds it keeps. The listener refuses connections over {@code maxclients} and, in protected
 * mode without a password, those from other hosts than the loopback interface. Started on
 * {@link StartupEvent} and closed on {@link ShutdownEvent}, so dev-mode reloads rebind the port.
 */
@Singleton
public class RespServer {
    private static final Logger LOG = Logger.getLogger(RespServer.class);
    /** redis-server 7.0's reply to a connection refused by protected mode. */
    private static final byte[] PROTECTED_MODE_DENIED = RespWriter.ascii("-DENIED Redis is running in protected mode "
        + "because protected mode is enabled and no password is set for the default user. In this mode connections "
        + "are only accepted from the loopback interface. If you want to connect from external computers to Redis you "
        + "may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET "
        + "protected-mode no' from the loopback interface by connecting to Redis from the same host the server is "
        + "running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE "
        + "to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the "
        + "Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. "
        + "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. "
        + "4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above "
        + "things in order for the server to start accepting connections from the outside.\r\n");

    @Inject
    Vertx vertx;

    @Inject
    Server server;

    private Context context;
    private NetServer netServer;
    private PrimaryLink primaryLink;
    private long metricsTimer = -1;
    private final KeyPrefetch prefetch = new KeyPrefetch();
    private final ReadBuffer reads = new ReadBuffer();
    private final ReplyBuffer replies = new ReplyBuffer();

    void start(@Observes StartupEvent ev) throws Exception {
        context = vertx.getOrCreateContext();
        io.netty.channel.EventLoop loop = ((io.vertx.core.impl.ContextInternal) context).nettyEventLoop();
        server.whileBusy(() -> WhileBusy.runQueuedTasks(loop));
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        int port = server.config().getInt(Settings.PORT);
        String host = server.config().value(Settings.BIND).split("\\s+")[0];
        int tlsPort = server.config().getInt(Settings.TLS_PORT);
        if (tlsPort != 0) {
            listenTls(host, tlsPort).get(30, TimeUnit.SECONDS);
        }
        // port 0 with a tls-port: TLS only, as in Redis (without one, Quokka takes a free port).
        boolean plain = port != 0 || tlsPort == 0;
        if (!plain) {
            bound.complete(0);
        }
        context.runOnContext(v -> {
            if (!plain) {
                return;
            }
            netServer = vertx.createNetServer(listenerOptions(host, port));
            netServer.connectHandler(this::accept);
            netServer.listen().onComplete(ar -> {
                if (ar.succeeded()) {
                    bound.complete(ar.result().actualPort());
                } else {
                    bound.completeExceptionally(ar.cause());
                }
            });
        });
        int actual;
        try {
            actual = bound.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // Redis's words: tools that start servers on guessed ports retry another on this line.
            LOG.errorf("Could not create server TCP listening socket %s:%d: %s", host, port, e.getCause().getMessage());
            LOG.errorf("Failed listening on port %d (tcp), aborting.", port);
            throw e;
        }
        String unixPath = server.config().get(Settings.UNIXSOCKET);
        if (!unixPath.isEmpty()) {
            listenUnix(unixPath);
        }
        context.runOnContext(v -> metricsTimer = vertx.setPeriodic(InstantaneousMetrics.PERIOD_MS, id -> {
            server.stats().sampleInstantaneous();
            clientsCron();
        }));
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
        listenHost = host;
        if (port == 0 && netServer != null) {
            // An ephemeral port: CONFIG GET port answers the one bound, as Redis's actual port.
            server.config().setInternally(Settings.PORT, Integer.toString(actual));
        }
        server.config().onChange(Settings.PORT, p -> relisten(listenHost, p.intValue()));
        server.config().onChange(Settings.TLS_PORT, p -> relistenTls(p.intValue()));
        server.config().onChange(Settings.TLS_AUTH_CLIENTS, v -> relistenTls(server.config().getInt(Settings.TLS_PORT)));
        server.config().onChangeOfAny(java.util.List.of(Settings.TLS_CERT_FILE, Settings.TLS_KEY_FILE,
            Settings.TLS_KEY_FILE_PASS, Settings.TLS_CA_CERT_FILE, Settings.TLS_CA_CERT_DIR, Settings.TLS_PROTOCOLS,
            Settings.TLS_CIPHERS, Settings.TLS_CIPHERSUITES), this::updateTls);
        server.config().onChange(Settings.BIND, b -> relisten(b.split("\\s+")[0], server.config().getInt(Settings.PORT)));
        if (server.config().get(Settings.ALWAYS_SHOW_LOGO) || System.console() != null) {
            // Redis prints its logo, with "PID:", once its port is bound: tools that start
            // redis-server (Redis's test harness) connect as soon as they read it.
            System.out.print(logo(actual, ProcessHandle.current().pid()));
            System.out.flush();
        }
        LOG.infof("Quokka %s on %s:%d (%s)", BuildInfo.REDIS_VERSION, host, actual, server.multiplexingApi());
        // Redis's own line: scripts and test harnesses that start redis-server wait for it. As in
        // Redis, it comes once the data on disk is loaded (PersistenceLifecycle says it then).
        if (!server.keyspace().loading()) {
            LOG.info("Ready to accept connections");
        }
        primaryLink = new PrimaryLink(server, vertx, context);
        java.util.List<String> replicaof = java.util.List.of(server.config().value(Settings.REPLICAOF).trim().split("\\s+"));
        if (replicaof.size() == 2) {
            // The replicaof directive: follow that primary from the start, as Redis does.
            context.runOnContext(v -> server.upstream().follow(replicaof.get(0), Integer.parseInt(replicaof.get(1))));
        }
    }

    /** Redis's logo block carries "Port:" and "PID:"; tools that start redis-server read the PID from it. */
    static String logo(int port, long pid) {
        return "\n"
            + "    Quokka " + BuildInfo.version() + " (Redis " + BuildInfo.REDIS_VERSION + " compatible), standalone mode\n"
            + "    Port: " + port + "\n"
            + "    PID: " + pid + "\n\n";
    }

    private NetServerOptions listenerOptions(String host, int port) {
        NetServerOptions opts = new NetServerOptions()
            .setHost(host)
            .setPort(port)
            .setAcceptBacklog(server.config().getInt(Settings.TCP_BACKLOG))
            .setReuseAddress(true)
            .setTcpNoDelay(true)
            .setTcpKeepAlive(server.config().getInt(Settings.TCP_KEEPALIVE) > 0);
        // tcp-keepalive: the seconds of idleness before the first probe, as Redis sets TCP_KEEPIDLE.
        opts.setTcpKeepAliveIdleSeconds(Math.max(1, server.config().getInt(Settings.TCP_KEEPALIVE)));
        return opts;
    }

    /** The address the listener is bound to (the first of {@code bind}). */
    private String listenHost;
    /** The TLS listener on tls-port, or null. */
    private NetServer tlsServer;
    /** Its certificate, key and CAs, replaced in place by CONFIG SET. */
    private final TlsKeys tlsKeys = new TlsKeys();
    /** The protocols and ciphers it was started or last updated with. */
    private java.util.Set<String> tlsProtocols = java.util.Set.of();
    private java.util.Set<String> tlsCiphers = java.util.Set.of();

    /** Starts the TLS listener (keyspace context or start-up); the future ends when it listens. */
    private CompletableFuture<Integer> listenTls(String host, int port) {
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        NetServerOptions opts = listenerOptions(host, port);
        try {
            Tls.apply(vertx, opts, server.config(), tlsKeys);
            tlsProtocols = new java.util.HashSet<>(opts.getEnabledSecureTransportProtocols());
            tlsCiphers = new java.util.HashSet<>(opts.getEnabledCipherSuites());
        } catch (Tls.TlsError e) {
            LOG.errorf("Failed to configure TLS: %s", e.getMessage());
            bound.completeExceptionally(new IllegalStateException("Failed to configure TLS. Check logs for more info.", e));
            return bound;
        }
        context.runOnContext(v -> {
            NetServer fresh = vertx.createNetServer(opts);
            fresh.connectHandler(this::accept);
            fresh.listen().onComplete(ar -> {
                if (ar.succeeded()) {
                    tlsServer = fresh;
                    LOG.infof("Listening on %s:%d (TLS)", host, ar.result().actualPort());
                    bound.complete(ar.result().actualPort());
                } else {
                    LOG.errorf("Could not create server TLS listening socket %s:%d: %s", host, port,
                        ar.cause().getMessage());
                    bound.completeExceptionally(ar.cause());
                }
            });
        });
        return bound;
    }

    /**
     * Tries the address before a listener moves to it, so that a taken port fails the CONFIG SET
     * (which then rolls back) as in Redis: null when it can be bound, else the reason.
     */
    private static String bindable(String host, int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return null;
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }

    /** CONFIG SET tls-port or tls-auth-clients: a new TLS listener (0: none), the old one closed. */
    private void relistenTls(int port) {
        NetServer old = tlsServer;
        tlsServer = null;
        if (port != 0) {
            String busy = old != null && old.actualPort() == port ? null : bindable(listenHost, port);
            if (busy != null) {
                tlsServer = old;
                LOG.warnf("Could not create server TLS listening socket %s:%d: %s", listenHost, port, busy);
                throw new ServerConfig.ApplyError("Unable to listen on this port. Check server logs.");
            }
            try {
                Tls.options(vertx, server.config());
            } catch (Tls.TlsError e) {
                tlsServer = old;
                LOG.warnf("Failed to configure TLS: %s", e.getMessage());
                throw new ServerConfig.ApplyError("Unable to update TLS configuration. Check server logs.");
            }
        }
        Runnable start = () -> {
            if (port != 0) {
                listenTls(listenHost, port);
            }
        };
        if (old != null) {
            old.close().onComplete(ar -> start.run());
        } else {
            start.run();
        }
    }

    /**
     * CONFIG SET of a certificate, key, CA, protocol or cipher: the files are loaded and checked
     * now; the certificate, key and CAs serve the next handshake. New protocols or ciphers are
     * handed to the listener, which takes them a moment later (Vert.x builds its context anew).
     */
    private void updateTls() {
        if (tlsServer == null) {
            return;
        }
        try {
            io.vertx.core.net.SSLOptions ssl = Tls.options(vertx, server.config());
            Tls.load(vertx, ssl, tlsKeys);
            if (!ssl.getEnabledSecureTransportProtocols().equals(tlsProtocols) || !ssl.getEnabledCipherSuites().equals(tlsCiphers)) {
                ssl.setKeyCertOptions(Tls.keyCertOptions(tlsKeys));
                ssl.setTrustOptions(io.vertx.core.net.TrustOptions.wrap(tlsKeys.trustManagerFactory()));
                tlsProtocols = new java.util.HashSet<>(ssl.getEnabledSecureTransportProtocols());
                tlsCiphers = new java.util.HashSet<>(ssl.getEnabledCipherSuites());
                tlsServer.updateSSLOptions(ssl);
            }
        } catch (Tls.TlsError e) {
            LOG.warnf("Failed to update TLS configuration: %s", e.getMessage());
            throw new ServerConfig.ApplyError("Unable to update TLS configuration. Check server logs.");
        }
    }

    /**
     * CONFIG SET port or bind (keyspace context): listens on the new address and port and closes
     * the old listener once the new one listens. The address is tried first, so that a busy port
     * fails the CONFIG SET (which then rolls back) as in Redis. Port 0 closes the TCP listener, as
     * Redis does. Unlike Redis, closing the old listener closes the connections it accepted.
     */
    private void relisten(String host, int port) {
        if (port == server.port() && host.equals(listenHost) && netServer != null) {
            return;
        }
        String busy = port != 0 ? bindable(host, port) : null;
        if (busy != null) {
            LOG.warnf("Could not create server TCP listening socket %s:%d: %s", host, port, busy);
            throw new ServerConfig.ApplyError(port != server.port()
                ? "Unable to listen on this port. Check server logs." : "Failed to bind to specified addresses.");
        }
        NetServer old = netServer;
        netServer = null;
        listenHost = host;
        if (port == 0) {
            if (old != null) {
                old.close();
            }
            server.listening(0, server.multiplexingApi());
            return;
        }
        NetServer fresh = vertx.createNetServer(listenerOptions(host, port));
        fresh.connectHandler(this::accept);
        netServer = fresh;
        fresh.listen().onComplete(ar -> {
            // Closed only now: the reply to the CONFIG SET has left by then.
            if (old != null) {
                old.close();
            }
            if (ar.succeeded()) {
                server.listening(ar.result().actualPort(), server.multiplexingApi());
                LOG.infof("Listening on %s:%d", host, ar.result().actualPort());
            } else {
                LOG.errorf(ar.cause(), "Could not listen on %s:%d", host, port);
            }
        });
    }

    private NetServer unixServer;

    /**
     * The unixsocket directive: the same service on a Unix domain socket (Netty's epoll transport),
     * a stale socket file replaced, its mode from unixsocketperm, as Redis's listenToPort/anetUnixServer.
     */
    private void listenUnix(String path) throws Exception {
        if (!vertx.isNativeTransportEnabled()) {
            LOG.errorf("Failed opening Unix socket %s: Unix sockets need the native (epoll) transport", path);
            throw new IllegalStateException("unixsocket needs the native transport");
        }
        java.nio.file.Path file = java.nio.file.Path.of(path);
        java.nio.file.Files.deleteIfExists(file);
        CompletableFuture<Void> bound = new CompletableFuture<>();
        context.runOnContext(v -> {
            unixServer = vertx.createNetServer(new NetServerOptions()
                .setAcceptBacklog(server.config().getInt(Settings.TCP_BACKLOG)));
            unixServer.connectHandler(this::accept);
            unixServer.listen(io.vertx.core.net.SocketAddress.domainSocketAddress(path)).onComplete(ar -> {
                if (ar.succeeded()) {
                    bound.complete(null);
                } else {
                    bound.completeExceptionally(ar.cause());
                }
            });
        });
        try {
            bound.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.errorf("Failed opening Unix socket: %s", e.getCause().getMessage());
            throw e;
        }
        long perm = server.config().get(Settings.UNIXSOCKETPERM);
        if (perm != 0) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = java.util.EnumSet.noneOf(
                java.nio.file.attribute.PosixFilePermission.class);
            java.nio.file.attribute.PosixFilePermission[] bits = java.nio.file.attribute.PosixFilePermission.values();
            for (int i = 0; i < 9; i++) {
                if ((perm & (1 << (8 - i))) != 0) {
                    mode.add(bits[i]); // OWNER_READ, OWNER_WRITE, OWNER_EXECUTE, GROUP_..., OTHERS_...
                }
            }
            java.nio.file.Files.setPosixFilePermissions(file, mode);
        }
        LOG.infof("The server is now ready to accept connections at %s", path);
    }

    void stop(@Observes ShutdownEvent ev) throws Exception {
        if (netServer == null && tlsServer == null) {
            return;
        }
        vertx.cancelTimer(metricsTimer);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        context.runOnContext(v -> {
            // Finish the replies in flight: what the AOF holds is written, then they leave.
            if (primaryLink != null) {
                primaryLink.stop();
            }
            server.aof().turnEnd();
            server.primary().turnEnd();
            for (Client c : server.clients().all().toArray(new Client[0])) {
                if (c.connection() instanceof ClientConnection conn) {
                    conn.closeAfterOutput();
                }
            }
            if (tlsServer != null) {
                tlsServer.close();
            }
            if (unixServer != null) {
                unixServer.close();
            }
            if (netServer != null) {
                netServer.close().onComplete(ar -> closed.complete(null));
            } else {
                closed.complete(null);
            }
        });
        closed.get(10, TimeUnit.SECONDS);
        netServer = null;
    }

    /**
     * Every 100 ms, Redis's clients cron: input buffers resized (clientsCronResizeQueryBuffer), and
     * under {@code timeout} clients idle for longer closed, except those blocked in a command or
     * subscribed, and replicas (clientsCronHandleTimeout).
     */
    private void clientsCron() {
        long timeout = server.config().get(Settings.TIMEOUT);
        long now = System.currentTimeMillis();
        for (Client c : server.clients().all().toArray(new Client[0])) {
            // Redis's clientsCronResizeQueryBuffer: idle over 2 s, the input buffer is given back.
            c.parser.resize(now - c.lastInteractionMillis() > 2000);
            if (timeout > 0 && !c.blocked() && !c.subscribed() && !c.replica() && !c.master() && now - c.lastInteractionMillis() > timeout * 1000) {
                LOG.debugf("Closing idle client id=%d addr=%s", c.id(), c.addr());
                c.kill();
            }
        }
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
        boolean local = isLoopback(so.channelHandlerContext().channel().remoteAddress());
        if (!local && server.config().get(Settings.PROTECTED_MODE) && !server.requiresPass()) {
            server.stats().connectionRejected();
            so.writeMessage(Unpooled.wrappedBuffer(PROTECTED_MODE_DENIED), ar -> so.close());
            return;
        }
        // A Unix socket client is "<unixsocket>:0" both ways, as Redis's genClientAddrString.
        String unix = socket.localAddress().isDomainSocket() ? socket.localAddress().path() + ":0" : null;
        Client c = server.newClient(unix != null ? unix : socket.remoteAddress().toString(),
            unix != null ? unix : socket.localAddress().toString());
        c.local(local);
        c.parser.maxBulkLen(server.config().get(Settings.PROTO_MAX_BULK_LEN));
        ClientConnection conn = new ClientConnection(server, prefetch, reads, replies, so, c);
        c.attach(conn);
        so.messageHandler(msg -> {
            if (msg instanceof ByteBuf buf) {
                try {
                    conn.onData(buf);
                } finally {
                    buf.release();
                }
            }
        });
        so.drainHandler(v -> conn.drained());
        so.closeHandler(v -> {
            c.markClosed();
            server.disconnect(c);
        });
        so.exceptionHandler(t -> LOG.debugf("client %d: %s", c.id(), t.toString()));
    }

    /** Redis's islocalClient: the peer is 127.0.0.1 or ::1 (not the rest of 127.0.0.0/8). */
    private static boolean isLoopback(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            InetAddress a = inet.getAddress();
            byte[] b = a.getAddress();
            if (a instanceof Inet4Address) {
                return b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
            }
            return a.isLoopbackAddress();
        }
        return true; // a Unix socket
    }
}
