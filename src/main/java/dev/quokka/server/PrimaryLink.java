package dev.quokka.server;

import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.Server;
import dev.quokka.config.Settings;
import dev.quokka.command.admin.ReplicationCommands;
import dev.quokka.command.keys.KeyCommands;
import dev.quokka.keyspace.Database;
import dev.quokka.persistence.CommandBuffer;
import dev.quokka.persistence.PacedApplier;
import dev.quokka.persistence.RdbFile;
import dev.quokka.protocol.ProtocolException;
import dev.quokka.protocol.RespParser;
import dev.quokka.replication.Failover;
import dev.quokka.replication.Primary;
import dev.quokka.replication.Upstream;
import dev.quokka.session.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A replica's link to its primary (Redis's replication.c, slave half), on the keyspace context:
 * the handshake (PING, AUTH with masteruser/masterauth, REPLCONF listening-port and capa eof
 * psync2, PSYNC with this server's history so that a link lost briefly continues), the full
 * resync's RDB in either form (a length, or the diskless form ending with a 40-byte mark), received
 * into a temporary file and then loaded ({@code repl-diskless-load disabled}) or parsed as it
 * arrives ({@code on-empty-db}, {@code swapdb}: into databases aside, swapped in at the end, the
 * old data served meanwhile within one replication history), and the stream after it: each command run through the dispatcher as the primary's client (obeyed, never
 * answered), its bytes proxied unchanged to this server's own replicas and backlog (PSYNC2). The
 * processed offset is acknowledged every second and on REPLCONF GETACK. A lost link is retried
 * every second.
 */
final class PrimaryLink {
    private static final Logger LOG = Logger.getLogger(PrimaryLink.class);
    private static final int MARK = 40;

    private enum Phase { PING, AUTH, PORT, CAPA, PSYNC, PAYLOAD_HEADER, PAYLOAD, LOADING, STREAM }

    private final Server server;
    private final Vertx vertx;
    private final Context context;
    private final NetClient netClient;
    /** The link's client under tls-replication, made anew for each connection from the TLS settings of the moment. */
    private NetClient tlsClient;
    private final Upstream upstream;
    private final Primary primary;

    private int generation;
    private NetSocket socket;
    private Phase phase;
    private final ByteBuf in = Unpooled.buffer(16 * 1024);
    private long lastIoMillis;

    // full resync
    private String syncId;
    private long syncOffset;
    private Path rdbTemp;
    private FileChannel rdbOut;
    private long payloadLeft;
    private byte[] eofMark;
    private final byte[] lastBytes = new byte[MARK];
    private long payloadRead;
    /** The image's bytes on their way to the loading thread, when it is parsed as it arrives. */
    private ImagePipe pipe;
    /** Most bytes of a diskless load waiting for the parser before the socket is paused. */
    private static final long PIPE_LIMIT = 4L << 20;
    /** The primary closed the link, or REPLICAOF changed it, while the full resync's RDB loaded. */
    private boolean lostWhileLoading;
    private boolean changedWhileLoading;

    // stream
    private Client masterClient;
    private CommandContext masterContext;
    private RespParser parser;
    private final ByteBuf raw = Unpooled.buffer(16 * 1024);
    private final ByteBuf replies = Unpooled.buffer(256);
    /** The last link ended in a protocol error: the next PSYNC asks for a full resync. */
    private boolean noCachedPrimary;
    /** Error replies of the primary's command being run (logged after it as a divergence). */
    private final List<String> streamErrors = new ArrayList<>();
    /** The handshake's and ACKs' requests, in the AOF's encoding. */
    private final CommandBuffer out = new CommandBuffer(256);

    PrimaryLink(Server server, Vertx vertx, Context context) {
        this.server = server;
        this.vertx = vertx;
        this.context = context;
        this.upstream = server.upstream();
        this.primary = server.primary();
        this.netClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
        upstream.onChange(() -> context.runOnContext(v -> changed()));
        upstream.onAckNow(this::sendAck);
        vertx.setPeriodic(1000, id -> context.runOnContext(v -> cron()));
    }

