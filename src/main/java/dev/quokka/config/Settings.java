package dev.quokka.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.quokka.config.Setting.bool;
import static dev.quokka.config.Setting.choice;
import static dev.quokka.config.Setting.integer;
import static dev.quokka.config.Setting.memory;
import static dev.quokka.config.Setting.special;
import static dev.quokka.config.Setting.string;

/**
 * Every Redis 7.0 parameter Quokka knows, declared once: name, aliases, type and bounds,
 * default, and whether CONFIG SET may change it (redis-server 7.0's {@code config.c}). Code reads
 * a value through its constant ({@code config.get(Settings.HZ)}) and subscribes to its changes
 * ({@link ServerConfig#onChange}); CONFIG GET/SET, the launcher, the environment and
 * {@code application.properties} all go through this table.
 *
 * <p>Parameters that Quokka does not act on yet (replication, ...) are accepted and echoed so that
 * tools and Redis's test suite can set them; docs/compatibility.md lists which ones have an effect.
 */
public final class Settings {
    private static final List<Setting<?>> ALL = new ArrayList<>();
    private static final Map<String, Setting<?>> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, Setting<?>> ALIASES = new LinkedHashMap<>();
    private static final String DEFAULT_OUTPUT_LIMITS = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    public static final Setting<Long> PORT = add(integer("port", 6379, 0, 65535));
    public static final Setting<String> BIND = add(string("bind", "127.0.0.1").words());
    public static final Setting<Long> DATABASES = add(integer("databases", 16, 1, Integer.MAX_VALUE).immutable());
    /** Shown absolute, as Redis shows its working directory after changing into it. */
    public static final Setting<String> DIR = add(string("dir", ".").immutable()
        .canonical(v -> java.nio.file.Path.of(v).toAbsolutePath().normalize().toString()));
    public static final Setting<Boolean> APPENDONLY = add(bool("appendonly", false).denyLoading());
    public static final Setting<AppendFsync> APPENDFSYNC = add(choice("appendfsync", AppendFsync.class,
        AppendFsync.EVERYSEC));
    public static final Setting<String> APPENDFILENAME = add(string("appendfilename", "appendonly.aof").immutable());
    public static final Setting<String> APPENDDIRNAME = add(string("appenddirname", "appendonlydir").immutable());
    public static final Setting<Long> MAXMEMORY = add(memory("maxmemory", 0));
    public static final Setting<MaxmemoryPolicy> MAXMEMORY_POLICY = add(choice("maxmemory-policy",
        MaxmemoryPolicy.class, MaxmemoryPolicy.NOEVICTION));
    public static final Setting<Long> MAXMEMORY_SAMPLES = add(integer("maxmemory-samples", 5, 1, 64));
    public static final Setting<Long> MAXMEMORY_EVICTION_TENACITY = add(integer("maxmemory-eviction-tenacity", 10,
        0, 100));
    public static final Setting<Long> MAXMEMORY_CLIENTS = add(memory("maxmemory-clients", 0).percent());
    /** Redis clamps hz into 1..500 (CONFIG GET shows the clamped value). */
    public static final Setting<Long> HZ = add(integer("hz", 10, 0, Integer.MAX_VALUE)
        .canonical(v -> Long.toString(Math.max(1, Math.min(500, Long.parseLong(v))))));
    public static final Setting<Boolean> DYNAMIC_HZ = add(bool("dynamic-hz", true));
    public static final Setting<String> REQUIREPASS = add(string("requirepass", ""));
    public static final Setting<Long> PROTO_MAX_BULK_LEN = add(memory("proto-max-bulk-len", 512L << 20, 1L << 20, Long.MAX_VALUE));
    public static final Setting<Long> CLIENT_QUERY_BUFFER_LIMIT = add(memory("client-query-buffer-limit", 1L << 30, 1L << 20,
        Long.MAX_VALUE));
    public static final Setting<Long> MAXCLIENTS = add(integer("maxclients", 10000, 1, Integer.MAX_VALUE));
    public static final Setting<Long> TIMEOUT = add(integer("timeout", 0, 0, Integer.MAX_VALUE));
    public static final Setting<Long> TCP_KEEPALIVE = add(integer("tcp-keepalive", 300, 0, Integer.MAX_VALUE));
    public static final Setting<Long> TCP_BACKLOG = add(integer("tcp-backlog", 511, 0, Integer.MAX_VALUE).immutable());
    public static final Setting<String> SAVE = add(string("save", "").words());
    public static final Setting<String> DBFILENAME = add(string("dbfilename", "dump.rdb").protectedConfig());
    public static final Setting<Boolean> RDBCOMPRESSION = add(bool("rdbcompression", true));
    public static final Setting<Boolean> RDBCHECKSUM = add(bool("rdbchecksum", true).immutable());
    public static final Setting<Boolean> STOP_WRITES_ON_BGSAVE_ERROR = add(bool("stop-writes-on-bgsave-error", true));
    /** The notification classes as flags ({@link KeyspaceEvents}); CONFIG GET shows Redis's canonical letters. */
    public static final Setting<Integer> NOTIFY_KEYSPACE_EVENTS = add(special("notify-keyspace-events", "",
        v -> KeyspaceEvents.parse(v) < 0 ? "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." : null,
        v -> KeyspaceEvents.format(KeyspaceEvents.parse(v)), KeyspaceEvents::parse));
    public static final Setting<Long> LFU_LOG_FACTOR = add(integer("lfu-log-factor", 10, 0, Integer.MAX_VALUE));
    public static final Setting<Long> LFU_DECAY_TIME = add(integer("lfu-decay-time", 1, 0, Integer.MAX_VALUE));
    public static final Setting<Long> ACTIVE_EXPIRE_EFFORT = add(integer("active-expire-effort", 1, 1, 10));
    public static final Setting<Boolean> LAZYFREE_LAZY_EVICTION = add(bool("lazyfree-lazy-eviction", false));
    public static final Setting<Boolean> LAZYFREE_LAZY_EXPIRE = add(bool("lazyfree-lazy-expire", false));
    public static final Setting<Boolean> LAZYFREE_LAZY_SERVER_DEL = add(bool("lazyfree-lazy-server-del", false));
    public static final Setting<Boolean> LAZYFREE_LAZY_USER_DEL = add(bool("lazyfree-lazy-user-del", false));
    public static final Setting<Boolean> LAZYFREE_LAZY_USER_FLUSH = add(bool("lazyfree-lazy-user-flush", false));
    public static final Setting<Long> AUTO_AOF_REWRITE_PERCENTAGE = add(integer("auto-aof-rewrite-percentage", 100, 0,
        Integer.MAX_VALUE));
    public static final Setting<Long> AUTO_AOF_REWRITE_MIN_SIZE = add(memory("auto-aof-rewrite-min-size", 64L << 20));
    public static final Setting<Boolean> AOF_LOAD_TRUNCATED = add(bool("aof-load-truncated", true));
    /** New AOF base files as RDB images (Redis 7's default), else as commands. */
    public static final Setting<Boolean> AOF_USE_RDB_PREAMBLE = add(bool("aof-use-rdb-preamble", true));
    public static final Setting<Boolean> AOF_REWRITE_INCREMENTAL_FSYNC = add(bool("aof-rewrite-incremental-fsync", true));
    public static final Setting<Boolean> AOF_TIMESTAMP_ENABLED = add(bool("aof-timestamp-enabled", false));
    public static final Setting<Boolean> NO_APPENDFSYNC_ON_REWRITE = add(bool("no-appendfsync-on-rewrite", false));
    public static final Setting<Long> LIST_MAX_LISTPACK_SIZE = add(integer("list-max-listpack-size", -2,
        Integer.MIN_VALUE, Integer.MAX_VALUE).alias("list-max-ziplist-size"));
    public static final Setting<Long> LIST_COMPRESS_DEPTH = add(integer("list-compress-depth", 0, 0, Integer.MAX_VALUE));
    public static final Setting<Long> HASH_MAX_LISTPACK_ENTRIES = add(integer("hash-max-listpack-entries", 512, 0,
        Long.MAX_VALUE).alias("hash-max-ziplist-entries"));
    public static final Setting<Long> HASH_MAX_LISTPACK_VALUE = add(memory("hash-max-listpack-value", 64, 0,
        Long.MAX_VALUE).alias("hash-max-ziplist-value"));
    public static final Setting<Long> SET_MAX_INTSET_ENTRIES = add(integer("set-max-intset-entries", 512, 0,
        Long.MAX_VALUE));
    public static final Setting<Long> ZSET_MAX_LISTPACK_ENTRIES = add(integer("zset-max-listpack-entries", 128, 0,
        Long.MAX_VALUE).alias("zset-max-ziplist-entries"));
    public static final Setting<Long> ZSET_MAX_LISTPACK_VALUE = add(memory("zset-max-listpack-value", 64, 0,
        Long.MAX_VALUE).alias("zset-max-ziplist-value"));
    public static final Setting<Long> STREAM_NODE_MAX_BYTES = add(memory("stream-node-max-bytes", 4096));
    public static final Setting<Long> STREAM_NODE_MAX_ENTRIES = add(integer("stream-node-max-entries", 100, 0,
        Long.MAX_VALUE));
    public static final Setting<Long> HLL_SPARSE_MAX_BYTES = add(memory("hll-sparse-max-bytes", 3000, 0,
        Long.MAX_VALUE));
    public static final Setting<Boolean> ACTIVEREHASHING = add(bool("activerehashing", true));
    public static final Setting<Boolean> ACTIVEDEFRAG = add(bool("activedefrag", false));
    public static final Setting<Long> SLOWLOG_LOG_SLOWER_THAN = add(integer("slowlog-log-slower-than", 10000,
        Long.MIN_VALUE, Long.MAX_VALUE));
    public static final Setting<Long> SLOWLOG_MAX_LEN = add(integer("slowlog-max-len", 128, 0, Long.MAX_VALUE));
    public static final Setting<Long> LATENCY_MONITOR_THRESHOLD = add(integer("latency-monitor-threshold", 0, 0,
        Long.MAX_VALUE));
    public static final Setting<Boolean> LATENCY_TRACKING = add(bool("latency-tracking", true));
    public static final Setting<String> LATENCY_TRACKING_INFO_PERCENTILES = add(special(
        "latency-tracking-info-percentiles", "50 99 99.9", Settings::checkPercentiles, Settings::percentiles, v -> v)
        .words());
    public static final Setting<String> LOGLEVEL = add(choice("loglevel", "notice", "debug", "verbose", "notice",
        "warning"));
    public static final Setting<String> LOGFILE = add(string("logfile", "").immutable());
    public static final Setting<Boolean> DAEMONIZE = add(bool("daemonize", false).immutable());
    public static final Setting<String> PIDFILE = add(string("pidfile", "").immutable());
    public static final Setting<String> ENABLE_DEBUG_COMMAND = add(choice("enable-debug-command", "no", "no", "yes",
        "local").immutable());
    public static final Setting<String> ENABLE_PROTECTED_CONFIGS = add(choice("enable-protected-configs", "no", "no",
        "yes", "local").immutable());
    public static final Setting<String> ENABLE_MODULE_COMMAND = add(choice("enable-module-command", "no", "no", "yes",
        "local").immutable());
    public static final Setting<Boolean> PROTECTED_MODE = add(bool("protected-mode", true));
    public static final Setting<Long> BUSY_REPLY_THRESHOLD = add(integer("busy-reply-threshold", 5000, 0,
        Long.MAX_VALUE).alias("lua-time-limit"));
    public static final Setting<Long> TRACKING_TABLE_MAX_KEYS = add(integer("tracking-table-max-keys", 1000000, 0,
        Long.MAX_VALUE));
    public static final Setting<ClientOutputLimits> CLIENT_OUTPUT_BUFFER_LIMIT = add(special(
        "client-output-buffer-limit", DEFAULT_OUTPUT_LIMITS,
        ClientOutputLimits::check, v -> ClientOutputLimits.merge(DEFAULT_OUTPUT_LIMITS, v), ClientOutputLimits::parse)
        .merging(ClientOutputLimits::merge).words());
    public static final Setting<Long> IO_THREADS = add(integer("io-threads", 1, 1, 128).immutable());
    public static final Setting<Boolean> IO_THREADS_DO_READS = add(bool("io-threads-do-reads", false).immutable());
    public static final Setting<String> REPLICAOF = add(string("replicaof", "").alias("slaveof").words().immutable());
    public static final Setting<Boolean> REPLICA_READ_ONLY = add(bool("replica-read-only", true)
        .alias("slave-read-only"));
    public static final Setting<Boolean> REPLICA_SERVE_STALE_DATA = add(bool("replica-serve-stale-data", true)
        .alias("slave-serve-stale-data"));
    public static final Setting<Long> REPL_BACKLOG_SIZE = add(memory("repl-backlog-size", 1048576, 1,
        Long.MAX_VALUE));
    public static final Setting<Long> MIN_REPLICAS_TO_WRITE = add(integer("min-replicas-to-write", 0, 0,
        Integer.MAX_VALUE).alias("min-slaves-to-write"));
    public static final Setting<Long> MIN_REPLICAS_MAX_LAG = add(integer("min-replicas-max-lag", 10, 0, Integer.MAX_VALUE)
        .alias("min-slaves-max-lag"));
    public static final Setting<Boolean> CLUSTER_ENABLED = add(bool("cluster-enabled", false).immutable());
    public static final Setting<Boolean> ALWAYS_SHOW_LOGO = add(bool("always-show-logo", false).immutable());
    public static final Setting<Boolean> CRASH_LOG_ENABLED = add(bool("crash-log-enabled", true));
    public static final Setting<Boolean> SET_PROC_TITLE = add(bool("set-proc-title", true).immutable());
    public static final Setting<String> UNIXSOCKET = add(string("unixsocket", "").immutable());
    public static final Setting<Long> RDB_KEY_SAVE_DELAY = add(integer("rdb-key-save-delay", 0, Integer.MIN_VALUE,
        Integer.MAX_VALUE).hidden());
    public static final Setting<Long> KEY_LOAD_DELAY = add(integer("key-load-delay", 0, Integer.MIN_VALUE,
        Integer.MAX_VALUE).hidden());
    public static final Setting<Long> LOADING_PROCESS_EVENTS_INTERVAL_BYTES = add(integer(
        "loading-process-events-interval-bytes", 2L << 20, 1024, Integer.MAX_VALUE).hidden());
    public static final Setting<Boolean> USE_EXIT_ON_PANIC = add(bool("use-exit-on-panic", false).hidden());
    public static final Setting<Long> WATCHDOG_PERIOD = add(integer("watchdog-period", 0, 0, Integer.MAX_VALUE).hidden());
    public static final Setting<Boolean> DISABLE_THP = add(bool("disable-thp", true).immutable());
    public static final Setting<Boolean> JEMALLOC_BG_THREAD = add(bool("jemalloc-bg-thread", true));
    public static final Setting<String> OOM_SCORE_ADJ_VALUES = add(string("oom-score-adj-values", "0 200 800").words());
    public static final Setting<String> OOM_SCORE_ADJ = add(string("oom-score-adj", "no"));
    // TLS (issue 19), Redis 7.0's directives: the listener on tls-port (server.Tls).
    public static final Setting<Long> TLS_PORT = add(integer("tls-port", 0, 0, 65535));
    public static final Setting<String> TLS_CERT_FILE = add(string("tls-cert-file", ""));
    public static final Setting<String> TLS_KEY_FILE = add(string("tls-key-file", ""));
    public static final Setting<String> TLS_KEY_FILE_PASS = add(string("tls-key-file-pass", ""));
    public static final Setting<String> TLS_CA_CERT_FILE = add(string("tls-ca-cert-file", ""));
    public static final Setting<String> TLS_CA_CERT_DIR = add(string("tls-ca-cert-dir", ""));
    public static final Setting<String> TLS_AUTH_CLIENTS = add(choice("tls-auth-clients", "yes", "no", "yes", "optional"));
    public static final Setting<String> TLS_PROTOCOLS = add(string("tls-protocols", ""));
    public static final Setting<String> TLS_CIPHERS = add(string("tls-ciphers", ""));
    public static final Setting<String> TLS_CIPHERSUITES = add(string("tls-ciphersuites", ""));
    public static final Setting<Boolean> TLS_PREFER_SERVER_CIPHERS = add(bool("tls-prefer-server-ciphers", false));
    public static final Setting<Boolean> TLS_SESSION_CACHING = add(bool("tls-session-caching", true));
    public static final Setting<Long> TLS_SESSION_CACHE_SIZE = add(integer("tls-session-cache-size", 20 * 1024, 0,
        Integer.MAX_VALUE));
    public static final Setting<Long> TLS_SESSION_CACHE_TIMEOUT = add(integer("tls-session-cache-timeout", 300, 0,
        Integer.MAX_VALUE));
    // For replication and cluster links (issue 21): accepted, no effect yet.
    public static final Setting<String> TLS_CLIENT_CERT_FILE = add(string("tls-client-cert-file", ""));
    public static final Setting<String> TLS_CLIENT_KEY_FILE = add(string("tls-client-key-file", ""));
    public static final Setting<String> TLS_CLIENT_KEY_FILE_PASS = add(string("tls-client-key-file-pass", ""));
    public static final Setting<String> TLS_DH_PARAMS_FILE = add(string("tls-dh-params-file", ""));
    public static final Setting<Boolean> TLS_REPLICATION = add(bool("tls-replication", false));
    public static final Setting<Boolean> TLS_CLUSTER = add(bool("tls-cluster", false));

