package dev.quokka.ops;

import dev.quokka.command.CommandSpec;
import dev.quokka.command.Server;
import dev.quokka.command.admin.InfoCommand;
import dev.quokka.keyspace.Database;
import dev.quokka.persistence.AppendOnlyFile;
import dev.quokka.replication.Upstream;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Quokka's Micrometer meters on {@code /q/metrics}. Every gauge and counter reads the same
 * counters INFO prints (ARCHITECTURE invariant 8), on the scrape thread: racy reads of values the
 * keyspace context writes, which is what a gauge needs. docs/metrics.md maps each name to the
 * redis_exporter name Redis dashboards use.
 */
@Singleton
public class Metrics {
    @Inject
    MeterRegistry registry;

    @Inject
    Instance<PrometheusMeterRegistry> prometheus;

    @Inject
    Server server;

    void register(@Observes StartupEvent ev) {
        Server s = server;
        gauge("quokka.up", "1 while the server runs", x -> 1);
        gauge("quokka.connected.clients", "Client connections", x -> s.clients().size());
        gauge("quokka.blocked.clients", "Clients blocked on a blocking command", x -> s.blocking().blockedClients());
        gauge("quokka.loading", "1 while a dataset is being loaded (the AOF or dump.rdb at start, a replica's full resync)", x -> s.keyspace().loading() ? 1 : 0);
        counter("quokka.commands.processed", "Commands processed", x -> s.stats().totalCommands());
        counter("quokka.connections.received", "Connections accepted", x -> s.stats().totalConnections());
        counter("quokka.connections.rejected", "Connections refused (maxclients)", x -> s.stats().rejectedConnections());
        counter("quokka.net.input", BaseUnits.BYTES, "Bytes read from clients", x -> s.stats().netInputBytes());
        counter("quokka.net.output", BaseUnits.BYTES, "Bytes written to clients", x -> s.stats().netOutputBytes());
        counter("quokka.keyspace.hits", "Successful key lookups", x -> s.keyspace().keyspaceHits());
        counter("quokka.keyspace.misses", "Failed key lookups", x -> s.keyspace().keyspaceMisses());
        counter("quokka.expired.keys", "Keys deleted because their TTL passed", x -> s.keyspace().expiredKeys());
        counter("quokka.evicted.keys", "Keys evicted at maxmemory", x -> s.evictor().evictedKeys());
        counter("quokka.errors", "Error replies", x -> s.stats().totalErrorReplies());
        Gauge.builder("quokka.memory.used", s, x -> x.evictor().usedMemory()).baseUnit(BaseUnits.BYTES)
            .description("used_memory: the accounted size of keys, values and their indexes").register(registry);
        Gauge.builder("quokka.memory.clients", s, x -> x.clients().memory()).baseUnit(BaseUnits.BYTES)
            .description("Memory of the clients' query and output buffers (INFO mem_clients_normal)").register(registry);
        Gauge.builder("quokka.memory.max", s, x -> x.evictor().maxmemory()).baseUnit(BaseUnits.BYTES)
            .description("maxmemory (0: no limit)").register(registry);
        Gauge.builder("quokka.memory.rss", s, x -> InfoCommand.residentMemory())
            .baseUnit(BaseUnits.BYTES).description("Resident memory of the process").register(registry);
        for (int i = 0; i < s.keyspace().databases(); i++) {
            Database db = s.keyspace().db(i);
            Gauge.builder("quokka.db.keys", db, Database::size).tag("db", "db" + i)
                .description("Keys per database").register(registry);
            Gauge.builder("quokka.db.keys.expiring", db, Database::volatileCount).tag("db", "db" + i)
                .description("Keys with a TTL per database").register(registry);
        }
        gauge("quokka.replica", "1 on a replica (REPLICAOF), 0 on a primary", x -> s.upstream().replica() ? 1 : 0);
        gauge("quokka.master.link.up", "1 while a replica's link to its primary is up (INFO master_link_status)",
            x -> s.upstream().replica() && s.upstream().state() == Upstream.LinkState.CONNECTED ? 1 : 0);
        gauge("quokka.connected.replicas", "Replicas past PSYNC (INFO connected_slaves)", x -> s.primary().connectedReplicas());
        Gauge.builder("quokka.replication.offset", s, x -> x.primary().offset()).baseUnit(BaseUnits.BYTES)
            .description("The replication stream's offset (INFO master_repl_offset)").register(registry);
        AppendOnlyFile aof = s.aof();
        gauge("quokka.aof.enabled", "1 when the append-only file is on", x -> aof.state() != AppendOnlyFile.State.OFF ? 1 : 0);
        Gauge.builder("quokka.aof.current.size", aof, AppendOnlyFile::currentSize).baseUnit(BaseUnits.BYTES)
            .description("aof_current_size").register(registry);
        Gauge.builder("quokka.aof.base.size", aof, AppendOnlyFile::baseSize).baseUnit(BaseUnits.BYTES)
            .description("aof_base_size").register(registry);
        gauge("quokka.aof.rewrite.in.progress", "1 while a rewrite runs", x -> aof.rewriting() ? 1 : 0);
        gauge("quokka.aof.last.bgrewrite.status", "1 when the last rewrite succeeded", x -> "ok".equals(aof.lastRewriteStatus()) ? 1 : 0);
        gauge("quokka.aof.last.write.status", "1 when the last write succeeded, 0 while writes are refused (MISCONF)",
            x -> aof.writeError() == null ? 1 : 0);
        counter("quokka.aof.rewrites", "Rewrites completed", x -> aof.rewrites());
        counter("quokka.aof.delayed.fsync", "everysec fsyncs found still running a second later", x -> aof.delayedFsync());
        FunctionTimer.builder("quokka.aof.fsync", aof, AppendOnlyFile::fsyncs, AppendOnlyFile::fsyncNanos, TimeUnit.NANOSECONDS)
            .description("fsyncs of the append-only file and their time").register(registry);
        // Read only once the keyspace thread made the engine (the scrape thread must not make it).
        FunctionTimer.builder("quokka.scripts", s, x -> x.scriptingIfStarted() == null ? 0 : x.scriptingIfStarted().scriptsRun(),
                x -> x.scriptingIfStarted() == null ? 0 : x.scriptingIfStarted().scriptMillis(), TimeUnit.MILLISECONDS)
            .description("Scripts and functions run (EVAL, EVALSHA, FCALL and their _RO forms) and their time").register(registry);
        gauge("quokka.scripts.cached", "Scripts in EVAL's cache",
            x -> s.scriptingIfStarted() == null ? 0 : s.scriptingIfStarted().cachedScripts());
        gauge("quokka.functions", "Functions loaded",
            x -> s.scriptingIfStarted() == null ? 0 : s.scriptingIfStarted().functions().functionCount());
        gauge("quokka.functions.libraries", "Function libraries loaded",
            x -> s.scriptingIfStarted() == null ? 0 : s.scriptingIfStarted().functions().libraryCount());
        for (CommandSpec spec : commands()) {
            String cmd = spec.fullName();
            FunctionCounter.builder("quokka.commands", spec, CommandSpec::calls).tag("cmd", cmd)
                .description("Calls per command").register(registry);
            FunctionCounter.builder("quokka.commands.failed", spec, CommandSpec::failedCalls).tag("cmd", cmd)
                .description("Calls that replied an error, per command").register(registry);
            FunctionCounter.builder("quokka.commands.rejected", spec, CommandSpec::rejectedCalls).tag("cmd", cmd)
                .description("Calls refused before running (arity, OOM, MISCONF, ...), per command").register(registry);
        }
        if (prometheus.isResolvable()) {
            prometheus.get().getPrometheusRegistry().register(new LatencyHistograms(commands()));
        }
    }

