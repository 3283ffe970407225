package dev.quokka.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything declared about one command or subcommand (ARCHITECTURE invariant 2): name,
 * arity (positive: exact; negative: minimum; counting the name), flags, key positions, ACL
 * categories and documentation. Arity errors, COMMAND's replies, the OOM check and AOF
 * propagation all read it. Built with {@link CommandTable}'s fluent declarations.
 */
public final class CommandSpec {
    final String name;
    final String fullName;
    final byte[] nameBytes;
    final CommandSpec parent;
    int arity;
    int flags;
    int firstKey;
    int lastKey;
    int keyStep;
    /** Position of a numkeys argument whose keys follow it (LMPOP, ZUNION ...: Redis's movablekeys); 0: none. */
    int numkeysAt;
    String[] aclCategories = new String[0];
    String group = "generic";
    String since = "1.0.0";
    String summary = "";
    String complexity = "";
    /** The argument syntax, as in Redis's docs, e.g. {@code key value [NX | XX]}. */
    String syntax = "";
    CommandHandler handler;
    CommandTable subcommands;

    // INFO commandstats
    long calls;
    long micros;
    long rejectedCalls;
    long failedCalls;

    /** Latency histogram buckets: bucket i counts calls of at most 2^i microseconds; the last is +Inf. */
    public static final int LATENCY_BUCKETS = 21;
    /** Calls per latency bucket (not cumulative), for the metrics endpoint. */
    final long[] latency = new long[LATENCY_BUCKETS];
    /** Total execution time in nanoseconds (the histogram's sum). */
    long nanos;

    /** Records one call's execution time. */
    void recordLatency(long elapsedNanos) {
        nanos += elapsedNanos;
        long us = (elapsedNanos + 999) / 1000;
        int i = us <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(us - 1);
        latency[Math.min(i, LATENCY_BUCKETS - 1)]++;
    }

    /** Calls per latency bucket (bucket i: at most 2^i µs; the last: more). Racy reads for the metrics endpoint. */
    public long[] latencyBuckets() {
        return latency.clone();
    }

    public long nanos() {
        return nanos;
    }

    CommandSpec(String name, CommandSpec parent) {
        this.name = name.toLowerCase();
        this.parent = parent;
        this.fullName = parent == null ? this.name : parent.name + "|" + this.name;
        this.nameBytes = this.name.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- declaration (fluent, used only while building the table) ----

    public CommandSpec flags(String names) {
        this.flags = CommandFlags.parse(names);
        return this;
    }

    public CommandSpec keys(int first, int last, int step) {
        this.firstKey = first;
        this.lastKey = last;
        this.keyStep = step;
        return this;
    }

    /** Declares keys counted by the numkeys argument at {@code index} and following it (movable keys). */
    public CommandSpec numkeys(int index) {
        this.numkeysAt = index;
        return this;
    }

    /** Whether the keys are found from the arguments (COMMAND's movablekeys flag). */
    public boolean movableKeys() {
        return numkeysAt > 0;
    }

    public CommandSpec acl(String categories) {
        this.aclCategories = categories.trim().split("\\s+");
        return this;
    }

    public CommandSpec doc(String group, String since, String summary) {
        this.group = group;
        this.since = since;
        this.summary = summary;
        return this;
    }

    public CommandSpec complexity(String complexity) {
        this.complexity = complexity;
        return this;
    }

    public CommandSpec syntax(String syntax) {
        this.syntax = syntax;
        return this;
    }

    /** Declares a subcommand of this container command (CONFIG GET, CLIENT ID, ...). */
    public CommandSpec sub(String name, int arity, CommandHandler handler) {
        if (subcommands == null) {
            subcommands = new CommandTable();
        }
        CommandSpec s = new CommandSpec(name, this);
        s.arity = arity;
        s.handler = handler;
        s.group = group;
        s.since = since;
        subcommands.put(s);
        return s;
    }

    // ---- reading ----

    public String name() {
        return name;
    }

    /** {@code get}, or {@code config|get} for a subcommand. */
    public String fullName() {
        return fullName;
    }

    public CommandSpec parent() {
        return parent;
    }

    public int arity() {
        return arity;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public List<String> aclCategories() {
        return Arrays.asList(aclCategories);
    }

    public String group() {
        return group;
    }

    public String since() {
        return since;
    }

    public String summary() {
        return summary;
    }

    public String complexity() {
        return complexity;
    }

    public String syntax() {
        return syntax;
    }

    public CommandHandler handler() {
        return handler;
    }

    public boolean isContainer() {
        return subcommands != null;
    }

    public CommandTable subcommands() {
        return subcommands;
    }

    /** Whether {@code argc} arguments (the name included) satisfy the arity. */
    public boolean arityOk(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /**
     * The positions of key arguments in a request ({@code argv[0]} is the command's name) for
     * COMMAND GETKEYS and client tracking: the declared first/last/step, then the keys a numkeys
     * argument counts.
     */
    public int[] keyPositions(byte[][] argv, int argc) {
        List<Integer> out = new ArrayList<>();
        if (firstKey > 0) {
            int last = lastKey >= 0 ? lastKey : argc + lastKey;
            for (int i = firstKey; i <= last && i < argc; i += keyStep) {
                out.add(i);
            }
        }
        if (numkeysAt > 0 && numkeysAt < argc) {
            long n = dev.quokka.protocol.Numbers.parseLong(argv[numkeysAt]);
            for (long i = 1; i <= n && numkeysAt + i < argc; i++) {
                out.add((int) (numkeysAt + i));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public long calls() {
        return calls;
    }

    public long micros() {
        return micros;
    }

    public long rejectedCalls() {
        return rejectedCalls;
    }

    public long failedCalls() {
        return failedCalls;
    }

    void resetStats() {
        calls = micros = rejectedCalls = failedCalls = nanos = 0;
        java.util.Arrays.fill(latency, 0);
        if (subcommands != null) {
            subcommands.all().forEach(CommandSpec::resetStats);
        }
    }
}