    // ACL (issue 19).
    public static final Setting<String> ACL_PUBSUB_DEFAULT = add(choice("acl-pubsub-default", "resetchannels",
        "allchannels", "resetchannels"));
    public static final Setting<String> ACLFILE = add(string("aclfile", "").immutable());
    public static final Setting<Long> ACLLOG_MAX_LEN = add(integer("acllog-max-len", 128, 0, Long.MAX_VALUE));
    // Accepted so that redis.conf files (and Redis's own test harness) load, with Redis 7.0's types,
    // bounds and defaults; they have no effect (docs/compatibility.md, "Configuration").
    public static final Setting<Long> ACTIVE_DEFRAG_CYCLE_MIN = add(integer("active-defrag-cycle-min", 1, 1, 99));
    public static final Setting<Long> ACTIVE_DEFRAG_CYCLE_MAX = add(integer("active-defrag-cycle-max", 25, 1, 99));
    public static final Setting<Long> ACTIVE_DEFRAG_THRESHOLD_LOWER = add(integer("active-defrag-threshold-lower", 10,
        0, 1000));
    public static final Setting<Long> ACTIVE_DEFRAG_THRESHOLD_UPPER = add(integer("active-defrag-threshold-upper", 100,
        0, 1000));
    public static final Setting<Long> ACTIVE_DEFRAG_IGNORE_BYTES = add(memory("active-defrag-ignore-bytes", 100L << 20,
        1, Long.MAX_VALUE));
    public static final Setting<Long> ACTIVE_DEFRAG_MAX_SCAN_FIELDS = add(integer("active-defrag-max-scan-fields", 1000,
        1, Long.MAX_VALUE));
    public static final Setting<Boolean> AOF_DISABLE_AUTO_GC = add(bool("aof-disable-auto-gc", false));
    public static final Setting<String> SERVER_CPULIST = add(string("server_cpulist", "").immutable());
    public static final Setting<String> BIO_CPULIST = add(string("bio_cpulist", "").immutable());
    public static final Setting<String> AOF_REWRITE_CPULIST = add(string("aof_rewrite_cpulist", "").immutable());
    public static final Setting<String> BGSAVE_CPULIST = add(string("bgsave_cpulist", "").immutable());
    public static final Setting<String> BIND_SOURCE_ADDR = add(string("bind-source-addr", ""));
    public static final Setting<Boolean> CRASH_MEMCHECK_ENABLED = add(bool("crash-memcheck-enabled", true));
    public static final Setting<String> IGNORE_WARNINGS = add(string("ignore-warnings", ""));
    public static final Setting<String> PROC_TITLE_TEMPLATE = add(string("proc-title-template",
        "{title} {listen-addr} {server-mode}"));
    public static final Setting<String> PROPAGATION_ERROR_BEHAVIOR = add(choice("propagation-error-behavior", "ignore",
        "ignore", "panic", "panic-on-replicas"));
    public static final Setting<Boolean> RDB_DEL_SYNC_FILES = add(bool("rdb-del-sync-files", false));
    public static final Setting<Boolean> RDB_SAVE_INCREMENTAL_FSYNC = add(bool("rdb-save-incremental-fsync", true));
    public static final Setting<String> SANITIZE_DUMP_PAYLOAD = add(choice("sanitize-dump-payload", "no", "no", "yes",
        "clients"));
    public static final Setting<String> SHUTDOWN_ON_SIGINT = add(special("shutdown-on-sigint", "default",
        Settings::checkShutdownFlags, Settings::shutdownFlags, v -> v).words());
    public static final Setting<String> SHUTDOWN_ON_SIGTERM = add(special("shutdown-on-sigterm", "default",
        Settings::checkShutdownFlags, Settings::shutdownFlags, v -> v).words());
    public static final Setting<Long> SHUTDOWN_TIMEOUT = add(integer("shutdown-timeout", 10, 0, Integer.MAX_VALUE));
    public static final Setting<Long> SOCKET_MARK_ID = add(integer("socket-mark-id", 0, 0, 0xFFFFFFFFL).immutable());
    public static final Setting<String> SUPERVISED = add(choice("supervised", "no", "upstart", "systemd", "auto", "no")
        .immutable());
    public static final Setting<Boolean> SYSLOG_ENABLED = add(bool("syslog-enabled", false).immutable());
    public static final Setting<String> SYSLOG_IDENT = add(string("syslog-ident", "redis").immutable());
    public static final Setting<String> SYSLOG_FACILITY = add(choice("syslog-facility", "local0", "user", "local0",
        "local1", "local2", "local3", "local4", "local5", "local6", "local7").immutable());
    /** Octal, as Redis's OCTAL_CONFIG (unixsocketperm 700). */
    public static final Setting<Long> UNIXSOCKETPERM = add(special("unixsocketperm", "0",
        v -> octal(v) < 0 ? "argument couldn't be parsed into an integer" : octal(v) > 0777
            ? "argument must be between 0 and 511 inclusive" : null,
        v -> Long.toOctalString(octal(v)), v -> octal(v)).immutable());
    // Replication (issue 21): accepted, no effect yet.
    public static final Setting<String> MASTERAUTH = add(string("masterauth", ""));
    public static final Setting<String> MASTERUSER = add(string("masteruser", ""));
    public static final Setting<Long> REPL_BACKLOG_TTL = add(integer("repl-backlog-ttl", 3600, 0, Long.MAX_VALUE));
    public static final Setting<Boolean> REPL_DISABLE_TCP_NODELAY = add(bool("repl-disable-tcp-nodelay", false));
    public static final Setting<String> REPL_DISKLESS_LOAD = add(choice("repl-diskless-load", "disabled", "disabled",
        "on-empty-db", "swapdb").denyLoading());
    public static final Setting<Boolean> REPL_DISKLESS_SYNC = add(bool("repl-diskless-sync", true));
    public static final Setting<Long> REPL_DISKLESS_SYNC_DELAY = add(integer("repl-diskless-sync-delay", 5, 0,
        Integer.MAX_VALUE));
    public static final Setting<Long> REPL_DISKLESS_SYNC_MAX_REPLICAS = add(integer("repl-diskless-sync-max-replicas",
        0, 0, Integer.MAX_VALUE));
    public static final Setting<Long> REPL_PING_REPLICA_PERIOD = add(integer("repl-ping-replica-period", 10, 1,
        Integer.MAX_VALUE).alias("repl-ping-slave-period"));
    public static final Setting<Long> REPL_TIMEOUT = add(integer("repl-timeout", 60, 1, Integer.MAX_VALUE));
    public static final Setting<String> REPLICA_ANNOUNCE_IP = add(string("replica-announce-ip", "")
        .alias("slave-announce-ip"));
    public static final Setting<Long> REPLICA_ANNOUNCE_PORT = add(integer("replica-announce-port", 0, 0, 65535)
        .alias("slave-announce-port"));
    public static final Setting<Boolean> REPLICA_ANNOUNCED = add(bool("replica-announced", true));
    public static final Setting<Boolean> REPLICA_IGNORE_DISK_WRITE_ERRORS = add(bool("replica-ignore-disk-write-errors",
        false));
    public static final Setting<Boolean> REPLICA_IGNORE_MAXMEMORY = add(bool("replica-ignore-maxmemory", true)
        .alias("slave-ignore-maxmemory"));
    public static final Setting<Boolean> REPLICA_LAZY_FLUSH = add(bool("replica-lazy-flush", false)
        .alias("slave-lazy-flush"));
    public static final Setting<Long> REPLICA_PRIORITY = add(integer("replica-priority", 100, 0, Integer.MAX_VALUE)
        .alias("slave-priority"));
    // Cluster mode is not built (cluster-enabled yes is refused at start): accepted, no effect.
    public static final Setting<Boolean> CLUSTER_ALLOW_PUBSUBSHARD_WHEN_DOWN = add(bool(
        "cluster-allow-pubsubshard-when-down", true));
    public static final Setting<Boolean> CLUSTER_ALLOW_READS_WHEN_DOWN = add(bool("cluster-allow-reads-when-down", false));
    public static final Setting<Boolean> CLUSTER_ALLOW_REPLICA_MIGRATION = add(bool("cluster-allow-replica-migration",
        true));
    public static final Setting<Long> CLUSTER_ANNOUNCE_BUS_PORT = add(integer("cluster-announce-bus-port", 0, 0, 65535));
    public static final Setting<String> CLUSTER_ANNOUNCE_HOSTNAME = add(string("cluster-announce-hostname", ""));
    public static final Setting<String> CLUSTER_ANNOUNCE_IP = add(string("cluster-announce-ip", ""));
    public static final Setting<Long> CLUSTER_ANNOUNCE_PORT = add(integer("cluster-announce-port", 0, 0, 65535));
    public static final Setting<Long> CLUSTER_ANNOUNCE_TLS_PORT = add(integer("cluster-announce-tls-port", 0, 0, 65535));
    public static final Setting<String> CLUSTER_CONFIG_FILE = add(string("cluster-config-file", "nodes.conf")
        .immutable());
    public static final Setting<Long> CLUSTER_LINK_SENDBUF_LIMIT = add(memory("cluster-link-sendbuf-limit", 0));
    public static final Setting<Long> CLUSTER_MIGRATION_BARRIER = add(integer("cluster-migration-barrier", 1, 0,
        Integer.MAX_VALUE));
    public static final Setting<Long> CLUSTER_NODE_TIMEOUT = add(integer("cluster-node-timeout", 15000, 0,
        Long.MAX_VALUE));
    public static final Setting<Long> CLUSTER_PORT = add(integer("cluster-port", 0, 0, 65535).immutable());
    public static final Setting<String> CLUSTER_PREFERRED_ENDPOINT_TYPE = add(choice("cluster-preferred-endpoint-type",
        "ip", "ip", "hostname", "unknown-endpoint"));
    public static final Setting<Boolean> CLUSTER_REPLICA_NO_FAILOVER = add(bool("cluster-replica-no-failover", false)
        .alias("cluster-slave-no-failover"));
    public static final Setting<Long> CLUSTER_REPLICA_VALIDITY_FACTOR = add(integer("cluster-replica-validity-factor", 10,
        0, Integer.MAX_VALUE).alias("cluster-slave-validity-factor"));
    public static final Setting<Boolean> CLUSTER_REQUIRE_FULL_COVERAGE = add(bool("cluster-require-full-coverage", true));