    /** The primary to follow changed (REPLICAOF, or at start with the replicaof directive). */
    private void changed() {
        if (phase == Phase.LOADING) {
            changedWhileLoading = true; // acted on when the load ends
            if (pipe != null) {
                pipe.fail(new IOException("the primary to follow changed")); // an image from the old one is of no use
            }
            return;
        }
        close(null);
        if (upstream.replica()) {
            connect();
        }
    }

    /** Redis's replicationCron, slave half: reconnect, time out a silent primary, acknowledge. */
    private void cron() {
        if (!upstream.replica()) {
            return;
        }
        if (upstream.state() == Upstream.LinkState.CONNECT) {
            connect();
            return;
        }
        if (phase == Phase.LOADING) {
            // A newline a second tells the primary this replica is alive while it loads (Redis's
            // replicationSendNewlineToMaster); the primary's stream waits in the paused socket.
            socket.write(Buffer.buffer("\n"));
            if (pipe != null && pipe.starving()
                && System.currentTimeMillis() - lastIoMillis > server.config().get(Settings.REPL_TIMEOUT) * 1000) {
                LOG.warn("Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                    + "'repl-timeout' parameter in redis.conf to a larger value.");
                pipe.fail(new IOException("Timeout"));
            }
            return;
        }
        long timeoutMillis = server.config().get(Settings.REPL_TIMEOUT) * 1000;
        if (socket != null && System.currentTimeMillis() - lastIoMillis > timeoutMillis) {
            LOG.warn(phase == Phase.STREAM ? "MASTER timeout: no data nor PING received..."
                : "Timeout connecting to the MASTER...");
            close(Upstream.LinkState.CONNECT);
            return;
        }
        if (phase == Phase.STREAM) {
            sendAck();
        }
    }

    private void connect() {
        if (server.keyspace().loading()) {
            // The data on disk first (and the replication history it records), as Redis loads before it connects.
            upstream.state(Upstream.LinkState.CONNECT);
            return;
        }
        int gen = ++generation;
        upstream.state(Upstream.LinkState.CONNECTING);
        String host = upstream.host();
        int port = upstream.port();
        NetClient client = netClient;
        if (server.config().get(Settings.TLS_REPLICATION)) {
            try {
                NetClientOptions tls = Tls.replicationClient(vertx, server.config()).setConnectTimeout(10_000).setTcpNoDelay(true);
                if (tlsClient != null) {
                    tlsClient.close();
                }
                tlsClient = client = vertx.createNetClient(tls);
            } catch (Tls.TlsError e) {
                LOG.warnf("Unable to connect to MASTER over TLS: %s", e.getMessage());
                upstream.state(Upstream.LinkState.CONNECT);
                return;
            }
        }
        LOG.infof("Connecting to MASTER %s:%d", host, port);
        LOG.info("MASTER <-> REPLICA sync started");
        client.connect(port, host).onComplete(ar -> context.runOnContext(v -> {
            if (gen != generation) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
                return;
            }
            if (ar.failed()) {
                LOG.warnf("Error condition on socket for SYNC: %s", ar.cause().getMessage());
                upstream.state(Upstream.LinkState.CONNECT);
                failoverFailed("Failover target could not be reached");
                return;
            }
            socket = ar.result();
            lastIoMillis = System.currentTimeMillis();
            socket.handler(b -> {
                if (gen == generation) {
                    received(b);
                }
            });
            socket.closeHandler(x -> {
                if (gen == generation && phase == Phase.LOADING) {
                    lostWhileLoading = true; // the load goes on; the link is retried when it ends
                    if (pipe != null) {
                        pipe.end(); // what arrived is parsed; an image cut short fails there
                    }
                } else if (gen == generation) {
                    LOG.warn(phase == Phase.STREAM ? "Connection with master lost." : "Master closed the connection");
                    close(Upstream.LinkState.CONNECT);
                }
            });
            socket.exceptionHandler(e -> LOG.debugf("replication link: %s", e.getMessage()));
            LOG.info("Non blocking connect for SYNC fired the event.");
            upstream.state(Upstream.LinkState.HANDSHAKE);
            phase = Phase.PING;
            send("PING");
        }));
    }

