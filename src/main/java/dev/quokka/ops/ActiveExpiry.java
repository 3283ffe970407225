package dev.quokka.ops;

import dev.quokka.command.Server;
import dev.quokka.config.Settings;
import dev.quokka.server.RespServer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Runs the active expiry cycle every 1000/hz ms on the keyspace context, each run using at most
 * 25% of the period (Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC). {@code CONFIG SET hz}
 * reschedules it.
 *
 * <p>Why a Vert.x timer and not {@code @Scheduled}: Quarkus's simple scheduler checks its
 * triggers once a second and warns that "an every() value less than 1000 ms is not supported",
 * while Redis's default hz of 10 needs a 100 ms period. A periodic timer created on the keyspace
 * context also fires on that context, so the cycle needs no hand-off.
 */
@Singleton
public class ActiveExpiry {
    @Inject
    Vertx vertx;

    @Inject
    Server server;

    @Inject
    RespServer resp;

    private volatile long timerId = -1;

    /** After {@link RespServer} (default priority 2500) has created the keyspace context. */
    void start(@Observes @Priority(3000) StartupEvent ev) {
        schedule(server.config().getInt(Settings.HZ));
        server.config().onChange(Settings.HZ, v -> schedule(v.intValue()));
    }

    void stop(@Observes ShutdownEvent ev) {
        cancel();
    }

    private synchronized void schedule(int hz) {
        cancel();
        long periodMs = Math.max(1, 1000 / hz);
        long budgetMicros = periodMs * 1000 / 4;
        resp.context().runOnContext(v ->
            timerId = vertx.setPeriodic(periodMs, id -> {
                if (server.busyScript() != null) {
                    return; // a long script holds the keyspace; its hook runs timers meanwhile
                }
                if (!server.upstream().replica()) {
                    long start = System.nanoTime();
                    server.keyspace().activeExpireCycle(budgetMicros);
                    server.latency().sample("expire-cycle", (System.nanoTime() - start) / 1_000_000,
                        server.config().get(Settings.LATENCY_MONITOR_THRESHOLD));
                } else {
                    // A replica leaves expiry to its primary, whose DELs arrive in the stream (as Redis's),
                    // but for keys its own clients gave a TTL (a writable replica).
                    server.keyspace().expireReplicaKeys();
                }
                server.tracking().limit(server.config().get(Settings.TRACKING_TABLE_MAX_KEYS));
                server.tracking().broadcastPending(); // BCAST invalidations of keys that expired
                if (server.evicting()) {
                    server.evictor().evictPending();
                }
                // Output drains without telling: the clients' memory is recorded again, then held to its limit.
                server.clients().refreshMemory();
                server.evictClients();
                server.migrateSockets().closeIdle();
            }));
    }

    private void cancel() {
        long id = timerId;
        if (id >= 0) {
            vertx.cancelTimer(id);
            timerId = -1;
        }
    }
}
