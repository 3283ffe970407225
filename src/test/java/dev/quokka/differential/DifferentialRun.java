package dev.quokka.differential;

import dev.quokka.differential.CommandGenerator.Generated;
import dev.quokka.differential.CommandTable.Command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The generative differential test: seeded random commands sent to Quokka and to redis-server
 * on pairs of connections (one pair in RESP3), replies compared under each command's rule, the
 * keys a command touched compared afterwards ({@code DEBUG DIGEST-VALUE} and TTL presence), the
 * whole dataset now and then ({@code DEBUG DIGEST}); after a difference the touched keys are
 * deleted on both sides (the whole dataset after a digest difference) so one difference does
 * not cascade. Both servers need {@code enable-debug-command yes}.
 *
 * <p>{@code java -cp target/test-classes dev.quokka.differential.DifferentialRun QUOKKA_PORT
 * REDIS_PORT [SEED] [COMMANDS]} runs it against servers already running; every so many commands
 * both switch between Redis's encoding thresholds and tiny ones, so that small keys change
 * encoding. {@code GenerativeDifferentialIT} runs it in the build.
 */
public final class DifferentialRun {
    /** Rules for comparing a reply; see {@code declared-differences.txt}. */
    enum Rule { EXACT, SHAPE, UNORDERED, SKIP }

    private static final int PAIRS = 3;
    private static final int TRACKING_PAIR = 1;
    /** How long a protocol case waits for more bytes before it takes the reply as complete. */
    private static final int PROTOCOL_IDLE_MILLIS = 150;
    /**
     * {@code -Ddifferential.trace=text}: every command whose rendering contains the text (a key
     * such as {@code "list:1"}, quotes included) is printed to stderr with both replies, to follow
     * a key's history up to a difference.
     */
    private static final String TRACE = System.getProperty("differential.trace");
    private static final int EXAMPLES_PER_KIND = 3;
    private static final int DIGEST_EVERY = 500;
    /** Every so many commands both servers switch between Redis's encoding thresholds and tiny ones. */
    private static final int THRESHOLDS_EVERY = 5_000;
    /** Tiny thresholds, so that small keys cross from listpack/intset to hashtable/skiplist and back. */
    private static final String[] TINY_THRESHOLDS = {"zset-max-listpack-entries", "3", "hash-max-listpack-entries", "3",
        "set-max-intset-entries", "3", "list-max-listpack-size", "3", "zset-max-listpack-value", "8",
        "hash-max-listpack-value", "8", "hll-sparse-max-bytes", "40"};
    private static final String[] DEFAULT_THRESHOLDS = {"zset-max-listpack-entries", "128", "hash-max-listpack-entries",
        "128", "set-max-intset-entries", "512", "list-max-listpack-size", "-2", "zset-max-listpack-value", "64",
        "hash-max-listpack-value", "64", "hll-sparse-max-bytes", "3000"};

    private final int quokkaPort;
    private final int redisPort;
    private final long seed;
    private final Map<String, Rule> declared;
    private final Map<String, long[]> perFamily = new TreeMap<>();
    private final Map<String, List<String>> kinds = new LinkedHashMap<>();
    private final Map<String, Integer> kindCounts = new HashMap<>();
    /** Per command: how many times it was sent outside MULTI, and how many of those redis-server answered without an error. */
    private final Map<String, long[]> coverage = new TreeMap<>();
    private final Pair[] pairs = new Pair[PAIRS];
    private CommandGenerator gen;
    /** A connection to each server subscribed to every keyspace and keyevent notification. */
    private Resp eventsR;
    private Resp eventsQ;
    private static final String SUBSCRIBED_PONG = "*2\r\n$4\r\npong\r\n$0\r\n\r\n";
    private long compared;

    private DifferentialRun(int quokkaPort, int redisPort, long seed) throws IOException {
        this.quokkaPort = quokkaPort;
        this.redisPort = redisPort;
        this.seed = seed;
        this.declared = readDeclared();
    }

