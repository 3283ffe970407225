package dev.quokka.command;

import dev.quokka.protocol.Numbers;

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
    /** Finds keys the syntax places anywhere (SORT's STORE, GEORADIUS's STORE): Redis's getkeys procs; null: none. */
    KeyFinder keyFinder;
    /** Declared ACL categories (a bit per {@link Acl#ordinal()}), before those the flags imply. */
    int acl;
    /** The command's bit in ACL selectors ({@link CommandTable#assignAclIds}); -1 before. */
    int aclId = -1;
    String group = "generic";
    String since = "1.0.0";
    String summary = "";
    String complexity = "";
    /** COMMAND DOCS doc_flags ({@code deprecated}, {@code syscmd}). */
    String[] docFlags = new String[0];
    /** COMMAND DOCS deprecated_since and replaced_by; null when not deprecated. */
    String deprecatedSince;
    String replacedBy;
    /** COMMAND DOCS history: {version, change} pairs. */
    final List<String[]> history = new ArrayList<>();
    /** Key specifications (COMMAND INFO), as Redis declares them. */
    final List<KeySpec> keySpecs = new ArrayList<>();
    /** Redis's command tips ({@code nondeterministic_output}, {@code request_policy:all_shards}). */
    String[] tips = new String[0];
    /** The arguments, as COMMAND DOCS describes them. */
    List<ArgumentDoc> args = List.of();
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
    /** INFO latencystats' histogram (latency-tracking); null until the command is first timed. */
    LatencyHistogram latencyHistogram;

    /** The command's latency histogram for INFO latencystats, or null when none was recorded. */
    public LatencyHistogram latencyHistogram() {
        return latencyHistogram;
    }

    /** Records a latency in INFO latencystats' histogram (Redis's updateCommandLatencyHistogram). */
    void trackLatency(long elapsedNanos) {
        if (latencyHistogram == null) {
            latencyHistogram = new LatencyHistogram();
        }
        latencyHistogram.record(elapsedNanos);
    }

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

    public CommandSpec flags(Flag... fs) {
        for (Flag f : fs) {
            this.flags |= f.bit;
        }
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

    /** Finds key positions in a request beyond the declared first/last/step (argv[0] is the name). */
    @FunctionalInterface
    public interface KeyFinder {
        void find(byte[][] argv, int argc, List<Integer> positions);
    }

    /** Declares keys found by {@code finder} from the arguments (movable keys). */
    public CommandSpec keyFinder(KeyFinder finder) {
        this.keyFinder = finder;
        return this;
    }

    /**
     * Whether the command takes keys (Redis's doesCommandHaveKeys): declared key positions, not
     * only channels ({@code not_key} specs, as SSUBSCRIBE's).
     */
    public boolean hasKeys() {
        if (hasKeys == null) {
            hasKeys = (firstKey > 0 || movableKeys())
                && (keySpecs.isEmpty() || keySpecs.stream().anyMatch(k -> !k.flags().contains("not_key")));
        }
        return hasKeys;
    }

    /** {@link #hasKeys}, computed once (the declaration is complete before the first request). */
    private Boolean hasKeys;

    /** Whether the keys are found from the arguments (COMMAND's movablekeys flag). */
    public boolean movableKeys() {
        return numkeysAt > 0 || keyFinder != null || keySpecs.stream().anyMatch(k -> k.begin() instanceof KeySpec.Keyword);
    }

    /** The categories the flags do not imply (see {@link Acl#implied}). */
    /** Whether a key spec's flags depend on the arguments (SET's GET, BITFIELD's SET), computed once. */
    private Boolean variableFlags;
    /** {@link #fixedKeyAccess}'s value, computed once; -2 before. */
    private int fixedKeyAccess = -2;

    /**
     * When the keys of every request are at the legacy positions ({@link #firstKey}, {@link #lastKey},
     * {@link #keyStep}) with the same fixed flags (one key spec, begin by index, find by range, flags
     * not variable): what they are used for ({@link KeySpec#access}); -1 otherwise. ACL checks read
     * keys this way without building a list.
     */
    public int fixedKeyAccess() {
        if (fixedKeyAccess == -2) {
            int v = -1;
            if (keySpecs.size() == 1 && firstKey > 0) {
                KeySpec k = keySpecs.get(0);
                List<String> f = k.flags();
                if (k.begin() instanceof KeySpec.Index i && i.index() == firstKey && k.find() instanceof KeySpec.Range r
                    && r.limit() == 0 && r.keystep() == keyStep && !f.contains("variable_flags") && !f.contains("not_key")) {
                    v = KeySpec.access(f);
                }
            }
            fixedKeyAccess = v;
        }
        return fixedKeyAccess;
    }

    /** The command's bit in ACL selectors. */
    public int aclId() {
        return aclId;
    }

    /** Every ACL category of the command, declared and implied: a bit per {@link Acl#ordinal()}. */
    public int aclCategoryBits() {
        return Acl.implied(flags, acl);
    }

    public CommandSpec acl(Acl... categories) {
        for (Acl a : categories) {
            this.acl |= 1 << a.ordinal();
        }
        return this;
    }

    public CommandSpec doc(String group, String since, String summary) {
        this.group = group;
        this.since = since;
        this.summary = summary;
        return this;
    }

    /** Marks the command deprecated since {@code version} in favour of {@code replacedBy} (COMMAND DOCS). */
    public CommandSpec deprecated(String version, String replacedBy) {
        this.docFlags = new String[] {"deprecated"};
        this.deprecatedSince = version;
        this.replacedBy = replacedBy;
        return this;
    }

    /** A system command, not for applications ({@code syscmd} in COMMAND DOCS). */
    public CommandSpec syscmd() {
        this.docFlags = new String[] {"syscmd"};
        return this;
    }

    public List<String> docFlags() {
        return List.of(docFlags);
    }

    /** The version it was deprecated in, or null. */
    public String deprecatedSince() {
        return deprecatedSince;
    }

    /** What replaces it, in Redis's words, or null. */
    public String replacedBy() {
        return replacedBy;
    }

    /** Declares a key specification: access flags (blank-separated, as Redis spells them), where the keys begin, how they are found. */
    public CommandSpec keySpec(String flags, KeySpec.Begin begin, KeySpec.Find find) {
        return keySpec(null, flags, begin, find);
    }

    /** A key specification with Redis's note. */
    public CommandSpec keySpec(String notes, String flags, KeySpec.Begin begin, KeySpec.Find find) {
        keySpecs.add(new KeySpec(notes, List.of(flags.split(" ")), begin, find));
        return this;
    }

    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public CommandSpec tips(String... tips) {
        this.tips = tips;
        return this;
    }

    public List<String> tips() {
        return List.of(tips);
    }

    public CommandSpec summary(String summary) {
        this.summary = summary;
        return this;
    }

    /** A change of the command in {@code version} (COMMAND DOCS history). */
    public CommandSpec history(String version, String change) {
        history.add(new String[] {version, change});
        return this;
    }

    public List<String[]> history() {
        return history;
    }

    public CommandSpec complexity(String complexity) {
        this.complexity = complexity;
        return this;
    }

    /** The arguments, as COMMAND DOCS describes them (redis-cli's hints and HELP). */
    public CommandSpec args(ArgumentDoc... args) {
        this.args = List.of(args);
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

    public boolean has(Flag flag) {
        return (flags & flag.bit) != 0;
    }

    /**
     * EVAL's and FCALL's family: the flags the dispatcher applies come from the script's
     * declaration when it has one (Redis's evalGetCommandFlags / fcallGetCommandFlags).
     */
    boolean flagsFromScript;

    public CommandSpec flagsFromScript() {
        this.flagsFromScript = true;
        return this;
    }

    /** The flags COMMAND INFO shows, in Redis's order ({@code movablekeys} included). */
    public List<String> flagNames() {
        List<String> out = new ArrayList<>();
        for (Flag f : Flag.values()) {
            if ((has(f) || (f == Flag.MOVABLE_KEYS && movableKeys())) && f.shown()) {
                out.add(f.wireName());
            }
        }
        return out;
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

    /** Every ACL category of the command, declared and implied, in Redis's order ({@code @write}). */
    public List<String> aclCategories() {
        int all = Acl.implied(flags, acl);
        List<String> out = new ArrayList<>();
        for (Acl a : Acl.values()) {
            if ((all & (1 << a.ordinal())) != 0) {
                out.add(a.wireName());
            }
        }
        return out;
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

    public List<ArgumentDoc> args() {
        return args;
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
            long n = Numbers.parseLong(argv[numkeysAt]);
            for (long i = 1; i <= n && numkeysAt + i < argc; i++) {
                out.add((int) (numkeysAt + i));
            }
        }
        if (keyFinder != null) {
            keyFinder.find(argv, argc, out);
        }
        // Keys after a keyword (GEORADIUS's STORE and STOREDIST): the first occurrence from startfrom
        // that is not the last argument, as Redis's key-spec search.
        for (KeySpec k : keySpecs) {
            if (k.begin() instanceof KeySpec.Keyword kw && kw.startfrom() > 0 && k.find() instanceof KeySpec.Range r
                && r.lastkey() == 0) {
                for (int i = kw.startfrom(); i < argc - 1; i++) {
                    if (new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase(kw.keyword())) {
                        out.add(i + 1);
                        break;
                    }
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A key argument and its access flags (COMMAND GETKEYSANDFLAGS). */
    public record KeyRef(int pos, List<String> flags) {
    }

    /**
     * The keys of a request with their flags, as Redis's getKeysFromCommandWithSpecs finds them:
     * from the key specs when they are complete and their flags fixed; otherwise (SORT's unknown
     * specs, SET's and BITFIELD's variable flags) as the command's own key-finding decides.
     */
    public List<KeyRef> keysWithFlags(byte[][] argv, int argc) {
        if (variableFlags == null) {
            variableFlags = keySpecs.stream().anyMatch(k -> k.flags().contains("variable_flags"));
        }
        if (variableFlags) {
            return variableFlagKeys(argv, argc);
        }
        List<KeyRef> out = new ArrayList<>();
        for (KeySpec k : keySpecs) {
            if (k.flags().contains("not_key")) {
                continue;
            }
            int first;
            if (k.begin() instanceof KeySpec.Index idx) {
                first = idx.index();
            } else if (k.begin() instanceof KeySpec.Keyword kw) {
                first = 0;
                int start = kw.startfrom() > 0 ? kw.startfrom() : argc + kw.startfrom();
                int end = kw.startfrom() > 0 ? argc - 1 : 0;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) {
                        break;
                    }
                    if (new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase(kw.keyword())) {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) {
                    continue;
                }
            } else {
                return fallbackKeys(argv, argc);
            }
            int last;
            int step;
            if (k.find() instanceof KeySpec.Range r) {
                if (r.lastkey() >= 0) {
                    last = first + r.lastkey();
                } else if (r.limit() == 0) {
                    last = argc + r.lastkey();
                } else {
                    last = first + ((argc - first) / r.limit() + r.lastkey());
                }
                step = r.keystep();
            } else if (k.find() instanceof KeySpec.Keynum kn) {
                int at = first + kn.keynumidx();
                long n = at < argc ? Numbers.parseLong(argv[at]) : -1;
                if (n < 0 || (n == Numbers.INVALID && !Numbers.isLong(argv[at]))) {
                    return List.of(); // what Redis's numkeys getkeys procs answer to a bad count: no keys
                }
                first += kn.firstkey();
                last = first + (int) n - 1;
                step = kn.keystep();
            } else {
                return fallbackKeys(argv, argc);
            }
            for (int i = first; i <= last; i += step) {
                if (i >= argc || i < first) {
                    continue;
                }
                out.add(new KeyRef(i, k.flags()));
            }
        }
        return out;
    }

    /** Keys found by the command's own rules (SORT's STORE): the first with the first spec's flags, the others with the last's. */
    private List<KeyRef> fallbackKeys(byte[][] argv, int argc) {
        List<KeyRef> out = new ArrayList<>();
        for (int pos : keyPositions(argv, argc)) {
            KeySpec spec = pos == firstKey || keySpecs.size() == 1 ? keySpecs.get(0) : keySpecs.get(keySpecs.size() - 1);
            out.add(new KeyRef(pos, spec.flags()));
        }
        return out;
    }

    /** SET's and BITFIELD's key flags, which depend on the arguments (Redis's setGetKeys, bitfieldGetKeys). */
    /** SET's key as its key spec flags it, without and with GET (constants: SET runs often). */
    private static final List<KeyRef> SET_KEY = List.of(new KeyRef(1, List.of("OW", "update")));
    private static final List<KeyRef> SET_GET_KEY = List.of(new KeyRef(1, List.of("RW", "access", "update")));

    private List<KeyRef> variableFlagKeys(byte[][] argv, int argc) {
        if (argc < 2) {
            return List.of();
        }
        boolean reads;
        if (name.equals("set")) {
            reads = false;
            for (int i = 3; i < argc; i++) {
                if (word(argv[i]).equals("get")) {
                    reads = true;
                    break;
                }
            }
            return reads ? SET_GET_KEY : SET_KEY;
        }
        boolean readOnly = true;
        for (int i = 2; i < argc; i++) {
            int remaining = argc - i - 1;
            String a = word(argv[i]);
            if (a.equals("get") && remaining >= 2) {
                i += 2;
            } else if ((a.equals("set") || a.equals("incrby")) && remaining >= 3) {
                readOnly = false;
                break;
            } else if (a.equals("overflow") && remaining >= 1) {
                i += 1;
            } else {
                readOnly = false;
                break;
            }
        }
        return List.of(new KeyRef(1, readOnly ? List.of("RO", "access") : List.of("RW", "access", "update")));
    }

    private static String word(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
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
        Arrays.fill(latency, 0);
        latencyHistogram = null;
        if (subcommands != null) {
            subcommands.all().forEach(CommandSpec::resetStats);
        }
    }
}