    /** Redis's setConfigLatencyTrackingInfoPercentilesOutputOption: doubles within [0, 100]. */
    private static String checkPercentiles(String v) {
        for (String w : v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+")) {
            double d = strtod(w);
            if (Double.isNaN(d)) {
                return "Invalid latency-tracking-info-percentiles parameters";
            }
            if (d > 100.0 || d < 0.0) {
                return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
            }
        }
        return null;
    }

    /** A decimal or exponent number, or inf/infinity, as C's strtod reads it whole; NaN otherwise. */
    private static double strtod(String w) {
        String l = w.toLowerCase(Locale.ROOT);
        String unsigned = l.startsWith("+") || l.startsWith("-") ? l.substring(1) : l;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return l.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?") ? Double.parseDouble(l) : Double.NaN;
    }

    /** As CONFIG GET shows them: "%f" with trailing zeros trimmed ("0 50 99.9"). */
    private static String percentiles(String v) {
        List<String> out = new ArrayList<>();
        for (String w : v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+")) {
            String f = String.format(Locale.ROOT, "%f", strtod(w));
            f = f.contains(".") ? f.replaceAll("0+$", "").replaceAll("\\.$", "") : f;
            out.add(f);
        }
        return String.join(" ", out);
    }

    private static final List<String> SHUTDOWN_FLAGS = List.of("save", "nosave", "now", "force");

