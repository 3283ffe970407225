package dev.quokka.command.admin;

import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.Server;
import dev.quokka.config.BuildInfo;
import dev.quokka.config.Settings;
import dev.quokka.replication.Primary;
import dev.quokka.replication.Upstream;
import dev.quokka.session.Client;
import dev.quokka.eviction.Evictor;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.AofLoader;
import dev.quokka.persistence.AppendOnlyFile;
import dev.quokka.persistence.RdbSaves;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO [section ...] with Redis 7.0's sections and field names. Fields of subsystems Quokka
 * does not have (replication, RDB, modules) carry the values an idle Redis shows.
 */
public final class InfoCommand {
    private static final List<String> DEFAULT = List.of(
        "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
        "errorstats", "cluster", "keyspace");
    private static final List<String> ALL_EXTRA = List.of("commandstats", "latencystats");

    private InfoCommand() {
    }

    /**
     * Redis's genRedisInfoStringLatencyStats: for each command (and subcommand) with a latency
     * histogram, its percentiles (latency-tracking-info-percentiles) in microseconds, %.3f.
     */
    private static void latencystats(Server server, StringBuilder sb) {
        sb.append("# Latencystats\r\n");
        String[] percentiles = server.config().value(Settings.LATENCY_TRACKING_INFO_PERCENTILES).trim().split("\\s+");
        for (dev.quokka.command.CommandSpec spec : server.commands().aclOrder()) {
            dev.quokka.command.LatencyHistogram h = spec.latencyHistogram();
            if (h == null || h.total() == 0) {
                continue;
            }
            sb.append("latency_percentiles_usec_").append(spec.fullName()).append(':');
            for (int j = 0; j < percentiles.length; j++) {
                if (percentiles[j].isEmpty()) {
                    continue;
                }
                double p = Double.parseDouble(percentiles[j]);
                sb.append('p').append(percentiles[j]).append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", h.valueAtPercentile(p) / 1000.0));
                if (j != percentiles.length - 1) {
                    sb.append(',');
                }
            }
            sb.append("\r\n");
        }
    }