    /** A connection to each server, used alike. */
    private final class Pair {
        final int index;
        Resp q;
        Resp r;
        boolean inMulti;
        final List<Generated> queued = new ArrayList<>();

        Pair(int index) throws IOException {
            this.index = index;
            connect();
        }

        void connect() throws IOException {
            q = new Resp(quokkaPort);
            r = new Resp(redisPort);
            inMulti = false;
            queued.clear();
            if (index == TRACKING_PAIR) {
                // RESP3 with client-side caching: the keys this pair reads are tracked, and the
                // invalidations that writes from any pair cause are compared (compareEvents).
                q.call("HELLO", "3");
                r.call("HELLO", "3");
                q.call("CLIENT", "TRACKING", "ON");
                r.call("CLIENT", "TRACKING", "ON");
            }
        }

        void reconnect() throws IOException {
            q.close();
            r.close();
            connect();
        }

        void close() throws IOException {
            q.close();
            r.close();
        }
    }

    /** The outcome: comparisons made and identical per family ({@code [total, identical]}), and a printable report. */
    public record Result(long seed, Map<String, long[]> families, String report) {
        public double percent(String family) {
            long[] f = families.get(family);
            return 100.0 * f[1] / f[0];
        }
    }

    public static Result run(int quokkaPort, int redisPort, long seed, long commands) throws IOException {
        return new DifferentialRun(quokkaPort, redisPort, seed).run(commands);
    }

