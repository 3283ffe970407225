package dev.quokka.replication;

import dev.quokka.persistence.CommandBuffer;
import dev.quokka.persistence.Effects;
import dev.quokka.persistence.EffectsStream;
import dev.quokka.persistence.RdbFile;
import dev.quokka.persistence.RdbSaves;
import dev.quokka.protocol.RespWriter;
import dev.quokka.session.Client;
import io.netty.buffer.ByteBuf;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The primary's side of replication (Redis's replication.c, master half): the replication id and
 * offset, the backlog, and the replicas. It consumes the effects stream (ARCHITECTURE invariant
 * 11) as the AOF does, encoding each effect once in the AOF's format, appending it to the backlog
 * and writing it to every replica that is online; a replica still loading its full resync's RDB
 * gets the bytes queued, written after the file.
 *
 * <p>A full resynchronisation takes the same copy-on-write snapshot as BGSAVE, writes it to a
 * temporary RDB file on the save thread (Redis's disk-based sync, {@code repl-diskless-sync no}),
 * then sends {@code $<length>\r\n} and the file, and the effects since the snapshot after it.
 * Replicas that ask for one while a snapshot is written share it.
 */
public final class Primary implements EffectsStream.Sink {
    private static final Logger LOG = Logger.getLogger(Primary.class);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NEWLINE = {'\n'};

    /** What a replica's link is doing (Redis's SLAVE_STATE_*). */
    public enum State {
        WAIT_BGSAVE_START("wait_bgsave"), WAIT_BGSAVE_END("wait_bgsave"), SEND_BULK("send_bulk"), ONLINE("online");

        final String info;

        State(String info) {
            this.info = info;
        }
    }

    /** One replica connected to this server. */
    public static final class Replica {
        final Client client;
        State state;
        /** The port it listens on (REPLCONF listening-port), for INFO and ROLE. */
        int listeningPort;
        String ipAddress;
        boolean capaEof;
        boolean capaPsync2;
        boolean rdbOnly;
        /** REPLCONF rdb-filter-only: an image without keys, with the function libraries or not. */
        boolean filtered;
        boolean filterKeepsFunctions;
        /** It asked with PSYNC (SYNC's replicas get no +FULLRESYNC line). */
        boolean psync;
        long ackOffset;
        long ackMillis = System.currentTimeMillis();
        /** The stream offset up to which it was sent its bytes (or queued them in {@link #pending}). */
        long sentOffset;
        /** The stream since its snapshot, while its RDB is written and sent. */
        private List<byte[]> pending = new ArrayList<>();
        private long pendingBytes;
        /** Since when it waits for a diskless transfer to start. */
        private long waitingSinceMillis;
        /** A diskless transfer's replica, online, whose stream starts at its first ACK (it loads meanwhile). */
        private boolean streamOnAck;
        /** A diskless transfer's chunks given to its socket and not yet taken, and since when it last took one. */
        private int chunksInFlight;
        private long lastChunkMillis;

        Replica(Client client) {
            this.client = client;
        }

        public Client client() {
            return client;
        }

        public void listeningPort(int port) {
            listeningPort = port;
        }

        public void ipAddress(String ip) {
            ipAddress = ip;
        }

        /** REPLCONF capa: eof and psync2 are known; others are ignored, as Redis ignores them. */
        public void capability(String capa) {
            if (capa.equalsIgnoreCase("eof")) {
                capaEof = true;
            } else if (capa.equalsIgnoreCase("psync2")) {
                capaPsync2 = true;
            }
        }

        /** REPLCONF rdb-only 1: the RDB alone (redis-cli --rdb), no stream after it. */
        public void rdbOnly(boolean on) {
            rdbOnly = on;
        }

        /** REPLCONF rdb-filter-only: the image holds no keys, and the function libraries when {@code functions}. */
        public void rdbFilter(boolean functions) {
            filtered = true;
            filterKeepsFunctions = functions;
        }

        /** A filtered image is sent only to a replica that reads the diskless form's end mark (as Redis requires). */
        public boolean filtered() {
            return filtered;
        }

        public boolean capaEof() {
            return capaEof;
        }

        /** The address it announced (REPLCONF ip-address), else its connection's. */
        String ipAddress() {
            if (ipAddress != null) {
                return ipAddress;
            }
            String addr = client.addr();
            int colon = addr.lastIndexOf(':');
            return colon < 0 ? addr : addr.substring(0, colon);
        }
    }

    private final RdbSaves rdb;
    private String replId = newReplId();
    private String replId2 = "0000000000000000000000000000000000000000";
    private long secondReplOffset = -1;
    private long offset;
    private Backlog backlog;
    private int backlogSize = 1024 * 1024;
    private int selectedDb = -1;
    private final List<Replica> replicas = new ArrayList<>();
    private final CommandBuffer encoder = new CommandBuffer(1024);
    private long fullSyncs;
    private long partialSyncsOk;
    private long partialSyncsErr;
    private int syncFiles;
    /** The full resync snapshot being written, which replicas asking meanwhile share. */
    private SyncSave runningSave;
    /** repl-diskless-sync, -delay (ms) and -max-replicas; repl-timeout (ms). */
    private boolean disklessSync;
    private long disklessDelayMillis = 5000;
    private long disklessMaxReplicas;
    private long timeoutMillis = 60_000;
    /** The diskless transfer under way, or null. */
    private DisklessTransfer transfer;
    private long lastNewlineMillis;

    /**
     * A full resync sent to replicas' sockets as the save thread writes it (Redis's
     * rdbSaveToSlavesSockets): {@code $EOF:<mark>}, the image, the mark; replicas that ask
     * meanwhile wait for the next one, as in Redis.
     */
    private final class DisklessTransfer implements RdbSaves.Chunks {
        final byte[] mark;
        final List<Replica> replicas;
        private volatile boolean abandoned;

        DisklessTransfer(byte[] mark, List<Replica> replicas) {
            this.mark = mark;
            this.replicas = new ArrayList<>(replicas);
        }

        @Override
        public void chunk(byte[] bytes, Runnable taken) {
            replicas.removeIf(r -> !live(r));
            if (replicas.isEmpty()) {
                if (!abandoned) {
                    LOG.warn("Diskless rdb transfer, last replica dropped, killing fork child.");
                }
                abandoned = true;
                taken.run();
                return;
            }
            int[] left = {replicas.size()};
            for (Replica r : replicas) {
                if (r.chunksInFlight++ == 0) {
                    r.lastChunkMillis = System.currentTimeMillis(); // its socket was idle: the wait starts now
                }
                r.client.connection().writeChunk(bytes, failure -> {
                    r.chunksInFlight--;
                    r.lastChunkMillis = System.currentTimeMillis();
                    if (--left[0] == 0) {
                        taken.run();
                    }
                });
            }
        }

        @Override
        public boolean abandoned() {
            return abandoned;
        }
    }

    /**
     * One full resync's RDB file and the replicas that get it: the first asked for it, the others
     * attached while it was written (as Redis attaches replicas to a BGSAVE for SYNC in progress),
     * each starting from its offset with a copy of the stream queued for the first since then.
     */
    private static final class SyncSave {
        final Path file;
        final String replId;
        final long offset;
        final List<Replica> replicas = new ArrayList<>();

        SyncSave(Path file, String replId, long offset) {
            this.file = file;
            this.replId = replId;
            this.offset = offset;
        }
    }
    private Path dir = Path.of(".");
    private long lastPingMillis;
    /** The stream of this event-loop turn, not yet sent to replicas, from offset {@link #turnStart}. */
    private final List<byte[]> turn = new ArrayList<>();
    private long turnStart;
    private boolean turnScheduled;
    private Runnable turnScheduler = this::turnEnd;
    private long pendingLimit;
    private boolean applyingUpstream;
    private Upstream upstream = new Upstream();

    public Primary(RdbSaves rdb) {
        this.rdb = rdb;
    }

    private static String newReplId() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Where full resyncs write their temporary files (the server's {@code dir}). */
    public void dir(Path dir) {
        this.dir = dir;
    }

    /** CONFIG SET repl-backlog-size. */
    public void backlogSize(long size) {
        backlogSize = (int) Math.min(size, Integer.MAX_VALUE - 16);
        if (backlog != null) {
            backlog.resize(backlogSize);
        }
    }

    // ---------------------------------------------------------------- the stream

    /**
     * Recording once a replica has connected (the backlog then stays, as Redis keeps it), except
     * the effects of the primary's own stream on a replica: those bytes are proxied as they came.
     */
    @Override
    public boolean active() {
        return backlog != null && !applyingUpstream && !upstream.replica();
    }

    /**
     * This server's own primary, if it follows one: a replica's stream is its primary's, proxied;
     * it adds nothing of its own (no PINGs, no effects of local expiry).
     */
    public void upstream(Upstream u) {
        upstream = u;
    }

    // ---------------------------------------------------------------- as a replica (PSYNC2)

    /** While a command of this server's primary runs: its effects are not encoded again. */
    public void applyingUpstream(boolean on) {
        applyingUpstream = on;
    }

    /**
     * A full resync from this server's primary: its history becomes ours (its id, the offset of the
     * snapshot), with a new backlog, so that our own replicas can continue from us after a failover.
     * Our replicas resync too, as the data changed under them.
     */
    public void adopt(String primaryReplId, long primaryOffset) {
        replId = primaryReplId;
        replId2 = "0000000000000000000000000000000000000000";
        secondReplOffset = -1;
        offset = primaryOffset;
        backlog = new Backlog(backlogSize, offset);
        turn.clear();
        turnStart = offset;
        disconnectReplicas();
    }

    /** +CONTINUE with another id: the primary's history was renamed by a failover (shiftReplicationId). */
    public void continueAs(String primaryReplId) {
        if (primaryReplId == null || primaryReplId.equals(replId)) {
            return;
        }
        replId2 = replId;
        secondReplOffset = offset + 1;
        replId = primaryReplId;
        disconnectReplicas();
    }

    /**
     * The RDB aux fields of this server's replication history (Redis's rdbPopulateSaveInfo): as
     * a primary with a backlog, its id, offset and the stream's database; as a replica with a
     * history, its primary's (the same id and offset, PSYNC2). None otherwise.
     */
    public RdbFile.Header withHistory(RdbFile.Header plain) {
        boolean history = upstream.replica() ? offset > 0 || backlog != null : backlog != null;
        if (!history) {
            return plain;
        }
        int db = upstream.replica() ? upstream.streamDb() : Math.max(selectedDb, 0);
        return new RdbFile.Header(plain.redisVersion(), plain.usedMemory(), plain.aofBase(), replId, offset, db);
    }

    /**
     * The history an RDB loaded at start recorded (Redis's loadDataFromDisk): a replica continues
     * it as its own, so its first PSYNC can continue; a primary keeps it as its second id, so its
     * replicas can continue with it.
     */
    public void restoreHistory(String id, long recordedOffset, int streamDb) {
        if (upstream.replica()) {
            replId = id;
            upstream.streamDb(streamDb);
        } else {
            replId2 = id;
            secondReplOffset = recordedOffset + 1;
        }
        offset = recordedOffset;
        backlog = new Backlog(backlogSize, offset);
        turn.clear();
        turnStart = offset;
    }

    /**
     * REPLICAOF NO ONE (shiftReplicationId): a new history that continues the old one. Our replicas
     * are disconnected to learn the new id; they continue with a partial resync (Redis's
     * replicationUnsetMaster).
     */
    public void promote() {
        replId2 = replId;
        secondReplOffset = offset + 1;
        replId = newReplId();
        // The proxied stream selected databases of its own: our next effect names its database.
        selectedDb = -1;
        disconnectReplicas();
    }

    /** The primary's stream as it came: our offset, backlog and replicas follow it byte for byte. */
    public void proxy(byte[] bytes, int off, int len) {
        if (backlog == null) {
            backlog = new Backlog(backlogSize, offset);
            turnStart = offset;
        }
        feed(java.util.Arrays.copyOfRange(bytes, off, off + len));
        selectedDb = -1; // the primary's stream may have selected another database
    }

    private void disconnectReplicas() {
        for (Replica r : new ArrayList<>(replicas)) {
            if (r.state != null && r.client.connection() != null) {
                r.client.connection().close();
            }
        }
    }

    @Override
    public void command(int db, byte[][] argv) {
        if (db != selectedDb) {
            encoder.command(Effects.SELECT, Effects.number(db));
            selectedDb = db;
        }
        encoder.command(argv);
        feed(encoder.take());
    }

    /**
     * The bytes join the backlog and the offset at once (WAIT's targets, PSYNC's answers), and the
     * turn's output, sent to replicas at the end of the event-loop turn, after the AOF has written
     * (and under always fsynced) the same effects: a replica is never ahead of the primary's file.
     */
    /**
     * DEBUG REPLICATE: a command sent to the replicas as it is, in whatever database the stream
     * last selected, and not to the AOF (Redis's replicationFeedSlaves with slaveseldb).
     */
    public void replicateAsIs(byte[][] argv) {
        if (!active()) {
            return;
        }
        encoder.command(argv);
        feed(encoder.take());
    }

    private void feed(byte[] bytes) {
        backlog.append(bytes, 0, bytes.length);
        offset += bytes.length;
        if (replicas.isEmpty()) {
            turn.clear();
            turnStart = offset;
            return;
        }
        turn.add(bytes);
        if (!turnScheduled) {
            turnScheduled = true;
            turnScheduler.run();
        }
    }

    /** Where the end of a turn is scheduled: after the AOF's (PersistenceLifecycle). */
    public void attach(Runnable turnScheduler) {
        this.turnScheduler = turnScheduler;
    }

    /** End of the turn: each replica gets the stream past what it was sent, or queues it while it loads. */
    public void turnEnd() {
        turnScheduled = false;
        if (turn.isEmpty()) {
            return;
        }
        byte[] bytes = join(turn);
        turn.clear();
        long start = turnStart;
        turnStart = offset;
        for (Replica r : new ArrayList<>(replicas)) {
            if (r.state == null || r.rdbOnly || r.sentOffset >= offset) {
                continue;
            }
            int from = (int) Math.max(0, r.sentOffset - start);
            byte[] slice = from == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, from, bytes.length);
            r.sentOffset = offset;
            if (r.state == State.ONLINE && !r.streamOnAck) {
                write(r, slice);
            } else {
                r.pending.add(slice);
                r.pendingBytes += slice.length;
                if (pendingLimit > 0 && r.pendingBytes > pendingLimit) {
                    LOG.warnf("Client %s scheduled to be closed ASAP for overcoming of output buffer limits.",
                        name(r));
                    r.client.connection().close();
                }
            }
        }
    }

    private static byte[] join(List<byte[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * The replica class's hard output limit (client-output-buffer-limit replica): the stream
     * queued for a replica still loading its RDB may not pass it.
     */
    public void pendingLimit(long bytes) {
        pendingLimit = bytes;
    }

    /** repl-diskless-sync, repl-diskless-sync-delay (seconds) and repl-diskless-sync-max-replicas. */
    public void disklessSync(boolean on, long delaySeconds, long maxReplicas) {
        disklessSync = on;
        disklessDelayMillis = delaySeconds * 1000;
        disklessMaxReplicas = maxReplicas;
    }

    /** repl-timeout: a diskless transfer's replica whose socket takes nothing for this long is dropped. */
    public void timeoutSeconds(long seconds) {
        timeoutMillis = seconds * 1000;
    }

    private static void write(Replica r, byte[] bytes) {
        Client.Connection conn = r.client.connection();
        if (conn == null || r.client.closed()) {
            return;
        }
        ByteBuf buf = conn.allocate();
        buf.writeBytes(bytes);
        conn.writeOutOfBand(buf);
    }

    private static void writeLine(Replica r, String line) {
        write(r, (line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Redis's replicationCron, master half: a PING in the stream every {@code pingPeriodSeconds}
     * while replicas are connected, so that they see the link alive and their offsets move.
     */
    public void cron(long pingPeriodSeconds, boolean failingOver) {
        long now = System.currentTimeMillis();
        startDisklessIfDue();
        if (now - lastNewlineMillis >= 1000) {
            // Replicas waiting for their RDB to start get a newline a second, so that they do not time out.
            lastNewlineMillis = now;
            for (Replica r : replicas) {
                if (r.state == State.WAIT_BGSAVE_START || (r.state == State.WAIT_BGSAVE_END && !inTransfer(r))) {
                    write(r, NEWLINE);
                }
            }
        }
        if (transfer != null) {
            for (Replica r : new ArrayList<>(transfer.replicas)) {
                // Only a replica whose socket holds data it does not take: the others wait for it (as in Redis).
                if (live(r) && r.chunksInFlight > 0 && now - r.lastChunkMillis > timeoutMillis) {
                    LOG.warnf("Disconnecting timedout replica (full sync): %s", name(r));
                    r.client.connection().close();
                }
            }
        }
        if (replicas.isEmpty() || backlog == null || upstream.replica()) {
            return;
        }
        if (failingOver) {
            return; // the offset stays still while FAILOVER waits for a replica to reach it
        }
        if (lastPingMillis == 0) {
            lastPingMillis = now; // the first PING a period after the first replica, as Redis's cron loops
            return;
        }
        if (now - lastPingMillis < pingPeriodSeconds * 1000) {
            return;
        }
        lastPingMillis = now;
        encoder.command(new byte[][] {"PING".getBytes(StandardCharsets.US_ASCII)});
        feed(encoder.take());
    }

    // ---------------------------------------------------------------- PSYNC

    /** The replica a client has become, or null. */
    public Replica replicaOf(Client c) {
        for (Replica r : replicas) {
            if (r.client == c) {
                return r;
            }
        }
        return null;
    }

    /** REPLCONF's settings arrive before PSYNC: kept on a replica-to-be. */
    public Replica prepare(Client c) {
        Replica r = replicaOf(c);
        if (r == null) {
            r = new Replica(c);
            r.state = null;
            replicas.add(r);
        }
        return r;
    }

    /**
     * PSYNC replid offset (SYNC: {@code replId} null): continues from the backlog when it holds the
     * replica's offset in this history, or starts a full resynchronisation.
     */
    public void psync(Client c, String requestedId, long psyncOffset) {
        Replica r = prepare(c);
        c.replica(true);
        long held = offset - psyncOffset + 1;
        if (requestedId != null && tryPartial(r, requestedId, psyncOffset)) {
            partialSyncsOk++;
            LOG.infof("Partial resynchronization request from %s accepted. Sending %d bytes of backlog starting "
                + "from offset %d.", name(r), held, psyncOffset);
            return;
        }
        if (requestedId != null && !requestedId.equals("?")) {
            partialSyncsErr++;
        }
        fullResync(r, requestedId != null);
    }

    private boolean tryPartial(Replica r, String id, long psyncOffset) {
        if (backlog == null) {
            return false;
        }
        boolean sameHistory = id.equals(replId) || (id.equals(replId2) && psyncOffset <= secondReplOffset);
        if (!sameHistory || !backlog.holdsFrom(psyncOffset - 1)) {
            return false;
        }
        r.state = State.ONLINE;
        r.ackMillis = System.currentTimeMillis();
        writeLine(r, r.capaPsync2 ? "+CONTINUE " + replId : "+CONTINUE");
        if (psyncOffset - 1 < offset) {
            write(r, backlog.from(psyncOffset - 1));
        }
        r.sentOffset = offset;
        return true;
    }

    private void fullResync(Replica r, boolean psync) {
        ensureBacklog();
        fullSyncs++;
        r.psync = psync;
        // A filtered image always goes to the socket, as in Redis (it must not be taken for a snapshot file).
        if (r.capaEof && (disklessSync && psync && !r.rdbOnly || r.filtered)) {
            r.state = State.WAIT_BGSAVE_START;
            r.waitingSinceMillis = System.currentTimeMillis();
            r.pending = new ArrayList<>();
            r.pendingBytes = 0;
            r.sentOffset = Long.MAX_VALUE; // nothing of the stream until its snapshot is taken
            if (disklessDelayMillis > 0) {
                LOG.info("Delay next BGSAVE for diskless SYNC");
            }
            startDisklessIfDue();
            return;
        }
        r.state = State.WAIT_BGSAVE_END;
        Replica first = runningSave == null || !runningSave.replId.equals(replId) ? null : runningSave.replicas.stream()
            .filter(x -> x.state == State.WAIT_BGSAVE_END && !x.rdbOnly && live(x)).findFirst().orElse(null);
        if (first != null) {
            r.pending = new ArrayList<>(first.pending);
            r.pendingBytes = first.pendingBytes;
            r.sentOffset = first.sentOffset;
            if (psync) {
                writeLine(r, "+FULLRESYNC " + replId + " " + runningSave.offset);
            }
            runningSave.replicas.add(r);
            LOG.info("Waiting for end of BGSAVE for SYNC");
            return;
        }
        r.pending = new ArrayList<>();
        r.pendingBytes = 0;
        r.sentOffset = offset;
        if (psync) {
            writeLine(r, "+FULLRESYNC " + replId + " " + offset);
        }
        // The next effect names its database: the replica starts in database 0 of the snapshot.
        selectedDb = -1;
        Path temp = dir.resolve("temp-" + ProcessHandle.current().pid() + "-repl-" + (++syncFiles) + ".rdb");
        LOG.infof("Starting BGSAVE for SYNC with target: disk");
        SyncSave save = new SyncSave(temp, replId, offset);
        save.replicas.add(r);
        runningSave = save;
        rdb.saveForReplica(temp, replId, offset, failure -> {
            if (runningSave == save) {
                runningSave = null;
            }
            List<Replica> waiting = save.replicas.stream().filter(this::live).toList();
            if (failure != null) {
                LOG.warnf("BGSAVE for replication failed: %s", failure.getMessage());
                waiting.forEach(x -> x.client.connection().close());
            }
            if (failure != null || waiting.isEmpty()) {
                deleteQuietly(temp);
                return;
            }
            int[] sending = {waiting.size()};
            for (Replica x : waiting) {
                sendRdb(x, temp, () -> {
                    if (--sending[0] == 0) {
                        deleteQuietly(temp);
                    }
                });
            }
        });
    }

    /** A new history when there is no backlog: nobody can continue one that had none (Redis changes the id too). */
    private void ensureBacklog() {
        if (backlog == null) {
            replId = newReplId();
            replId2 = "0000000000000000000000000000000000000000";
            secondReplOffset = -1;
            backlog = new Backlog(backlogSize, offset);
            turnStart = offset;
        }
    }

    private boolean live(Replica r) {
        return replicas.contains(r) && !r.client.closed();
    }

    private boolean inTransfer(Replica r) {
        return transfer != null && transfer.replicas.contains(r);
    }

    /**
     * Starts a diskless transfer for the replicas waiting, once the first has waited
     * repl-diskless-sync-delay or repl-diskless-sync-max-replicas are waiting, and none is under way.
     */
    private void startDisklessIfDue() {
        if (transfer != null) {
            return;
        }
        List<Replica> all = replicas.stream().filter(r -> r.state == State.WAIT_BGSAVE_START && live(r)).toList();
        if (all.isEmpty()) {
            return;
        }
        // One image for those that asked for the same one as the first (a filtered image is another).
        Replica head = all.get(0);
        List<Replica> waiting = all.stream()
            .filter(r -> r.filtered == head.filtered && r.filterKeepsFunctions == head.filterKeepsFunctions).toList();
        long oldest = waiting.stream().mapToLong(r -> r.waitingSinceMillis).min().orElse(0);
        boolean enough = disklessMaxReplicas > 0 && waiting.size() >= disklessMaxReplicas;
        if (!enough && System.currentTimeMillis() - oldest < disklessDelayMillis) {
            return;
        }
        ensureBacklog();
        LOG.infof("Starting BGSAVE for SYNC with target: replicas sockets");
        // The next effect names its database: the replicas start in database 0 of the snapshot.
        selectedDb = -1;
        byte[] mark = newReplId().getBytes(StandardCharsets.US_ASCII);
        DisklessTransfer t = new DisklessTransfer(mark, waiting);
        transfer = t;
        for (Replica r : waiting) {
            r.state = State.WAIT_BGSAVE_END;
            r.sentOffset = offset;
            r.chunksInFlight = 0;
            if (r.psync) {
                writeLine(r, "+FULLRESYNC " + replId + " " + offset);
            }
            writeLine(r, "$EOF:" + new String(mark, StandardCharsets.US_ASCII));
        }
        rdb.streamForReplica(replId, offset, !head.filtered, !head.filtered || head.filterKeepsFunctions, t,
            failure -> disklessDone(t, failure));
    }

    /** The image is written (or failed): the mark ends it; the stream starts at each replica's first ACK. */
    private void disklessDone(DisklessTransfer t, Exception failure) {
        transfer = null;
        List<Replica> sent = t.replicas.stream().filter(this::live).toList();
        if (failure != null) {
            if (!t.abandoned()) {
                LOG.warnf("Diskless transfer to replicas failed: %s", failure.getMessage());
            }
            sent.forEach(r -> r.client.connection().close());
        } else {
            LOG.warnf("Diskless rdb transfer, done reading from pipe, %d replicas still up.", sent.size());
            long now = System.currentTimeMillis();
            for (Replica r : sent) {
                write(r, t.mark);
                r.state = State.ONLINE;
                r.streamOnAck = true;
                r.ackMillis = now;
                LOG.infof("Synchronization with replica %s succeeded", name(r));
            }
        }
        startDisklessIfDue();
    }

    /** Sends the RDB file, then the stream queued meanwhile; {@code sent} runs once the file is no longer read. */
    private void sendRdb(Replica r, Path file, Runnable sent) {
        long size;
        try {
            size = Files.size(file);
        } catch (java.io.IOException e) {
            r.client.connection().close();
            sent.run();
            return;
        }
        r.state = State.SEND_BULK;
        writeLine(r, "$" + size);
        r.client.connection().sendFile(file, failure -> {
            sent.run();
            if (failure != null || r.client.closed()) {
                return;
            }
            LOG.infof("Synchronization with replica %s succeeded", name(r));
            r.state = State.ONLINE;
            r.ackMillis = System.currentTimeMillis();
            for (byte[] b : r.pending) {
                write(r, b);
            }
            r.pending = new ArrayList<>();
            r.pendingBytes = 0;
        });
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (java.io.IOException ignored) {
            // a temporary file; the next start's dir listing shows it
        }
    }

    /** A replica's connection closed. */
    public void disconnected(Client c) {
        Replica r = replicaOf(c);
        if (r != null) {
            replicas.remove(r);
            if (r.state != null) {
                LOG.infof("Connection with replica %s lost.", name(r));
            }
        }
    }

    /** Bytes queued for replicas still loading their RDB (counted as their output). */
    public long pendingBytes(Client c) {
        Replica r = replicaOf(c);
        return r == null ? 0 : r.pendingBytes;
    }

    /** The replica at this address and listening port (Redis's findReplica), or null. */
    public Replica find(String host, int port) {
        for (Replica r : replicas) {
            if (r.state != null && r.ipAddress().equalsIgnoreCase(host) && r.listeningPort == port) {
                return r;
            }
        }
        return null;
    }

    /** Whether the replica is online, receiving the stream. */
    public static boolean online(Replica r) {
        return r.state == State.ONLINE;
    }

    /** Whether it has acknowledged the whole stream so far. */
    public boolean caughtUp(Replica r) {
        return r.ackOffset == offset;
    }

    /** The first replica that has acknowledged the whole stream, or null. */
    public Replica caughtUp() {
        for (Replica r : replicas) {
            if (r.state != null && caughtUp(r)) {
                return r;
            }
        }
        return null;
    }

    /** Its address, as FAILOVER names its target. */
    public static String host(Replica r) {
        return r.ipAddress();
    }

    public static int listeningPort(Replica r) {
        return r.listeningPort;
    }

    /** Redis's replicationGetSlaveName: the replica's address and the port it listens on. */
    public static String name(Replica r) {
        return r.ipAddress() + ":" + (r.listeningPort != 0 ? Integer.toString(r.listeningPort) : "<unknown-replica-port>");
    }

    // ---------------------------------------------------------------- REPLCONF ACK, WAIT

    private record Waiter(Client client, long target, long replicas) {
    }

    private final List<Waiter> waiters = new ArrayList<>();

    /** A client blocked in WAIT until {@code replicas} acknowledged {@code target}. */
    public void await(Client c, long target, long replicas) {
        waiters.add(new Waiter(c, target, replicas));
    }

    /** The WAITing clients whose count is reached (answered by unblocking them), and those gone. */
    public List<Client> satisfiedWaiters() {
        List<Client> done = new ArrayList<>();
        waiters.removeIf(w -> {
            if (!w.client.blocked() || w.client.closed()) {
                return true;
            }
            if (acknowledged(w.target) >= w.replicas) {
                done.add(w.client);
                return true;
            }
            return false;
        });
        return done;
    }

    /** REPLCONF ACK offset. */
    public void ack(Client c, long ackOffset) {
        Replica r = replicaOf(c);
        if (r == null || r.state == null) {
            return;
        }
        if (ackOffset > r.ackOffset) {
            r.ackOffset = ackOffset;
        }
        r.ackMillis = System.currentTimeMillis();
        if (r.streamOnAck) {
            // Loaded: what was written since its snapshot goes now (Redis's replicaStartCommandStream).
            r.streamOnAck = false;
            for (byte[] b : r.pending) {
                write(r, b);
            }
            r.pending = new ArrayList<>();
            r.pendingBytes = 0;
        }
    }

    /** Replicas online whose acknowledged offset reached {@code target} (WAIT's count). */
    public int acknowledged(long target) {
        int n = 0;
        for (Replica r : replicas) {
            if (r.state == State.ONLINE && r.ackOffset >= target) {
                n++;
            }
        }
        return n;
    }

    /** Online replicas that acknowledged within {@code maxLagSeconds} (Redis's repl_good_slaves_count). */
    public int goodReplicas(long maxLagSeconds) {
        long now = System.currentTimeMillis();
        int n = 0;
        for (Replica r : replicas) {
            if (r.state == State.ONLINE && (now - r.ackMillis) / 1000 <= maxLagSeconds) {
                n++;
            }
        }
        return n;
    }

    /** REPLCONF GETACK * into the stream: replicas answer with their offset at once. */
    public void requestAcks() {
        if (backlog == null || replicas.isEmpty() || upstream.replica()) {
            return;
        }
        encoder.command(new byte[][] {"REPLCONF".getBytes(StandardCharsets.US_ASCII),
            "GETACK".getBytes(StandardCharsets.US_ASCII), "*".getBytes(StandardCharsets.US_ASCII)});
        feed(encoder.take());
    }

    /** DEBUG CHANGE-REPL-ID (Redis's changeReplicationId and clearReplicationId2): a new history. */
    public void changeReplicationId() {
        replId = newReplId();
        replId2 = "0000000000000000000000000000000000000000";
        secondReplOffset = -1;
    }

    // ---------------------------------------------------------------- INFO, ROLE

    public String replId() {
        return replId;
    }

    public String replId2() {
        return replId2;
    }

    public long offset() {
        return offset;
    }

    public long secondReplOffset() {
        return secondReplOffset;
    }

    public boolean backlogActive() {
        return backlog != null;
    }

    public long backlogSize() {
        return backlog != null ? backlog.size() : backlogSize;
    }

    public long backlogFirstByteOffset() {
        return backlog != null ? backlog.firstByteOffset() : 0;
    }

    public long backlogHistlen() {
        return backlog != null ? backlog.histlen() : 0;
    }

    /** CONFIG RESETSTAT: sync_full, sync_partial_ok, sync_partial_err (Redis's resetServerStats). */
    public void resetStats() {
        fullSyncs = 0;
        partialSyncsOk = 0;
        partialSyncsErr = 0;
    }

    public long fullSyncs() {
        return fullSyncs;
    }

    public long partialSyncsOk() {
        return partialSyncsOk;
    }

    public long partialSyncsErr() {
        return partialSyncsErr;
    }

    /** Replicas past PSYNC, in connection order. */
    public List<Replica> replicas() {
        List<Replica> out = new ArrayList<>();
        for (Replica r : replicas) {
            if (r.state != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * How many replicas are past PSYNC (INFO connected_slaves), for a reader on another thread
     * (the metrics scrape): a copy of the list, read racily, never the list's iterator.
     */
    public int connectedReplicas() {
        int n = 0;
        for (Object o : replicas.toArray()) {
            if (o instanceof Replica r && r.state != null) {
                n++;
            }
        }
        return n;
    }

    /** INFO replication's slaveN line for one replica. */
    public static String infoLine(Replica r) {
        long lag = (System.currentTimeMillis() - r.ackMillis) / 1000;
        return "ip=" + r.ipAddress() + ",port=" + r.listeningPort + ",state=" + r.state.info + ",offset=" + r.ackOffset
            + ",lag=" + lag;
    }

    /** ROLE's entry for one replica: ip, port, acknowledged offset. */
    public static void roleEntry(RespWriter w, Replica r) {
        w.array(3);
        w.bulk(r.ipAddress());
        w.bulk(Integer.toString(r.listeningPort));
        w.bulk(Long.toString(r.ackOffset));
    }
}