    /** Redis's shutdown_on_sig_enum as bit flags: any of default (none), save, nosave, now, force. */
    private static String checkShutdownFlags(String v) {
        String flags = shutdownFlags(v);
        if (flags == null) {
            return "argument(s) must be one of the following: default, save, nosave, now, force";
        }
        List<String> words = List.of(flags.split(" "));
        if (words.contains("save") && words.contains("nosave")) {
            return "shutdown options SAVE and NOSAVE can't be used simultaneously";
        }
        return null;
    }

    /** The flags in Redis's order (configEnumGetName), "default" when none, null for an unknown word. */
    private static String shutdownFlags(String v) {
        boolean[] set = new boolean[SHUTDOWN_FLAGS.size()];
        for (String w : v.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
            int i = SHUTDOWN_FLAGS.indexOf(w);
            if (i >= 0) {
                set[i] = true;
            } else if (!w.equals("default")) {
                return null;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < set.length; i++) {
            if (set[i]) {
                b.append(b.length() > 0 ? " " : "").append(SHUTDOWN_FLAGS.get(i));
            }
        }
        return b.length() == 0 ? "default" : b.toString();
    }

    private Settings() {
    }

    private static <T> Setting<T> add(Setting.Builder<T> b) {
        Setting<T> s = b.build(ALL.size());
        ALL.add(s);
        BY_NAME.put(s.name(), s);
        for (String a : s.aliases()) {
            ALIASES.put(a, s);
        }
        return s;
    }

    /** Every setting, in declaration order (CONFIG GET's order). */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The aliases and the settings they name, in declaration order. */
    public static Map<String, Setting<?>> aliases() {
        return Collections.unmodifiableMap(ALIASES);
    }

    /** The setting called {@code name} or one of its aliases (any case), or null. */
    public static Setting<?> named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Setting<?> s = BY_NAME.get(n);
        return s != null ? s : ALIASES.get(n);
    }

    static int count() {
        return ALL.size();
    }

    /** An octal number (Redis's strtoll base 8 for OCTAL_CONFIG), or -1. */
    private static long octal(String v) {
        try {
            long n = Long.parseLong(v, 8);
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