    /** Ends the link; {@code next} is the state to go to (CONNECT to retry), null when not following. */
    private void close(Upstream.LinkState next) {
        generation++;
        if (socket != null) {
            socket.close();
            socket = null;
        }
        in.clear();
        raw.clear();
        closeRdb(true);
        if (pipe != null) {
            pipe.fail(new IOException("replication link closed"));
        }
        if (masterClient != null) {
            primary.applyingUpstream(false);
            server.disconnect(masterClient);
            masterClient = null;
            masterContext = null;
            parser = null;
        }
        phase = null;
        if (next != null && upstream.replica()) {
            upstream.state(next);
        }
        if (next != null) {
            failoverFailed("Failover target closed the link");
        }
    }

    /**
     * The link to the replica FAILOVER hands over to failed before it accepted: this server is the
     * primary again (Redis gives up only on a refused PSYNC; a failed link gives up here too rather
     * than leave writes paused while retrying).
     */
    private void failoverFailed(String why) {
        if (server.failover().state() == Failover.State.IN_PROGRESS) {
            ReplicationCommands.abortFailover(server, why);
        }
    }

    private void send(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        out.command(argv);
        socket.write(Buffer.buffer(out.take()));
    }

    private void sendAck() {
        if (socket != null && phase == Phase.STREAM) {
            send("REPLCONF", "ACK", Long.toString(primary.offset()));
        }
    }

    // ---------------------------------------------------------------- input

    private void received(Buffer b) {
        lastIoMillis = System.currentTimeMillis();
        upstream.io();
        in.writeBytes(b.getByteBuf());
        processInput();
    }

    /** Goes through the input held so far; a failure drops the link, which is retried. */
    private void processInput() {
        try {
            process();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Replication link to MASTER %s:%d failed: %s", upstream.host(), upstream.port(), e.getMessage());
            close(Upstream.LinkState.CONNECT);
        }
        in.discardReadBytes();
    }

