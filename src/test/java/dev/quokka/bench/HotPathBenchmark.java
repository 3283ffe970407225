package dev.quokka.bench;

import dev.quokka.command.CommandContext;
import dev.quokka.command.Server;
import dev.quokka.ops.ServerAssembly;
import dev.quokka.protocol.ProtocolException;
import dev.quokka.protocol.RespParser;
import dev.quokka.protocol.RespWriter;
import dev.quokka.server.KeyPrefetch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The per-request costs on the server's one thread, without sockets: parsing a pipeline of 16
 * requests, encoding replies, and dispatching GET and SET through the command table into the
 * keyspace. Run with {@code bench/jmh.sh} (see docs/performance.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {
    private static final int PIPELINE = 16;
    private static final int KEYS = 100_000;
    private static final int BATCHES = 4096;

    private byte[] pipelinedSets;
    private RespParser parser;
    private RespWriter writer;
    private ByteBuf out;
    private Server server;
    private CommandContext client;
    private byte[][] getArgv;
    private byte[][] setArgv;
    private final byte[] value = "xxx".getBytes(StandardCharsets.US_ASCII);
    /** Read batches as redis-benchmark -P 16 -r 100000 sends them: 16 requests on random keys each. */
    private byte[][] setBatches;
    private byte[][] getBatches;
    /** The same for redis-benchmark's HSET and SADD: random fields of one hash, members of one set, 100,000 each. */
    private byte[][] hsetBatches;
    private byte[][] saddBatches;
    private int batch;
    private RespParser batchParser;
    private final KeyPrefetch prefetch = new KeyPrefetch();
    /** Whether a batch's keys are prefetched before it runs, as RespServer does. */
    @Param({"true", "false"})
    public boolean prefetching;
    /**
     * Who runs the commands: the default user (every right: the dispatcher checks nothing more), or
     * a user whose rights are checked on each request (commands by bit, keys against {@code key:*}).
     */
    @Param({"default", "restricted"})
    public String user;

    @Setup(Level.Trial)
    public void setup() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < PIPELINE; i++) {
            sb.append("*3\r\n$3\r\nSET\r\n$16\r\nkey:00000000").append(String.format("%04d", i)).append("\r\n$3\r\nxxx\r\n");
        }
        pipelinedSets = sb.toString().getBytes(StandardCharsets.US_ASCII);
        parser = new RespParser();
        writer = new RespWriter();
        out = PooledByteBufAllocator.DEFAULT.heapBuffer(64 * 1024);
        writer.target(out);
        server = ServerAssembly.standalone(BenchConfig.DIRECTIVES);
        client = server.context(server.newClient("bench", "bench"));
        client.reply.target(out);
        for (int i = 0; i < 100_000; i++) {
            client.argv = new byte[][] {"SET".getBytes(), ("key:" + i).getBytes(), value};
            client.argc = 3;
            server.dispatcher().execute(client);
            out.clear();
        }
        java.util.Random random = new java.util.Random(42);
        setBatches = new byte[BATCHES][];
        getBatches = new byte[BATCHES][];
        for (int b = 0; b < BATCHES; b++) {
            StringBuilder sets = new StringBuilder();
            StringBuilder gets = new StringBuilder();
            for (int i = 0; i < PIPELINE; i++) {
                String key = String.format("key:%012d", random.nextInt(KEYS));
                sets.append("*3\r\n$3\r\nSET\r\n$16\r\n").append(key).append("\r\n$3\r\nxxx\r\n");
                gets.append("*2\r\n$3\r\nGET\r\n$16\r\n").append(key).append("\r\n");
            }
            setBatches[b] = sets.toString().getBytes(StandardCharsets.US_ASCII);
            getBatches[b] = gets.toString().getBytes(StandardCharsets.US_ASCII);
        }
        hsetBatches = new byte[BATCHES][];
        saddBatches = new byte[BATCHES][];
        for (int b = 0; b < BATCHES; b++) {
            StringBuilder hsets = new StringBuilder();
            StringBuilder sadds = new StringBuilder();
            for (int i = 0; i < PIPELINE; i++) {
                String element = String.format("element:%012d", random.nextInt(KEYS));
                hsets.append("*4\r\n$4\r\nHSET\r\n$6\r\nmyhash\r\n$20\r\n").append(element).append("\r\n$3\r\nxxx\r\n");
                sadds.append("*3\r\n$4\r\nSADD\r\n$5\r\nmyset\r\n$20\r\n").append(element).append("\r\n");
            }
            hsetBatches[b] = hsets.toString().getBytes(StandardCharsets.US_ASCII);
            saddBatches[b] = sadds.toString().getBytes(StandardCharsets.US_ASCII);
        }
        for (int i = 0; i < KEYS; i++) {
            byte[] element = String.format("element:%012d", i).getBytes();
            client.argv = new byte[][] {"HSET".getBytes(), "myhash".getBytes(), element, value};
            client.argc = 4;
            server.dispatcher().execute(client);
            client.argv = new byte[][] {"SADD".getBytes(), "myset".getBytes(), element};
            client.argc = 3;
            server.dispatcher().execute(client);
            out.clear();
        }
        for (int i = 0; i < KEYS; i++) {
            client.argv = new byte[][] {"SET".getBytes(), String.format("key:%012d", i).getBytes(), value};
            client.argc = 3;
            server.dispatcher().execute(client);
            out.clear();
        }
        if (user.equals("restricted")) {
            client.argv = new byte[][] {"ACL".getBytes(), "SETUSER".getBytes(), "app".getBytes(), "on".getBytes(),
                "nopass".getBytes(), "~key:*".getBytes(), "&*".getBytes(), "+@all".getBytes(), "-debug".getBytes()};
            client.argc = client.argv.length;
            server.dispatcher().execute(client);
            out.clear();
            client.client.user(server.users().get("app"));
        }
        batchParser = new RespParser();
        getArgv = new byte[][] {"GET".getBytes(), "key:4242".getBytes()};
        setArgv = new byte[][] {"SET".getBytes(), "key:4242".getBytes(), value};
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
    }

    /** Parses 16 pipelined SET requests (one read batch); score is batches per microsecond. */
    @Benchmark
    public int parsePipelineOf16Sets() throws ProtocolException {
        parser.feed(pipelinedSets, 0, pipelinedSets.length);
        int n = 0;
        while (parser.next()) {
            n += parser.argc();
        }
        return n;
    }

    /** Encodes a bulk reply, an integer and +OK. */
    @Benchmark
    public int writeReplies() {
        out.clear();
        writer.bulk(value);
        writer.integer(12345);
        writer.ok();
        writer.flush();
        return out.writerIndex();
    }

    /** GET of an existing key through lookup, arity check, execution and reply encoding. */
    @Benchmark
    public void dispatchGet(Blackhole bh) {
        out.clear();
        client.argv = getArgv;
        client.argc = 2;
        server.dispatcher().execute(client);
        client.reply.flush();
        bh.consume(out.writerIndex());
    }

    /** SET of an existing key through the dispatcher. */
    @Benchmark
    public void dispatchSet(Blackhole bh) {
        out.clear();
        client.argv = setArgv;
        client.argc = 3;
        server.dispatcher().execute(client);
        client.reply.flush();
        bh.consume(out.writerIndex());
    }

    /**
     * One read batch of 16 SETs on random keys of 100,000, as redis-benchmark -P 16 sends it:
     * parsing, dispatch, keyspace and replies (all but the socket). Score: batches per microsecond.
     */
    @Benchmark
    public int pipelineOf16Sets() throws ProtocolException {
        return serve(setBatches[batch++ & (BATCHES - 1)]);
    }

    /** The same with 16 GETs. */
    @Benchmark
    public int pipelineOf16Gets() throws ProtocolException {
        return serve(getBatches[batch++ & (BATCHES - 1)]);
    }

    /** One read batch of 16 HSETs of random fields of a 100,000-field hash (redis-benchmark's HSET -P 16). */
    @Benchmark
    public int pipelineOf16Hsets() throws ProtocolException {
        return serve(hsetBatches[batch++ & (BATCHES - 1)]);
    }

    /** One read batch of 16 SADDs of random members of a 100,000-member set (redis-benchmark's SADD -P 16). */
    @Benchmark
    public int pipelineOf16Sadds() throws ProtocolException {
        return serve(saddBatches[batch++ & (BATCHES - 1)]);
    }

    private int serve(byte[] requests) throws ProtocolException {
        out.clear();
        batchParser.feed(requests, 0, requests.length);
        if (prefetching) {
            prefetch.ahead(batchParser, client.db());
        }
        while (batchParser.next()) {
            client.argv = batchParser.argv();
            client.argc = batchParser.argc();
            server.dispatcher().execute(client);
        }
        client.reply.flush();
        return out.writerIndex();
    }
}