    /** INFO [section [section ...]] */
    public static void info(CommandContext c) {
        Set<String> sections = new LinkedHashSet<>();
        if (c.argc == 1) {
            sections.addAll(DEFAULT);
        }
        for (int i = 1; i < c.argc; i++) {
            String s = c.arg(i).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> sections.addAll(DEFAULT);
                case "all" -> {
                    sections.addAll(DEFAULT);
                    sections.remove("modules");
                    sections.addAll(ALL_EXTRA);
                }
                case "everything" -> {
                    sections.addAll(DEFAULT);
                    sections.addAll(ALL_EXTRA);
                }
                default -> sections.add(s);
            }
        }
        c.reply.verbatim(render(c.server, sections));
    }

    /** The INFO text for the given sections, in Redis's order. */
    public static String render(Server server, Set<String> wanted) {
        StringBuilder sb = new StringBuilder();
        String[] order = {"server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
            "commandstats", "errorstats", "latencystats", "cluster", "keyspace"};
        for (String s : order) {
            if (!wanted.contains(s)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            switch (s) {
                case "server" -> server(server, sb);
                case "clients" -> clients(server, sb);
                case "memory" -> memory(server, sb);
                case "persistence" -> persistence(server, sb);
                case "stats" -> stats(server, sb);
                case "replication" -> replication(server, sb);
                case "cpu" -> cpu(sb);
                case "modules" -> sb.append("# Modules\r\n");
                case "commandstats" -> commandstats(server, sb);
                case "errorstats" -> errorstats(server, sb);
                case "latencystats" -> latencystats(server, sb);
                case "cluster" -> sb.append("# Cluster\r\ncluster_enabled:0\r\n");
                case "keyspace" -> keyspace(server, sb);
                default -> {
                }
            }
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private static void server(Server s, StringBuilder sb) {
        long uptime = (System.currentTimeMillis() - s.startMillis()) / 1000;
        sb.append("# Server\r\n");
        field(sb, "redis_version", BuildInfo.REDIS_VERSION);
        field(sb, "redis_git_sha1", "00000000");
        field(sb, "redis_git_dirty", 0);
        field(sb, "redis_build_id", BuildInfo.commit());
        field(sb, "redis_mode", "standalone");
        field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        field(sb, "arch_bits", 64);
        field(sb, "monotonic_clock", "POSIX clock_gettime");
        field(sb, "multiplexing_api", s.multiplexingApi());
        field(sb, "atomicvar_api", "c11-builtin");
        field(sb, "gcc_version", "0.0.0");
        field(sb, "process_id", ProcessHandle.current().pid());
        field(sb, "process_supervised", "no");
        field(sb, "run_id", s.runId());
        field(sb, "tcp_port", s.port());
        field(sb, "server_time_usec", System.currentTimeMillis() * 1000);
        field(sb, "uptime_in_seconds", uptime);
        field(sb, "uptime_in_days", uptime / 86400);
        field(sb, "hz", s.config().value(Settings.HZ));
        field(sb, "configured_hz", s.config().value(Settings.HZ));
        field(sb, "lru_clock", (System.currentTimeMillis() / 1000) & ((1 << 24) - 1));
        field(sb, "executable", ProcessHandle.current().info().command().orElse(""));
        field(sb, "config_file", "");
        field(sb, "io_threads_active", 0);
        field(sb, "quokka_version", BuildInfo.version());
        field(sb, "quokka_git_sha1", BuildInfo.commit());
        field(sb, "quokka_build_type", BuildInfo.buildType());
        field(sb, "java_version", System.getProperty("java.version"));
    }

    private static void clients(Server s, StringBuilder sb) {
        sb.append("# Clients\r\n");
        // Replicas are not counted as clients (Redis: clients less slaves).
        field(sb, "connected_clients", s.clients().size() - s.primary().replicas().size());
        field(sb, "cluster_connections", 0);
        field(sb, "maxclients", s.config().value(Settings.MAXCLIENTS));
        long maxInput = 0;
        long maxOutput = 0;
        for (Client c : s.clients().all()) {
            maxInput = Math.max(maxInput, c.queryBufferLength());
            maxOutput = Math.max(maxOutput, c.outputBytes());
        }
        field(sb, "client_recent_max_input_buffer", maxInput);
        field(sb, "client_recent_max_output_buffer", maxOutput);
        field(sb, "blocked_clients", s.blocking().blockedClients());
        field(sb, "clients_in_timeout_table", s.blocking().timedClients());
        field(sb, "tracking_clients", s.tracking().clients());
    }

    /** Redis's {@code bytesToHuman}. */
    public static String human(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double d = n;
        int u = -1;
        while (d >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
    }

    private static void memory(Server s, StringBuilder sb) {
        Runtime rt = Runtime.getRuntime();
        Evictor ev = s.evictor();
        long used = ev.usedMemory();
        long peak = ev.peakMemory();
        long dataset = ev.datasetMemory();
        long overhead = used - dataset;
        long rss = residentMemory();
        long max = ev.maxmemory();
        sb.append("# Memory\r\n");
        field(sb, "used_memory", used);
        field(sb, "used_memory_human", human(used));
        field(sb, "used_memory_rss", rss);
        field(sb, "used_memory_rss_human", human(rss));
        field(sb, "used_memory_peak", peak);
        field(sb, "used_memory_peak_human", human(peak));
        field(sb, "used_memory_peak_perc", percent(used, peak));
        field(sb, "used_memory_overhead", overhead);
        field(sb, "used_memory_startup", 0);
        field(sb, "used_memory_dataset", dataset);
        field(sb, "used_memory_dataset_perc", percent(dataset, used));
        field(sb, "total_system_memory", totalSystemMemory());
        field(sb, "total_system_memory_human", human(totalSystemMemory()));
        // The interpreters live in the JVM heap, which does not count per object: the VM fields
        // count the scripts' and libraries' source bytes, the cache fields their entries.
        dev.quokka.command.scripting.Scripting scripting = s.scriptingIfStarted();
        long evalVm = scripting == null ? 0 : scripting.scriptsMemory();
        long functionsVm = scripting == null ? 0 : scripting.functions().codeBytes();
        field(sb, "used_memory_lua", evalVm);
        field(sb, "used_memory_vm_eval", evalVm);
        field(sb, "used_memory_lua_human", human(evalVm));
        field(sb, "used_memory_scripts_eval", evalVm);
        field(sb, "number_of_cached_scripts", scripting == null ? 0 : scripting.cachedScripts());
        field(sb, "number_of_functions", scripting == null ? 0 : scripting.functions().functionCount());
        field(sb, "number_of_libraries", scripting == null ? 0 : scripting.functions().libraryCount());
        field(sb, "used_memory_vm_functions", functionsVm);
        field(sb, "used_memory_vm_total", evalVm + functionsVm);
        field(sb, "used_memory_vm_total_human", human(evalVm + functionsVm));
        field(sb, "used_memory_functions", functionsVm);
        field(sb, "used_memory_scripts", evalVm + functionsVm);
        field(sb, "used_memory_scripts_human", human(evalVm + functionsVm));
        field(sb, "maxmemory", max);
        field(sb, "maxmemory_human", human(max));
        field(sb, "maxmemory_policy", s.config().value(Settings.MAXMEMORY_POLICY));
        field(sb, "jvm_heap_used", rt.totalMemory() - rt.freeMemory());
        field(sb, "jvm_heap_max", rt.maxMemory());
        field(sb, "jvm_heap_max_human", human(rt.maxMemory()));
        field(sb, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", used == 0 ? 0.0 : (double) rss / used));
        field(sb, "mem_fragmentation_bytes", rss - used);
        long clients = s.clients().memory();
        field(sb, "mem_not_counted_for_evict", ev.notCountedForEvict());
        // The backlog is reported, not counted in used_memory (Redis counts it there, and against maxmemory).
        long backlog = s.primary().backlogHistlen();
        long replicas = s.clients().replicaMemory();
        field(sb, "mem_replication_backlog", backlog);
        field(sb, "mem_total_replication_buffers", backlog + replicas);
        field(sb, "mem_clients_slaves", replicas);
        field(sb, "mem_clients_normal", clients);
        field(sb, "mem_cluster_links", 0);
        field(sb, "mem_aof_buffer", s.aof().bufferLength());
        field(sb, "mem_allocator", "jvm");
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", 0);
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole == 0 ? 0.0 : part * 100.0 / whole);
    }

    /** The process's resident memory (Redis's used_memory_rss), from /proc/self/statm; the committed heap elsewhere. */
    public static long residentMemory() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().totalMemory();
        }
    }

    private static long totalSystemMemory() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return 0;
    }

    private static void persistence(Server s, StringBuilder sb) {
        Keyspace ks = s.keyspace();
        sb.append("# Persistence\r\n");
        field(sb, "loading", ks.loading() ? 1 : 0);
        field(sb, "async_loading", s.asyncLoading() ? 1 : 0);
        field(sb, "current_cow_peak", 0);
        field(sb, "current_cow_size", 0);
        field(sb, "current_cow_size_age", 0);
        field(sb, "current_fork_perc", "0.00");
        long[] progress = s.rdb().progress();
        field(sb, "current_save_keys_processed", progress[0]);
        field(sb, "current_save_keys_total", progress[1]);
        RdbSaves rdb = s.rdb();
        field(sb, "rdb_changes_since_last_save", rdb.changesSinceLastSave());
        field(sb, "rdb_bgsave_in_progress", rdb.saving() || rdb.savingForReplicas() ? 1 : 0);
        field(sb, "rdb_last_save_time", rdb.lastSaveSeconds());
        field(sb, "rdb_last_bgsave_status", rdb.lastBgsaveOk() ? "ok" : "err");
        field(sb, "rdb_last_bgsave_time_sec", rdb.lastBgsaveSeconds());
        field(sb, "rdb_current_bgsave_time_sec", rdb.currentBgsaveSeconds());
        field(sb, "rdb_saves", rdb.saves());
        field(sb, "rdb_last_cow_size", 0);
        field(sb, "rdb_last_load_keys_expired", rdb.lastLoadKeysExpired());
        field(sb, "rdb_last_load_keys_loaded", rdb.lastLoadKeysLoaded());
        AppendOnlyFile aof = s.aof();
        field(sb, "aof_enabled", aof.state() != AppendOnlyFile.State.OFF ? 1 : 0);
        field(sb, "aof_rewrite_in_progress", aof.rewriting() ? 1 : 0);
        field(sb, "aof_rewrite_scheduled", aof.rewriteScheduled() ? 1 : 0);
        field(sb, "aof_last_rewrite_time_sec", aof.lastRewriteSeconds());
        field(sb, "aof_current_rewrite_time_sec", aof.currentRewriteSeconds());
        field(sb, "aof_last_bgrewrite_status", aof.lastRewriteStatus());
        field(sb, "aof_rewrites", aof.rewrites());
        field(sb, "aof_rewrites_consecutive_failures", aof.consecutiveRewriteFailures());
        field(sb, "aof_last_write_status", aof.writeError() == null ? "ok" : "err");
        field(sb, "aof_last_cow_size", 0);
        field(sb, "module_fork_in_progress", 0);
        field(sb, "module_fork_last_cow_size", 0);
        if (aof.state() != AppendOnlyFile.State.OFF) {
            field(sb, "aof_current_size", aof.currentSize());
            field(sb, "aof_base_size", aof.baseSize());
            field(sb, "aof_pending_rewrite", 0);
            field(sb, "aof_buffer_length", aof.bufferLength());
            field(sb, "aof_pending_bio_fsync", aof.fsyncPending() ? 1 : 0);
            field(sb, "aof_delayed_fsync", aof.delayedFsync());
        }
        AofLoader loader = aof.loader();
        if (ks.loading() || s.asyncLoading()) {
            // The loader registers once it has read the manifest; until then nothing is loaded yet.
            Server.LoadProgress other = s.loadProgress();
            long total = other != null ? other.totalBytes() : loader == null ? 0 : loader.totalBytes();
            long loaded = other != null ? other.loadedBytes().getAsLong() : loader == null ? 0 : loader.loadedBytes();
            long startMillis = other != null ? other.startMillis()
                : loader == null ? System.currentTimeMillis() : aof.loadingStartMillis();
            long elapsed = Math.max(1, System.currentTimeMillis() - startMillis);
            double perc = total == 0 ? 0 : loaded * 100.0 / total;
            long eta = loaded == 0 ? 1 : (total - loaded) * elapsed / loaded / 1000;
            field(sb, "loading_start_time", startMillis / 1000);
            field(sb, "loading_total_bytes", total);
            field(sb, "loading_rdb_used_mem", 0);
            field(sb, "loading_loaded_bytes", loaded);
            field(sb, "loading_loaded_perc", String.format(Locale.ROOT, "%.2f", perc));
            field(sb, "loading_eta_seconds", eta);
        }
    }

    private static void stats(Server s, StringBuilder sb) {
        Keyspace ks = s.keyspace();
        sb.append("# Stats\r\n");
        field(sb, "total_connections_received", s.stats().totalConnections());
        field(sb, "total_commands_processed", s.stats().totalCommands());
        field(sb, "instantaneous_ops_per_sec", s.stats().instantaneous().opsPerSec());
        field(sb, "total_net_input_bytes", s.stats().netInputBytes());
        field(sb, "total_net_output_bytes", s.stats().netOutputBytes());
        field(sb, "total_net_repl_input_bytes", 0);
        field(sb, "total_net_repl_output_bytes", 0);
        field(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", s.stats().instantaneous().inputKbps()));
        field(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", s.stats().instantaneous().outputKbps()));
        field(sb, "instantaneous_input_repl_kbps", "0.00");
        field(sb, "instantaneous_output_repl_kbps", "0.00");
        field(sb, "rejected_connections", s.stats().rejectedConnections());
        field(sb, "sync_full", s.primary().fullSyncs());
        field(sb, "sync_partial_ok", s.primary().partialSyncsOk());
        field(sb, "sync_partial_err", s.primary().partialSyncsErr());
        field(sb, "expired_keys", ks.expiredKeys());
        field(sb, "expired_stale_perc", String.format(Locale.ROOT, "%.2f", ks.expiredStalePerc() * 100));
        field(sb, "expired_time_cap_reached_count", ks.expiredTimeCapReached());
        field(sb, "expire_cycle_cpu_milliseconds", ks.expireCycleMillis());
        field(sb, "evicted_keys", s.evictor().evictedKeys());
        field(sb, "evicted_clients", s.clients().evictedClients());
        field(sb, "total_eviction_exceeded_time", 0);
        field(sb, "current_eviction_exceeded_time", 0);
        field(sb, "keyspace_hits", ks.keyspaceHits());
        field(sb, "keyspace_misses", ks.keyspaceMisses());
        field(sb, "pubsub_channels", s.pubsub().channelCount());
        field(sb, "pubsub_patterns", s.pubsub().patternCount());
        field(sb, "pubsubshard_channels", s.pubsub().shardChannelCount());
        field(sb, "latest_fork_usec", 0);
        field(sb, "total_forks", 0);
        field(sb, "migrate_cached_sockets", s.migrateSockets().size());
        field(sb, "slave_expires_tracked_keys", s.keyspace().replicaKeysWithExpire());
        field(sb, "active_defrag_hits", 0);
        field(sb, "active_defrag_misses", 0);
        field(sb, "active_defrag_key_hits", 0);
        field(sb, "active_defrag_key_misses", 0);
        field(sb, "total_active_defrag_time", 0);
        field(sb, "current_active_defrag_time", 0);
        field(sb, "tracking_total_keys", s.tracking().totalKeys());
        field(sb, "tracking_total_items", s.tracking().totalItems());
        field(sb, "tracking_total_prefixes", s.tracking().totalPrefixes());
        field(sb, "unexpected_error_replies", s.stats().unexpectedErrorReplies());
        field(sb, "total_error_replies", s.stats().totalErrorReplies());
        field(sb, "dump_payload_sanitizations", 0);
        field(sb, "total_reads_processed", s.stats().readsProcessed());
        field(sb, "total_writes_processed", s.stats().writesProcessed());
        field(sb, "io_threaded_reads_processed", 0);
        field(sb, "io_threaded_writes_processed", 0);
        field(sb, "reply_buffer_shrinks", 0);
        field(sb, "reply_buffer_expands", 0);
    }

    private static void replication(Server s, StringBuilder sb) {
        sb.append("# Replication\r\n");
        Primary p = s.primary();
        Upstream u = s.upstream();
        if (u.replica()) {
            boolean up = u.state() == Upstream.LinkState.CONNECTED;
            boolean syncing = u.state() == Upstream.LinkState.SYNC;
            field(sb, "role", "slave");
            field(sb, "master_host", u.host());
            field(sb, "master_port", u.port());
            field(sb, "master_link_status", up ? "up" : "down");
            field(sb, "master_last_io_seconds_ago", up ? u.lastIoSecondsAgo() : -1);
            field(sb, "master_sync_in_progress", syncing ? 1 : 0);
            field(sb, "slave_read_repl_offset", p.offset());
            field(sb, "slave_repl_offset", p.offset());
            if (syncing) {
                long total = u.syncBytesTotal();
                field(sb, "master_sync_total_bytes", total);
                field(sb, "master_sync_read_bytes", u.syncBytesRead());
                field(sb, "master_sync_left_bytes", total - u.syncBytesRead());
                field(sb, "master_sync_perc", String.format(java.util.Locale.ROOT, "%.2f",
                    total <= 0 ? 0.0 : u.syncBytesRead() * 100.0 / total));
                field(sb, "master_sync_last_io_seconds_ago", u.syncLastIoSecondsAgo());
            }
            if (!up) {
                field(sb, "master_link_down_since_seconds", u.linkDownSinceSecondsAgo());
            }
            field(sb, "slave_priority", s.config().value(Settings.REPLICA_PRIORITY));
            field(sb, "slave_read_only", s.config().get(Settings.REPLICA_READ_ONLY) ? 1 : 0);
            field(sb, "replica_announced", s.config().get(Settings.REPLICA_ANNOUNCED) ? 1 : 0);
        } else {
            field(sb, "role", "master");
        }
        java.util.List<Primary.Replica> replicas = p.replicas();
        field(sb, "connected_slaves", replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            field(sb, "slave" + i, Primary.infoLine(replicas.get(i)));
        }
        field(sb, "master_failover_state", s.failover().state().info);
        field(sb, "master_replid", p.replId());
        field(sb, "master_replid2", p.replId2());
        field(sb, "master_repl_offset", p.offset());
        field(sb, "second_repl_offset", p.secondReplOffset());
        field(sb, "repl_backlog_active", p.backlogActive() ? 1 : 0);
        field(sb, "repl_backlog_size", p.backlogSize());
        field(sb, "repl_backlog_first_byte_offset", p.backlogFirstByteOffset());
        field(sb, "repl_backlog_histlen", p.backlogHistlen());
    }

    private static void cpu(StringBuilder sb) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double total = 0;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            total = sun.getProcessCpuTime() / 1e9;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double userAll = 0;
        for (long id : threads.getAllThreadIds()) {
            long u = threads.getThreadUserTime(id);
            if (u > 0) {
                userAll += u / 1e9;
            }
        }
        double sys = Math.max(0, total - userAll);
        sb.append("# CPU\r\n");
        field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", sys));
        field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", userAll));
        field(sb, "used_cpu_sys_children", "0.000000");
        field(sb, "used_cpu_user_children", "0.000000");
    }

    private static void commandstats(Server s, StringBuilder sb) {
        sb.append("# Commandstats\r\n");
        for (CommandSpec spec : s.commands().all()) {
            commandstat(sb, spec);
            if (spec.isContainer()) {
                spec.subcommands().all().forEach(sub -> commandstat(sb, sub));
            }
        }
    }

    private static void commandstat(StringBuilder sb, CommandSpec spec) {
        if (spec.calls() == 0 && spec.rejectedCalls() == 0 && spec.failedCalls() == 0) {
            return;
        }
        double perCall = spec.calls() == 0 ? 0 : (double) spec.micros() / spec.calls();
        sb.append("cmdstat_").append(spec.fullName())
            .append(":calls=").append(spec.calls())
            .append(",usec=").append(spec.micros())
            .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", perCall))
            .append(",rejected_calls=").append(spec.rejectedCalls())
            .append(",failed_calls=").append(spec.failedCalls())
            .append("\r\n");
    }

    private static void errorstats(Server s, StringBuilder sb) {
        sb.append("# Errorstats\r\n");
        for (Map.Entry<String, long[]> e : s.stats().errorStats().entrySet()) {
            sb.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue()[0]).append("\r\n");
        }
    }

    private static void keyspace(Server s, StringBuilder sb) {
        sb.append("# Keyspace\r\n");
        Keyspace ks = s.keyspace();
        for (int i = 0; i < ks.databases(); i++) {
            Database db = ks.db(i);
            if (db.size() > 0) {
                sb.append("db").append(i).append(":keys=").append(db.size())
                    .append(",expires=").append(db.volatileCount())
                    .append(",avg_ttl=").append(db.avgTtl()).append("\r\n");
            }
        }
    }
}