    private void process() throws IOException {
        while (socket != null && in.isReadable()) {
            switch (phase) {
                case PING, AUTH, PORT, CAPA, PSYNC -> {
                    // A diskless primary delaying the transfer sends newlines as keepalives (even before +FULLRESYNC).
                    skipNewlines();
                    String line = line();
                    if (line == null) {
                        return;
                    }
                    handshake(line);
                }
                case PAYLOAD_HEADER -> {
                    // Newlines keep the link alive while the primary prepares the RDB.
                    skipNewlines();
                    String line = line();
                    if (line == null) {
                        return;
                    }
                    payloadHeader(line);
                }
                case PAYLOAD -> payload();
                case LOADING -> {
                    if (pipe != null) {
                        feed();
                    }
                    return;
                }
                case STREAM -> {
                    stream();
                    return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void skipNewlines() {
        while (in.isReadable() && in.getByte(in.readerIndex()) == '\n') {
            in.skipBytes(1);
        }
    }

    /** A CRLF-terminated line, or null until one has arrived. */
    private String line() throws IOException {
        int end = -1;
        for (int i = in.readerIndex(); i + 1 < in.writerIndex(); i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            if (in.readableBytes() > 64 * 1024) {
                throw new IOException("line too long in the handshake");
            }
            return null;
        }
        String line = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
        in.readerIndex(end + 2);
        return line;
    }

    private void handshake(String line) throws IOException {
        switch (phase) {
            case PING -> {
                if (line.startsWith("-") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM")
                    && !line.startsWith("-ERR operation not permitted")) {
                    throw new IOException("Error reply to PING from master: '" + line + "'");
                }
                LOG.info("Master replied to PING, replication can continue...");
                String pass = server.config().get(Settings.MASTERAUTH);
                if (!pass.isEmpty()) {
                    String user = server.config().get(Settings.MASTERUSER);
                    phase = Phase.AUTH;
                    if (user.isEmpty()) {
                        send("AUTH", pass);
                    } else {
                        send("AUTH", user, pass);
                    }
                    return;
                }
                sendPort();
            }
            case AUTH -> {
                if (line.startsWith("-")) {
                    throw new IOException("Unable to AUTH to MASTER: " + line);
                }
                sendPort();
            }
            case PORT -> {
                if (line.startsWith("-")) {
                    LOG.infof("(Non critical) Master does not understand REPLCONF listening-port: %s", line);
                }
                String ip = server.config().get(Settings.REPLICA_ANNOUNCE_IP);
                phase = Phase.CAPA;
                if (ip.isEmpty()) {
                    send("REPLCONF", "capa", "eof", "capa", "psync2");
                } else {
                    send("REPLCONF", "ip-address", ip, "capa", "eof", "capa", "psync2");
                }
            }
            case CAPA -> {
                if (line.startsWith("-")) {
                    LOG.infof("(Non critical) Master does not understand REPLCONF capa: %s", line);
                }
                phase = Phase.PSYNC;
                String id = primary.replId();
                String next = Long.toString(primary.offset() + 1);
                if (noCachedPrimary || (primary.offset() == 0 && !primary.backlogActive())) {
                    LOG.info("Partial resynchronization not possible (no cached master)");
                    id = "?";
                    next = "-1";
                } else {
                    LOG.infof("Trying a partial resynchronization (request %s:%s).", id, next);
                }
                if (server.failover().state() == Failover.State.IN_PROGRESS) {
                    send("PSYNC", id, next, "FAILOVER"); // FAILOVER hands over: the target becomes the primary
                } else {
                    send("PSYNC", id, next);
                }
            }
            case PSYNC -> psyncReply(line);
            default -> throw new IOException("unexpected handshake line");
        }
    }

    private void sendPort() {
        long announced = server.config().get(Settings.REPLICA_ANNOUNCE_PORT);
        long tlsPort = server.config().get(Settings.TLS_PORT);
        long port = announced != 0 ? announced
            : server.config().get(Settings.TLS_REPLICATION) && tlsPort != 0 ? tlsPort : server.config().getInt(Settings.PORT);
        phase = Phase.PORT;
        send("REPLCONF", "listening-port", Long.toString(port));
    }

    private void psyncReply(String line) throws IOException {
        if (server.failover().state() == Failover.State.IN_PROGRESS) {
            if (line.startsWith("+FULLRESYNC") || line.startsWith("+CONTINUE")) {
                ReplicationCommands.endFailover(server);
            } else {
                ReplicationCommands.abortFailover(server, "Failover target rejected psync request");
            }
        }
        if (line.startsWith("+FULLRESYNC")) {
            String[] w = line.split(" ");
            if (w.length < 3) {
                throw new IOException("Master replied with wrong +FULLRESYNC syntax.");
            }
            syncId = w[1];
            noCachedPrimary = false;
            upstream.streamDb(0);
            syncOffset = Long.parseLong(w[2]);
            LOG.infof("Full resync from master: %s:%d", syncId, syncOffset);
            upstream.state(Upstream.LinkState.SYNC);
            phase = Phase.PAYLOAD_HEADER;
        } else if (line.startsWith("+CONTINUE")) {
            String id = line.length() > "+CONTINUE ".length() ? line.substring("+CONTINUE ".length()).trim() : null;
            LOG.info("Successful partial resynchronization with master.");
            primary.continueAs(id);
            LOG.info("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
            startStream();
            masterClient.select(upstream.streamDb()); // the stream continues in it (Redis's cached master)
        } else if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
            throw new IOException("Master is currently unable to PSYNC but should be in the future: " + line);
        } else {
            throw new IOException("Unexpected reply to PSYNC from master: " + line);
        }
    }

    private void payloadHeader(String line) throws IOException {
        if (line.startsWith("-")) {
            throw new IOException("MASTER aborted replication with an error: " + line.substring(1));
        }
        if (!line.startsWith("$")) {
            throw new IOException("Bad protocol from MASTER, the first byte is not '$' (we received '" + line + "')");
        }
        String load = server.config().get(Settings.REPL_DISKLESS_LOAD);
        boolean toParser = load.equals("swapdb") || load.equals("on-empty-db") && datasetEmpty();
        String to = toParser ? "parser" : "disk";
        if (line.startsWith("$EOF:") && line.length() == 5 + MARK) {
            eofMark = line.substring(5).getBytes(StandardCharsets.US_ASCII);
            payloadLeft = -1;
            LOG.info("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to " + to);
        } else {
            eofMark = null;
            payloadLeft = Long.parseLong(line.substring(1));
            LOG.infof("MASTER <-> REPLICA sync: receiving %d bytes from master to %s", payloadLeft, to);
        }
        payloadRead = 0;
        if (toParser) {
            loadFromSocket(load.equals("swapdb"));
            return;
        }
        Path dir = Path.of(server.config().get(Settings.DIR));
        Files.createDirectories(dir);
        rdbTemp = dir.resolve("temp-" + System.currentTimeMillis() + "." + ProcessHandle.current().pid() + ".rdb");
        rdbOut = FileChannel.open(rdbTemp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        Arrays.fill(lastBytes, (byte) 0);
        upstream.syncProgress(payloadLeft, 0);
        phase = Phase.PAYLOAD;
        if (payloadLeft == 0) {
            payloadDone();
        }
    }

    private void payload() throws IOException {
        int n = in.readableBytes();
        if (eofMark == null) {
            n = (int) Math.min(n, payloadLeft);
        }
        ByteBuffer chunk = in.nioBuffer(in.readerIndex(), n);
        // The last 40 bytes so far, for the diskless form's end mark.
        if (eofMark != null) {
            int keep = Math.min(n, MARK);
            System.arraycopy(lastBytes, keep, lastBytes, 0, MARK - keep);
            in.getBytes(in.readerIndex() + n - keep, lastBytes, MARK - keep, keep);
        }
        while (chunk.hasRemaining()) {
            rdbOut.write(chunk);
        }
        in.skipBytes(n);
        payloadRead += n;
        upstream.syncProgress(eofMark == null ? payloadRead + payloadLeft - n : -1, payloadRead);
        if (eofMark == null) {
            payloadLeft -= n;
            if (payloadLeft == 0) {
                payloadDone();
            }
        } else if (payloadRead >= MARK && Arrays.equals(lastBytes, eofMark)) {
            rdbOut.truncate(payloadRead - MARK);
            payloadDone();
        }
    }

    /**
     * The RDB is on disk: the old data goes and the file is loaded; one larger than
     * loading-process-events-interval-bytes by a thread of its own, its keys
     * installed on this context in batches between other clients' commands, which get -LOADING
     * meanwhile (as Redis answers them from its loading loop); the primary's stream waits in the
     * paused socket until the load ends.
     */
    private void payloadDone() throws IOException {
        rdbOut.force(true);
        rdbOut.close();
        rdbOut = null;
        LOG.info("MASTER <-> REPLICA sync: Flushing old data");
        KeyCommands.emptyData(server.loadingContext());
        LOG.info("MASTER <-> REPLICA sync: Loading DB in memory");
        phase = Phase.LOADING;
        socket.pause();
        lostWhileLoading = false;
        changedWhileLoading = false;
        int gen = generation;
        Path file = rdbTemp;
        long keyDelayMicros = server.config().get(Settings.KEY_LOAD_DELAY);
        if (Files.size(file) <= server.config().get(Settings.LOADING_PROCESS_EVENTS_INTERVAL_BYTES)) {
            // Redis serves other clients during a load only every loading-process-events-interval-bytes
            // (2 MB): a smaller image is loaded at once, and nobody sees -LOADING.
            List<byte[]> functions = new ArrayList<>();
            Exception failed = null;
            try (InputStream fileIn = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                RdbFile.load(fileIn, server.keyspace(), server.keyspace().databases(), true, keyDelayMicros,
                    new RdbFile.Sink() {
                        @Override
                        public void function(byte[] code) {
                            functions.add(code);
                        }

                        @Override
                        public void entry(RdbFile.Record r) {
                            RdbFile.install(server.keyspace(), r, false);
                        }
                    });
                server.keyspace().settle();
            } catch (IOException | RuntimeException e) {
                failed = e;
            }
            loaded(gen, functions, failed, null, null);
            return;
        }
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        server.loadProgress(new Server.LoadProgress(System.currentTimeMillis(), Files.size(file), read::get));
        server.keyspace().loading(true);
        LoadApplier applier = new LoadApplier(null);
        Thread loader = new Thread(() -> {
            Exception failed = null;
            try (InputStream fileIn = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16), read)) {
                RdbFile.load(fileIn, server.keyspace(), server.keyspace().databases(), true, false, keyDelayMicros, applier);
                applier.await();
            } catch (Exception e) {
                failed = e;
            }
            Exception error = failed;
            context.runOnContext(v -> loaded(gen, applier.functions, error, null, null));
        }, "quokka-replica-load");
        loader.setDaemon(true);
        loader.start();
    }

    private boolean datasetEmpty() {
        for (int i = 0; i < server.keyspace().databases(); i++) {
            if (server.keyspace().db(i).size() > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the image as it arrives (Redis's diskless load), on a thread of its own fed through an
     * {@link ImagePipe}, its keys installed on this context in batches. With {@code swapdb} they go
     * into databases aside, swapped in when the image is complete, so a failed transfer leaves the
     * old data; within the same replication history (this replica's id is the primary's) the old
     * data is served meanwhile (async loading: only no-async-loading commands get -LOADING), else
     * clients get -LOADING. Otherwise the data is emptied first.
     */
    private void loadFromSocket(boolean swapdb) {
        Database[] aside = null;
        boolean async = false;
        if (swapdb) {
            aside = server.keyspace().emptyDatabases();
            async = syncId.equals(primary.replId());
        } else {
            LOG.info("MASTER <-> REPLICA sync: Flushing old data");
            KeyCommands.emptyData(server.loadingContext());
        }
        LOG.info("MASTER <-> REPLICA sync: Loading DB in memory");
        phase = Phase.LOADING;
        lostWhileLoading = false;
        changedWhileLoading = false;
        int gen = generation;
        ImagePipe p = new ImagePipe(PIPE_LIMIT, () -> context.runOnContext(v -> {
            if (pipe != null && gen == generation && socket != null && (eofMark != null || payloadLeft > 0)) {
                socket.resume();
            }
        }));
        pipe = p;
        byte[] mark = eofMark;
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        server.loadProgress(new Server.LoadProgress(System.currentTimeMillis(), Math.max(payloadLeft, 0), read::get));
        if (async) {
            server.asyncLoading(true);
        } else {
            server.keyspace().loading(true);
        }
        long keyDelayMicros = server.config().get(Settings.KEY_LOAD_DELAY);
        LoadApplier applier = new LoadApplier(aside);
        Database[] into = aside;
        Thread loader = new Thread(() -> {
            Exception failed = null;
            byte[] rest = null;
            try {
                RdbFile.Loaded loaded = RdbFile.load(new CountingInput(p, read), server.keyspace(),
                    server.keyspace().databases(), true, false, keyDelayMicros, applier);
                if (mark != null) {
                    byte[] after = loaded.unread;
                    byte[] more = p.readUpTo(Math.max(0, MARK - after.length));
                    byte[] tail = Arrays.copyOf(after, after.length + more.length);
                    System.arraycopy(more, 0, tail, after.length, more.length);
                    if (tail.length < MARK || !Arrays.equals(tail, 0, MARK, mark, 0, MARK)) {
                        throw new IOException("Replication stream EOF marker is broken");
                    }
                    byte[] piped = p.rest();
                    rest = Arrays.copyOf(Arrays.copyOfRange(tail, MARK, tail.length), tail.length - MARK + piped.length);
                    System.arraycopy(piped, 0, rest, tail.length - MARK, piped.length);
                }
            } catch (Exception e) {
                failed = e;
            }
            try {
                applier.await();
            } catch (InterruptedException e) {
                failed = e;
            }
            Exception error = failed;
            byte[] after = rest;
            context.runOnContext(v -> loaded(gen, applier.functions, error, into, after));
        }, "quokka-replica-load");
        loader.setDaemon(true);
        loader.start();
        feed();
    }

    /** Passes the image's bytes that arrived to the loading thread; the socket waits while it is behind. */
    private void feed() {
        if (eofMark == null && payloadLeft == 0) {
            return; // the image is complete: what follows is the stream, for after the load
        }
        int n = in.readableBytes();
        if (eofMark == null) {
            n = (int) Math.min(n, payloadLeft);
        }
        byte[] bytes = new byte[n];
        in.readBytes(bytes);
        pipe.offer(bytes);
        payloadRead += n;
        upstream.syncProgress(eofMark == null ? payloadRead + payloadLeft - n : -1, payloadRead);
        if (eofMark == null) {
            payloadLeft -= n;
            if (payloadLeft == 0) {
                pipe.end();
                socket.pause();
                return;
            }
        }
        if (pipe.full()) {
            socket.pause();
        }
    }

    /**
     * The load ended (on this context): the stream starts, or the sync starts over. {@code aside}:
     * the databases a swapdb load filled; {@code rest}: what followed a diskless image's end mark.
     */
    private void loaded(int gen, List<byte[]> functions, Exception failed, Database[] aside, byte[] rest) {
        boolean fromSocket = pipe != null;
        pipe = null;
        server.keyspace().loading(false);
        server.asyncLoading(false);
        server.loadProgress(null);
        String functionError = failed == null ? server.reloadFunctions(functions, true) : null;
        if (failed != null || functionError != null) {
            String why = failed != null ? failed.getMessage() : functionError;
            if (fromSocket) {
                if (failed instanceof RdbFile.FormatException) {
                    LOG.warnf("Internal error in RDB reading offset %d -> %s", payloadRead, why);
                }
                LOG.warnf("Failed trying to load the MASTER synchronization DB from socket: %s", why);
            } else {
                LOG.warnf("Failed trying to load the MASTER synchronization DB from disk: %s", why);
            }
            if (aside != null) {
                LOG.info("MASTER <-> REPLICA sync: Discarding temporary DB in background");
            } else {
                KeyCommands.emptyData(server.loadingContext());
            }
            if (gen != generation) {
                return; // the link was closed for good (shutdown)
            }
            phase = null;
            if (changedWhileLoading) {
                changed();
            } else {
                close(Upstream.LinkState.CONNECT);
            }
            return;
        }
        if (aside != null) {
            LOG.info("MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
            KeyCommands.swapInData(server.loadingContext(), aside);
            LOG.info("MASTER <-> REPLICA sync: Discarding old DB in background");
        }
        if (rest != null && rest.length > 0) {
            ByteBuf held = in.copy();
            in.clear();
            in.writeBytes(rest);
            in.writeBytes(held);
        }
        if (fromSocket) {
            server.keyspace().changed(); // as Redis counts a diskless load, which saved nothing
        }
        closeRdb(true);
        primary.adopt(syncId, syncOffset);
        LOG.info("MASTER <-> REPLICA sync: Finished with success");
        if (gen != generation || changedWhileLoading || lostWhileLoading) {
            // The link ended or the primary changed meanwhile: this history's offset is kept for a partial resync.
            phase = null;
            if (changedWhileLoading) {
                changed();
            } else {
                close(Upstream.LinkState.CONNECT);
            }
            return;
        }
        boolean diskless = eofMark != null;
        startStream();
        if (diskless) {
            // A diskless primary streams to us only after this first acknowledgement.
            sendAck();
        }
        socket.resume();
        processInput(); // what arrived with the end of the RDB
    }

    /** Installs a loading replica's keys on this context, a few batches behind the reader at most. */
    private final class LoadApplier extends PacedApplier {
        /** The function libraries' code, in file order (they replace this server's at the end). */
        final List<byte[]> functions = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** The databases loaded aside (swapdb), or null for the keyspace's own. */
        private final Database[] into;

        LoadApplier(Database[] into) {
            super(work -> context.runOnContext(v -> work.run()));
            this.into = into;
        }

        @Override
        public void apply(List<byte[][]> batch) {
            for (byte[][] argv : batch) {
                functions.add(argv[argv.length - 1]); // RdbFile hands libraries over as FUNCTION LOAD code
            }
        }

        @Override
        public void records(List<RdbFile.Record> batch, boolean dropExpired) throws InterruptedException {
            paced(() -> {
                server.keyspace().tick();
                for (RdbFile.Record r : batch) {
                    RdbFile.install(server.keyspace(), into == null ? server.keyspace().db(r.db()) : into[r.db()], r,
                        dropExpired);
                }
                server.keyspace().settle();
            });
        }
    }

    /** Counts the bytes read, for INFO's loading_loaded_bytes. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private final java.util.concurrent.atomic.AtomicLong count;

        CountingInput(InputStream in, java.util.concurrent.atomic.AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }

    private void closeRdb(boolean delete) {
        if (rdbOut != null) {
            try {
                rdbOut.close();
            } catch (IOException ignored) {
                // closing a temporary file
            }
            rdbOut = null;
        }
        if (delete && rdbTemp != null) {
            try {
                Files.deleteIfExists(rdbTemp);
            } catch (IOException ignored) {
                // a temporary file
            }
            rdbTemp = null;
        }
    }

    // ---------------------------------------------------------------- the stream

    private void startStream() {
        String addr = upstream.host() + ":" + upstream.port();
        masterClient = server.newClient(addr, "");
        masterClient.master(true);
        masterClient.authenticated(true);
        int gen = generation;
        masterClient.onKill(() -> context.runOnContext(v -> {
            if (gen == generation && phase == Phase.STREAM) {
                LOG.info("Connection with master lost (CLIENT KILL).");
                close(Upstream.LinkState.CONNECT); // reconnects with a partial resync, as Redis's cached master
            }
        }));
        masterContext = server.context(masterClient);
        masterContext.reply.enabled(false);
        masterContext.reply.onError(text -> {
            server.stats().errorReplied(text);
            streamErrors.add(text);
        });
        parser = masterClient.parser;
        parser.authenticated(true);
        raw.clear();
        phase = Phase.STREAM;
        upstream.state(Upstream.LinkState.CONNECTED);
    }

    /**
     * Runs every complete command of the stream as the primary's client, then passes its exact
     * bytes on (backlog, offset, our replicas): the offset counts what has been processed.
     */
    private void stream() throws IOException {
        int n = in.readableBytes();
        byte[] bytes = new byte[n];
        in.readBytes(bytes);
        parser.feed(bytes, 0, n);
        raw.writeBytes(bytes);
        try {
            while (parser.next()) {
                byte[][] argv = Arrays.copyOf(parser.argv(), parser.argc());
                int consumed = raw.readableBytes() - parser.pending();
                masterContext.argv = argv;
                masterContext.argc = argv.length;
                masterContext.reply.target(replies);
                primary.applyingUpstream(true);
                server.keyspace().obeyingPrimary(true);
                try {
                    server.dispatcher().execute(masterContext);
                } finally {
                    server.keyspace().obeyingPrimary(false);
                    primary.applyingUpstream(false);
                    replies.clear();
                }
                if (masterClient != null) {
                    upstream.streamDb(masterClient.db().id());
                }
                if (!streamErrors.isEmpty()) {
                    divergence(argv);
                }
                byte[] cmd = new byte[consumed];
                raw.readBytes(cmd);
                raw.discardReadBytes();
                primary.proxy(cmd, 0, cmd.length);
                if (socket == null || phase != Phase.STREAM) {
                    return; // the command ended the link (REPLICAOF from the primary's stream is not expected)
                }
            }
        } catch (ProtocolException e) {
            // A stream that broke its own protocol is not one to continue (Redis does not cache such a master).
            noCachedPrimary = true;
            throw new IOException("Protocol error from MASTER: " + e.getMessage(), e);
        }
    }

    /**
     * The primary's command failed here: the data may now differ from the primary's. Logged as
     * Redis logs it, counted, and fatal when propagation-error-behavior says so for a read-only
     * replica (Redis's afterErrorReply).
     */
    private void divergence(byte[][] argv) {
        CommandSpec spec = server.commands().resolve(argv, argv.length);
        String name = spec == null ? "<unknown>" : spec.fullName();
        for (String text : streamErrors) {
            String shown = text.length() > 4096 ? text.substring(0, 4096) : text;
            LOG.warnf("== CRITICAL == This replica is sending an error to its master: '%s' after processing the command '%s'",
                shown, name);
            server.stats().unexpectedErrorReplied();
        }
        streamErrors.clear();
        String behavior = server.config().get(Settings.PROPAGATION_ERROR_BEHAVIOR);
        if (!behavior.equals("ignore") && server.config().get(Settings.REPLICA_READ_ONLY)) {
            LOG.error("This replica panicked sending an error to its master after processing the command '" + name + "'");
            Runtime.getRuntime().halt(1);
        }
    }

    /** The files and clients of the link, at shutdown. */
    void stop() {
        close(null);
        netClient.close();
        if (tlsClient != null) {
            tlsClient.close();
        }
    }
}