    private Result run(long commands) throws IOException {
        List<Command> table;
        try (Resp admin = new Resp(quokkaPort); Resp other = new Resp(redisPort)) {
            table = CommandTable.load(admin);
            CommandTable.load(other); // the same calls on both, so that LATENCY HISTOGRAM counts agree
        }
        Map<String, List<Command>> byFamily = new TreeMap<>();
        for (Command c : table) {
            if (rule(c) != Rule.SKIP && !List.of("multi", "exec", "discard").contains(c.name())) {
                byFamily.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c);
            }
        }
        List<String> families = new ArrayList<>(byFamily.keySet());
        List<Command> generated = byFamily.values().stream().flatMap(List::stream).toList();
        gen = new CommandGenerator(seed, families);
        Command unknown = new Command("(unknown)", "unknown", -1, java.util.Set.of(), java.util.Set.of(), List.of());
        Command exec = table.stream().filter(c -> c.name().equals("exec")).findFirst().orElseThrow();
        for (int i = 0; i < PAIRS; i++) {
            pairs[i] = new Pair(i);
        }
        flushBoth();
        configBoth(new String[] {"notify-keyspace-events", "KEA"});
        eventsR = subscriber(redisPort);
        eventsQ = subscriber(quokkaPort);
        try {
            long next = DIGEST_EVERY;
            long nextThresholds = THRESHOLDS_EVERY;
            boolean tiny = false;
            while (compared < commands) {
                if (compared >= nextThresholds) {
                    nextThresholds += THRESHOLDS_EVERY;
                    tiny = !tiny;
                    configBoth(tiny ? TINY_THRESHOLDS : DEFAULT_THRESHOLDS);
                }
                Pair p = pairs[gen.random().nextInt(PAIRS)];
                if (gen.chance(0.003)) {
                    protocol(gen.protocolCase());
                } else if (gen.chance(0.01)) {
                    step(p, gen.unknown(unknown));
                } else if (gen.chance(0.04)) {
                    transaction(p, byFamily, generated, exec);
                } else {
                    step(p, gen.generate(gen.pick(generated)));
                }
                if (compared >= next) {
                    next += DIGEST_EVERY;
                    compareDigests();
                }
            }
        } finally {
            for (Pair p : pairs) {
                p.close();
            }
            eventsR.close();
            eventsQ.close();
        }
        return new Result(seed, perFamily, report());
    }

    /** WATCH (sometimes, with a write from another connection), MULTI, a few commands, EXEC or DISCARD. */
    private void transaction(Pair p, Map<String, List<Command>> byFamily, List<Command> generated, Command exec)
        throws IOException {
        if (p.inMulti) {
            return;
        }
        Command multi = new Command("multi", "transactions", 1, java.util.Set.of(), java.util.Set.of(), List.of());
        Command discard = new Command("discard", "transactions", 1, java.util.Set.of(), java.util.Set.of(), List.of());
        if (gen.chance(0.5)) {
            Command watch = byFamily.get("transactions").stream().filter(c -> c.name().equals("watch")).findFirst()
                .orElseThrow();
            step(p, gen.generate(watch));
            if (gen.chance(0.5)) {
                Pair other = pairs[(p.index + 1) % PAIRS];
                step(other, gen.generate(gen.pick(generated)));
            }
        }
        step(p, new Generated(multi, Resp.bytes("MULTI"), List.of()));
        int n = 1 + gen.random().nextInt(5);
        for (int i = 0; i < n; i++) {
            step(p, gen.generate(gen.pick(generated)));
        }
        if (gen.chance(0.8)) {
            step(p, new Generated(exec, Resp.bytes("EXEC"), List.of()));
        } else {
            step(p, new Generated(discard, Resp.bytes("DISCARD"), List.of()));
        }
    }

    private void step(Pair p, Generated g) throws IOException {
        Resp.Reply expected;
        Resp.Reply actual;
        try {
            expected = p.r.call(g.args());
            actual = p.q.call(g.args());
        } catch (IOException e) {
            record(g, "connection: " + e.getMessage(), null, null);
            p.reconnect();
            return;
        }
        String name = g.command().name();
        Rule rule = rule(g.command());
        if (TRACE != null && g.show().contains(TRACE)) {
            System.err.println(compared + " pair" + p.index + (p.inMulti ? " in MULTI " : " ") + g.show()
                + "\n   redis:  " + expected.show() + "\n   quokka: " + actual.show());
        }
        boolean same;
        if (p.inMulti && !List.of("exec", "discard", "multi", "reset").contains(name)) {
            same = expected.wire().equals(actual.wire());
            if (expected.type() == '+') {
                p.queued.add(g);
            }
        } else if (name.equals("exec") && expected.type() == '*' && actual.type() == '*'
            && expected.children().size() == p.queued.size() && actual.children().size() == p.queued.size()) {
            same = true;
            for (int i = 0; i < p.queued.size(); i++) {
                Command c = p.queued.get(i).command();
                same &= compare(rule(c), expected.children().get(i), actual.children().get(i));
            }
        } else {
            same = compare(rule, expected, actual);
        }
        count(g.command().family(), same);
        if (!same) {
            record(g, kind(expected), expected, actual);
        }
        if (!p.inMulti) {
            long[] cov = coverage.computeIfAbsent(name, k -> new long[2]);
            cov[0]++;
            cov[1] += expected.isError() ? 0 : 1;
        }
        boolean closes = name.equals("exec") || name.equals("discard") || name.equals("reset");
        if (!p.inMulti || closes) {
            // The tracking pair is synchronised by a PING, which must not land inside its MULTI.
            Pair t = pairs[TRACKING_PAIR];
            boolean trackingInMulti = t == p ? !closes && name.equals("multi") && expected.type() == '+' : t.inMulti;
            compareEvents(g, trackingInMulti);
        }
        List<byte[]> touched = g.keys();
        if (name.equals("multi") && expected.type() == '+') {
            p.inMulti = true;
            p.queued.clear();
            return;
        }
        List<byte[]> random = List.of();
        if (name.equals("exec") || name.equals("discard") || name.equals("reset")) {
            if (p.inMulti && name.equals("exec")) {
                // Keys a random write (SPOP) touched in the transaction are reset, the others compared.
                touched = new ArrayList<>();
                random = new ArrayList<>();
                for (Generated q : p.queued) {
                    boolean randomWrite = rule(q.command()) == Rule.SHAPE && q.command().writes();
                    (randomWrite ? random : touched).addAll(q.keys());
                }
                List<byte[]> reset = random;
                touched.removeIf(k -> reset.stream().anyMatch(r -> java.util.Arrays.equals(r, k)));
            }
            p.inMulti = false;
            p.queued.clear();
        }
        if (p.inMulti) {
            return;
        }
        if (rule == Rule.SHAPE && g.command().writes()) {
            random = touched; // a random write (SPOP) leaves each server its own choice
            touched = List.of();
        }
        if (!touched.isEmpty() && (!same || g.command().writes() || name.equals("exec"))) {
            compareKeys(p, g, touched);
        }
        if (!random.isEmpty()) {
            deleteBoth(p, random);
        }
    }

    /**
     * A raw request on a new connection to each server: everything each sends back until it
     * closes the connection or is silent for a moment, compared byte for byte.
     */
    private void protocol(byte[] request) throws IOException {
        String expected;
        String actual;
        try (Resp r = new Resp(redisPort); Resp q = new Resp(quokkaPort)) {
            r.sendRaw(request);
            expected = r.drain(PROTOCOL_IDLE_MILLIS);
            q.sendRaw(request);
            actual = q.drain(PROTOCOL_IDLE_MILLIS);
        }
        boolean same = expected.equals(actual);
        count("protocol", same);
        if (!same) {
            Command c = new Command("(protocol)", "protocol", 0, java.util.Set.of(), java.util.Set.of(), List.of());
            record(new Generated(c, List.of(request), List.of()), "raw reply", null, null, printable(expected),
                printable(actual));
        }
    }

    private static String printable(String wire) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < wire.length() && s.length() < 300; i++) {
            char c = wire.charAt(i);
            s.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c < 32 || c > 126 ? String.format("\\x%02x", (int) c) : c);
        }
        return s.toString();
    }

    private static boolean compare(Rule rule, Resp.Reply expected, Resp.Reply actual) {
        return switch (rule) {
            case SHAPE -> expected.shape().equals(actual.shape());
            case UNORDERED -> expected.unordered().equals(actual.unordered());
            default -> expected.wire().equals(actual.wire());
        };
    }

    /** The keys' values (DEBUG DIGEST-VALUE) and whether each has a TTL, compared; deleted on both when different. */
    private void compareKeys(Pair p, Generated g, List<byte[]> keys) throws IOException {
        List<byte[]> digest = new ArrayList<>(Resp.bytes("DEBUG", "DIGEST-VALUE"));
        digest.addAll(keys);
        String expected = stateOf(p.r, digest, keys);
        String actual = stateOf(p.q, digest, keys);
        if (!expected.equals(actual)) {
            events(eventsR); // the state check's own lazy expirations are not compared
            events(eventsQ);
            Generated state = new Generated(new Command(g.command().name(), g.command().family(), 0,
                java.util.Set.of(), java.util.Set.of(), List.of()), g.args(), keys);
            record(state, "state after " + g.command().name(), null, null, expected, actual);
            deleteBoth(p, keys);
        }
    }

    /**
     * PTTL of each key first (it deletes a key whose time has passed, which DEBUG DIGEST-VALUE,
     * reading the table directly, would still see), then the values' digest.
     */
    private static String stateOf(Resp c, List<byte[]> digest, List<byte[]> keys) throws IOException {
        for (byte[] k : keys) {
            List<byte[]> ttl = new ArrayList<>(Resp.bytes("PTTL"));
            ttl.add(k);
            c.send(ttl);
        }
        c.send(digest);
        c.flush();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            String ttl = c.read().wire();
            s.append(ttl.startsWith(":-") ? ttl : ":ttl\r\n");
        }
        return s.append(c.read().wire()).toString();
    }

    private void deleteBoth(Pair p, List<byte[]> keys) throws IOException {
        List<byte[]> del = new ArrayList<>(Resp.bytes("DEL"));
        del.addAll(keys);
        p.r.call(del);
        p.q.call(del);
        events(eventsR); // the resync's own del events and invalidations are not compared
        events(eventsQ);
        Pair t = pairs[TRACKING_PAIR];
        if (!t.inMulti) {
            t.r.call("PING");
            t.q.call("PING");
            t.r.takePushes();
            t.q.takePushes();
        }
    }

    private static Resp subscriber(int port) throws IOException {
        Resp s = new Resp(port);
        s.call("PSUBSCRIBE", "__key*__:*");
        return s;
    }

    /**
     * The notifications a server published since the last call: a PING on the subscribed
     * connection is answered after every message published before it, so what comes before its
     * reply is exactly that.
     */
    private static String events(Resp subscriber) throws IOException {
        subscriber.send(Resp.bytes("PING"));
        subscriber.flush();
        StringBuilder s = new StringBuilder();
        while (true) {
            String w = subscriber.read().wire();
            if (w.equals(SUBSCRIBED_PONG)) {
                return s.toString();
            }
            s.append(w);
        }
    }

    /**
     * The keyspace notifications of a command (or a transaction), compared as a sequence; then
     * the tracking pair's invalidation pushes so far (a PING makes both servers send what they
     * owe it first), unless that pair is inside MULTI.
     */
    private void compareEvents(Generated g, boolean trackingInMulti) throws IOException {
        String expected = events(eventsR);
        String actual = events(eventsQ);
        boolean same = expected.equals(actual);
        check("notifications", same);
        if (!same) {
            record(g, "notifications of " + g.command().name(), null, null, printable(expected), printable(actual));
        }
        Pair t = pairs[TRACKING_PAIR];
        if (trackingInMulti) {
            return;
        }
        t.r.call("PING");
        t.q.call("PING");
        expected = t.r.takePushes();
        actual = t.q.takePushes();
        same = expected.equals(actual);
        check("tracking", same);
        if (!same) {
            record(g, "invalidations after " + g.command().name(), null, null, printable(expected), printable(actual));
        }
    }

    private void compareDigests() throws IOException {
        try (Resp q = new Resp(quokkaPort); Resp r = new Resp(redisPort)) {
            String expected = r.call("DEBUG", "DIGEST").wire();
            String actual = q.call("DEBUG", "DIGEST").wire();
            if (!expected.equals(actual)) {
                Command c = new Command("debug|digest", "keyspace", 0, java.util.Set.of(), java.util.Set.of(), List.of());
                record(new Generated(c, Resp.bytes("DEBUG", "DIGEST"), List.of()), "dataset digest", null, null,
                    expected + " (" + r.call("DBSIZE").wire().trim() + " keys in db 0)",
                    actual + " (" + q.call("DBSIZE").wire().trim() + " keys in db 0)");
                flushBoth();
            }
        }
    }

    private void configBoth(String[] settings) throws IOException {
        String[] cmd = new String[settings.length + 2];
        cmd[0] = "CONFIG";
        cmd[1] = "SET";
        System.arraycopy(settings, 0, cmd, 2, settings.length);
        try (Resp q = new Resp(quokkaPort); Resp r = new Resp(redisPort)) {
            String expected = r.call(cmd).wire();
            String actual = q.call(cmd).wire();
            if (!expected.equals("+OK\r\n") || !actual.equals(expected)) {
                throw new IOException("CONFIG SET " + String.join(" ", settings) + ": redis " + expected + ", quokka " + actual);
            }
        }
    }

    private void flushBoth() throws IOException {
        try (Resp q = new Resp(quokkaPort); Resp r = new Resp(redisPort)) {
            r.call("FLUSHALL");
            q.call("FLUSHALL");
        }
    }

    /** Counts a reply of a command of {@code family} (the run stops after so many commands). */
    private void count(String family, boolean same) {
        check(family, same);
        compared++;
    }

    /** Counts a comparison that is not a command's reply (notifications, invalidations). */
    private void check(String family, boolean same) {
        long[] f = perFamily.computeIfAbsent(family, k -> new long[2]);
        f[0]++;
        if (same) {
            f[1]++;
        }
    }

    private static String kind(Resp.Reply expected) {
        if (expected.isError()) {
            String e = expected.show();
            return e.substring(0, Math.min(e.length(), 40));
        }
        return "reply " + expected.type();
    }

    private void record(Generated g, String what, Resp.Reply expected, Resp.Reply actual) {
        record(g, what, expected, actual, expected == null ? "" : expected.show(), actual == null ? "" : actual.show());
    }

    private void record(Generated g, String what, Resp.Reply expected, Resp.Reply actual, String e, String a) {
        String kind = g.command().family() + " " + g.command().name() + ": " + what;
        kindCounts.merge(kind, 1, Integer::sum);
        List<String> examples = kinds.computeIfAbsent(kind, k -> new ArrayList<>());
        if (examples.size() < EXAMPLES_PER_KIND) {
            examples.add("    #" + compared + " > " + g.show() + "\n      redis:  " + e + "\n      quokka: " + a);
        }
    }

    private String report() {
        StringBuilder s = new StringBuilder();
        long total = perFamily.values().stream().mapToLong(f -> f[0]).sum();
        long same = perFamily.values().stream().mapToLong(f -> f[1]).sum();
        s.append(String.format(Locale.ROOT, "generative differential test: seed %d, %d commands, %d comparisons "
            + "(replies, notifications, invalidations), %.3f%% identical%n", seed, compared, total, 100.0 * same / total));
        s.append(String.format(Locale.ROOT, "%-14s %9s %9s %9s%n", "family", "replies", "identical", "percent"));
        for (Map.Entry<String, long[]> e : perFamily.entrySet()) {
            long[] f = e.getValue();
            s.append(String.format(Locale.ROOT, "%-14s %9d %9d %8.3f%%%n", e.getKey(), f[0], f[1], 100.0 * f[1] / f[0]));
        }
        List<String> rarely = new ArrayList<>();
        for (Map.Entry<String, long[]> e : coverage.entrySet()) {
            long[] c = e.getValue();
            // CLUSTER answers errors by design here (cluster support disabled on both servers).
            if (c[0] >= 20 && c[1] * 10 < c[0] && !e.getKey().startsWith("(") && !e.getKey().startsWith("cluster|")) {
                rarely.add(e.getKey() + " " + c[1] + "/" + c[0]);
            }
        }
        s.append(String.format("commands redis-server answered without an error less than 10%% of the time: %s%n",
            rarely.isEmpty() ? "none" : String.join(", ", rarely)));
        s.append(String.format("%d kinds of difference (family command: what redis-server answered)%n", kinds.size()));
        for (Map.Entry<String, List<String>> e : kinds.entrySet()) {
            s.append("  ").append(e.getKey()).append("  ×").append(kindCounts.get(e.getKey())).append('\n');
            for (String ex : e.getValue()) {
                s.append(ex).append('\n');
            }
        }
        return s.toString();
    }

    private Rule rule(Command c) {
        Rule r = declared.get(c.name());
        if (r == null && c.name().contains("|")) {
            r = declared.get(c.name().substring(0, c.name().indexOf('|')));
            if (r != Rule.SKIP) {
                r = null;
            }
        }
        if (r != null) {
            return r;
        }
        if (c.tips().contains("nondeterministic_output")) {
            return Rule.SHAPE;
        }
        return c.tips().contains("nondeterministic_output_order") ? Rule.UNORDERED : Rule.EXACT;
    }

    /** The declared differences: command name to rule. */
    static Map<String, Rule> readDeclared() throws IOException {
        Map<String, Rule> rules = new HashMap<>();
        try (var in = DifferentialRun.class.getResourceAsStream("/differential/declared-differences.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.split("\\s+", 3);
                rules.put(w[0], Rule.valueOf(w[1].toUpperCase(Locale.ROOT)));
            }
        }
        return rules;
    }

    public static void main(String[] args) throws IOException {
        long seed = args.length > 2 ? Long.parseLong(args[2]) : new java.util.Random().nextLong();
        long commands = args.length > 3 ? Long.parseLong(args[3]) : 100_000;
        Result result = run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), seed, commands);
        System.out.print(result.report());
    }
}
