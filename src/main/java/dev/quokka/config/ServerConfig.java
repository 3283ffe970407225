package dev.quokka.config;

import dev.quokka.keyspace.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The configuration as CONFIG GET and CONFIG SET see it: Redis's parameter names, aliases
 * ({@code list-max-ziplist-size} for {@code list-max-listpack-size}), types, validation and
 * error texts (redis-server 7.0's {@code config.c}). Values are kept in Redis's canonical
 * form (memory values in bytes, booleans as yes/no).
 *
 * <p>Parameters that Quokka does not act on yet (encoding thresholds, replication, ...) are
 * accepted and echoed so that tools and Redis's test suite can set them; docs/compatibility.md
 * lists which ones have an effect.
 */
public final class ServerConfig {
    enum Type { BOOL, INT, MEMORY, ENUM, STRING, KEYSPACE_EVENTS }

    /** One parameter. */
    static final class Param {
        final String name;
        final Type type;
        final boolean mutable;
        final long min;
        final long max;
        final String[] choices;
        String value;
        Consumer<String> onChange;

        Param(String name, Type type, boolean mutable, String value, long min, long max, String[] choices) {
            this.name = name;
            this.type = type;
            this.mutable = mutable;
            this.value = value;
            this.min = min;
            this.max = max;
            this.choices = choices;
        }
    }

    private static final String[] EVICTION_POLICIES = {
        "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
        "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction", "allkeys-sieve", "volatile-sieve",
    };

    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    public ServerConfig() {
        // name, type, mutable, default, bounds / choices
        intParam("port", false, "6379", 0, 65535);
        str("bind", false, "127.0.0.1");
        intParam("databases", false, "16", 1, Integer.MAX_VALUE);
        str("dir", false, ".");
        bool("appendonly", true, "no");
        enumParam("appendfsync", true, "everysec", "everysec", "always", "no");
        str("appendfilename", false, "appendonly.aof");
        str("appenddirname", false, "appendonlydir");
        memory("maxmemory", true, "0");
        enumParam("maxmemory-policy", true, "noeviction", EVICTION_POLICIES);
        intParam("maxmemory-samples", true, "5", 1, 64);
        intParam("maxmemory-eviction-tenacity", true, "10", 0, 100);
        memory("maxmemory-clients", true, "0");
        intParam("hz", true, "10", 0, Integer.MAX_VALUE);
        bool("dynamic-hz", true, "yes");
        str("requirepass", true, "");
        memory("proto-max-bulk-len", true, "536870912");
        memory("client-query-buffer-limit", true, "1073741824");
        intParam("maxclients", true, "10000", 1, Integer.MAX_VALUE);
        intParam("timeout", true, "0", 0, Integer.MAX_VALUE);
        intParam("tcp-keepalive", true, "300", 0, Integer.MAX_VALUE);
        intParam("tcp-backlog", false, "511", 0, Integer.MAX_VALUE);
        str("save", true, "");
        str("dbfilename", true, "dump.rdb");
        bool("rdbcompression", true, "yes");
        bool("rdbchecksum", false, "yes");
        bool("stop-writes-on-bgsave-error", true, "yes");
        params.put("notify-keyspace-events", new Param("notify-keyspace-events", Type.KEYSPACE_EVENTS, true, "", 0, 0, null));
        intParam("lfu-log-factor", true, "10", 0, Integer.MAX_VALUE);
        intParam("lfu-decay-time", true, "1", 0, Integer.MAX_VALUE);
        intParam("active-expire-effort", true, "1", 1, 10);
        bool("lazyfree-lazy-eviction", true, "no");
        bool("lazyfree-lazy-expire", true, "no");
        bool("lazyfree-lazy-server-del", true, "no");
        bool("lazyfree-lazy-user-del", true, "no");
        bool("lazyfree-lazy-user-flush", true, "no");
        intParam("auto-aof-rewrite-percentage", true, "100", 0, Integer.MAX_VALUE);
        memory("auto-aof-rewrite-min-size", true, "67108864");
        bool("aof-load-truncated", true, "yes");
        // Quokka writes AOF-format base files only; "yes" is accepted from Redis configs and has no effect.
        bool("aof-use-rdb-preamble", true, "no");
        bool("aof-rewrite-incremental-fsync", true, "yes");
        bool("aof-timestamp-enabled", false, "no");
        bool("no-appendfsync-on-rewrite", true, "no");
        intParam("list-max-listpack-size", true, "-2", Integer.MIN_VALUE, Integer.MAX_VALUE);
        alias("list-max-ziplist-size", "list-max-listpack-size");
        intParam("list-compress-depth", true, "0", 0, Integer.MAX_VALUE);
        intParam("hash-max-listpack-entries", true, "128", 0, Long.MAX_VALUE);
        alias("hash-max-ziplist-entries", "hash-max-listpack-entries");
        intParam("hash-max-listpack-value", true, "64", 0, Long.MAX_VALUE);
        alias("hash-max-ziplist-value", "hash-max-listpack-value");
        intParam("set-max-intset-entries", true, "512", 0, Long.MAX_VALUE);
        intParam("zset-max-listpack-entries", true, "128", 0, Long.MAX_VALUE);
        alias("zset-max-ziplist-entries", "zset-max-listpack-entries");
        intParam("zset-max-listpack-value", true, "64", 0, Long.MAX_VALUE);
        alias("zset-max-ziplist-value", "zset-max-listpack-value");
        memory("stream-node-max-bytes", true, "4096");
        intParam("stream-node-max-entries", true, "100", 0, Long.MAX_VALUE);
        intParam("hll-sparse-max-bytes", true, "3000", 0, Long.MAX_VALUE);
        bool("activerehashing", true, "yes");
        bool("activedefrag", true, "no");
        intParam("slowlog-log-slower-than", true, "10000", Long.MIN_VALUE, Long.MAX_VALUE);
        intParam("slowlog-max-len", true, "128", 0, Long.MAX_VALUE);
        intParam("latency-monitor-threshold", true, "0", 0, Long.MAX_VALUE);
        intParam("latency-tracking", true, "1", 0, 1);
        str("latency-tracking-info-percentiles", true, "50 99 99.9");
        enumParam("loglevel", true, "notice", "debug", "verbose", "notice", "warning", "nothing");
        str("logfile", false, "");
        bool("daemonize", false, "no");
        str("pidfile", false, "");
        enumParam("enable-debug-command", false, "no", "no", "yes", "local");
        enumParam("enable-protected-configs", false, "no", "no", "yes", "local");
        enumParam("enable-module-command", false, "no", "no", "yes", "local");
        bool("protected-mode", true, "yes");
        intParam("busy-reply-threshold", true, "5000", 0, Long.MAX_VALUE);
        alias("lua-time-limit", "busy-reply-threshold");
        intParam("tracking-table-max-keys", true, "1000000", 0, Long.MAX_VALUE);
        str("client-output-buffer-limit", true, "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        intParam("io-threads", false, "1", 1, 128);
        bool("io-threads-do-reads", false, "no");
        str("replicaof", false, "");
        bool("replica-read-only", true, "yes");
        alias("slave-read-only", "replica-read-only");
        bool("replica-serve-stale-data", true, "yes");
        intParam("repl-backlog-size", true, "1048576", 1, Long.MAX_VALUE);
        intParam("min-replicas-to-write", true, "0", 0, Long.MAX_VALUE);
        intParam("min-replicas-max-lag", true, "10", 0, Long.MAX_VALUE);
        bool("cluster-enabled", false, "no");
        bool("always-show-logo", false, "no");
        bool("crash-log-enabled", true, "yes");
        bool("set-proc-title", false, "yes");
        str("unixsocket", false, "");
        intParam("rdb-key-save-delay", true, "0", Integer.MIN_VALUE, Integer.MAX_VALUE);
        intParam("key-load-delay", true, "0", Integer.MIN_VALUE, Integer.MAX_VALUE);
        bool("disable-thp", false, "yes");
        bool("jemalloc-bg-thread", true, "yes");
        str("oom-score-adj-values", true, "0 200 800");
        str("oom-score-adj", true, "no");
    }

    private void bool(String name, boolean mutable, String def) {
        params.put(name, new Param(name, Type.BOOL, mutable, def, 0, 0, null));
    }

    private void intParam(String name, boolean mutable, String def, long min, long max) {
        params.put(name, new Param(name, Type.INT, mutable, def, min, max, null));
    }

    private void memory(String name, boolean mutable, String def) {
        params.put(name, new Param(name, Type.MEMORY, mutable, def, 0, Long.MAX_VALUE, null));
    }

    private void enumParam(String name, boolean mutable, String def, String... choices) {
        params.put(name, new Param(name, Type.ENUM, mutable, def, 0, 0, choices));
    }

    private void str(String name, boolean mutable, String def) {
        params.put(name, new Param(name, Type.STRING, mutable, def, 0, 0, null));
    }

    private void alias(String alias, String name) {
        aliases.put(alias, name);
    }

    private Param param(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Param p = params.get(n);
        if (p == null && aliases.containsKey(n)) {
            p = params.get(aliases.get(n));
        }
        return p;
    }

    /** Fails on directive names that are not Redis parameters (the launcher's check). */
    public static void checkNames(Map<String, String> directives) {
        ServerConfig probe = new ServerConfig();
        for (String n : directives.keySet()) {
            if (probe.param(n) == null) {
                throw new IllegalArgumentException("Bad directive or wrong number of arguments: '" + n + "'");
            }
        }
    }

    /** Applies start-up values (mapping, then launcher), bypassing the mutability check. */
    public void applyStartup(QuokkaConfig cfg, Map<String, String> launcher) {
        Map<String, String> start = new LinkedHashMap<>();
        start.put("port", Integer.toString(cfg.port()));
        start.put("bind", cfg.bind());
        start.put("databases", Integer.toString(cfg.databases()));
        start.put("dir", cfg.dir());
        start.put("appendonly", cfg.appendonly());
        start.put("appendfsync", cfg.appendfsync());
        cfg.maxmemory().ifPresent(v -> start.put("maxmemory", v));
        start.put("maxmemory-policy", cfg.maxmemoryPolicy());
        start.put("hz", Integer.toString(cfg.hz()));
        start.put("requirepass", cfg.requirepass().orElse(""));
        start.put("proto-max-bulk-len", cfg.protoMaxBulkLen());
        start.put("maxclients", Integer.toString(cfg.maxclients()));
        start.putAll(launcher);
        for (Map.Entry<String, String> e : start.entrySet()) {
            Param p = param(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("Bad directive or wrong number of arguments: '" + e.getKey() + "'");
            }
            String err = validate(p, e.getValue());
            if (err != null) {
                throw new IllegalArgumentException("Invalid value for '" + e.getKey() + "': " + err);
            }
            p.value = normalize(p, e.getValue());
        }
    }

    /** Calls {@code listener} with the new canonical value each time {@code name} changes. */
    public void onChange(String name, Consumer<String> listener) {
        param(name).onChange = listener;
    }

    public String get(String name) {
        return param(name).value;
    }

    public long getLong(String name) {
        return Long.parseLong(param(name).value);
    }

    public int getInt(String name) {
        return (int) getLong(name);
    }

    public boolean getBool(String name) {
        return "yes".equals(param(name).value);
    }

    /** CONFIG GET: name/value pairs of every parameter (and alias) matching any pattern, without repeats. */
    public List<String[]> matching(List<byte[]> patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (byte[] pat : patterns) {
            String exact = new String(pat, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            // An exact name (or alias) is answered under the name asked for, as Redis does.
            Param direct = param(exact);
            if (direct != null && !hasGlob(exact)) {
                out.putIfAbsent(exact, direct.value);
                continue;
            }
            for (Param p : params.values()) {
                if (Glob.match(pat, p.name.getBytes(StandardCharsets.UTF_8), true)) {
                    out.putIfAbsent(p.name, p.value);
                }
            }
            for (Map.Entry<String, String> a : aliases.entrySet()) {
                if (Glob.match(pat, a.getKey().getBytes(StandardCharsets.UTF_8), true)) {
                    out.putIfAbsent(a.getKey(), params.get(a.getValue()).value);
                }
            }
        }
        List<String[]> list = new ArrayList<>();
        out.forEach((k, v) -> list.add(new String[] {k, v}));
        return list;
    }

    private static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /**
     * CONFIG SET of several pairs, all or nothing.
     *
     * @return null on success, or the whole error text
     */
    public String set(List<String[]> pairs) {
        List<Param> targets = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String[] kv : pairs) {
            Param p = param(kv[0]);
            if (p == null) {
                return "ERR Unknown option or number of arguments for CONFIG SET - '" + kv[0] + "'";
            }
            if (targets.contains(p)) {
                return "ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - duplicate parameter";
            }
            if (!p.mutable) {
                return "ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - can't set immutable config";
            }
            String err = validate(p, kv[1]);
            if (err != null) {
                return "ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - " + err;
            }
            targets.add(p);
            values.add(normalize(p, kv[1]));
        }
        for (int i = 0; i < targets.size(); i++) {
            Param p = targets.get(i);
            p.value = values.get(i);
            if (p.onChange != null) {
                p.onChange.accept(p.value);
            }
        }
        return null;
    }

    private static String validate(Param p, String v) {
        switch (p.type) {
            case BOOL:
                if (!v.equalsIgnoreCase("yes") && !v.equalsIgnoreCase("no")) {
                    return "argument must be 'yes' or 'no'";
                }
                return null;
            case INT: {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    return "argument couldn't be parsed into an integer";
                }
                if (n < p.min || n > p.max) {
                    return "argument must be between " + p.min + " and " + p.max + " inclusive";
                }
                return null;
            }
            case MEMORY:
                return parseMemory(v) < 0 ? "argument must be a memory value" : null;
            case KEYSPACE_EVENTS:
                return dev.quokka.keyspace.KeyspaceEvents.parse(v) < 0
                    ? "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." : null;
            case ENUM:
                for (String c : p.choices) {
                    if (c.equalsIgnoreCase(v)) {
                        return null;
                    }
                }
                return "argument(s) must be one of the following: " + String.join(", ", p.choices);
            default:
                return null;
        }
    }

    private static String normalize(Param p, String v) {
        return switch (p.type) {
            case BOOL, ENUM -> v.toLowerCase(Locale.ROOT);
            case MEMORY -> Long.toString(parseMemory(v));
            case KEYSPACE_EVENTS -> dev.quokka.keyspace.KeyspaceEvents.format(dev.quokka.keyspace.KeyspaceEvents.parse(v));
            case INT -> p.name.equals("hz") ? Long.toString(Math.max(1, Math.min(500, Long.parseLong(v)))) : v;
            default -> v;
        };
    }

    /** Redis's {@code memtoull}: {@code 1k}=1000, {@code 1kb}=1024, ... {@code gb}; -1 when invalid. */
    public static long parseMemory(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        if (t.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return -1;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), mul);
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }
}