    private List<CommandSpec> commands() {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandSpec spec : server.commands().all()) {
            if (spec.isContainer()) {
                all.addAll(spec.subcommands().all());
            } else {
                all.add(spec);
            }
        }
        return all;
    }

    private void gauge(String name, String description, ToDoubleFunction<Object> f) {
        Gauge.builder(name, this, f::applyAsDouble).description(description).register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<Object> f) {
        FunctionCounter.builder(name, this, f::applyAsDouble).description(description).register(registry);
    }

    private void counter(String name, String unit, String description, ToDoubleFunction<Object> f) {
        FunctionCounter.builder(name, this, f::applyAsDouble).baseUnit(unit).description(description).register(registry);
    }

    /**
     * {@code quokka_command_duration_seconds}: a Prometheus histogram per command, from the
     * buckets the dispatcher keeps (powers of two microseconds), so that recording a call costs
     * one array increment on the event loop rather than a Micrometer timer.
     */
    static final class LatencyHistograms extends Collector {
        private final List<CommandSpec> commands;

        LatencyHistograms(List<CommandSpec> commands) {
            this.commands = commands;
        }

        @Override
        public List<MetricFamilySamples> collect() {
            List<MetricFamilySamples.Sample> samples = new ArrayList<>();
            String name = "quokka_command_duration_seconds";
            for (CommandSpec spec : commands) {
                long[] b = spec.latencyBuckets();
                long total = 0;
                for (long n : b) {
                    total += n;
                }
                if (total == 0) {
                    continue;
                }
                List<String> labels = List.of("cmd", "le");
                long cumulative = 0;
                for (int i = 0; i < b.length; i++) {
                    cumulative += b[i];
                    String le = i == b.length - 1 ? "+Inf" : Collector.doubleToGoString((1L << i) / 1e6);
                    samples.add(new MetricFamilySamples.Sample(name + "_bucket", labels, List.of(spec.fullName(), le), cumulative));
                }
                samples.add(new MetricFamilySamples.Sample(name + "_count", List.of("cmd"), List.of(spec.fullName()), total));
                samples.add(new MetricFamilySamples.Sample(name + "_sum", List.of("cmd"), List.of(spec.fullName()),
                    spec.nanos() / 1e9));
            }
            return List.of(new MetricFamilySamples(name, Type.HISTOGRAM,
                "Command execution time on the keyspace context, per command", samples));
        }
    }
}
