package dev.quokka.ops;

import dev.quokka.command.Server;
import dev.quokka.persistence.AofLoader;
import dev.quokka.persistence.AppendOnlyFile;
import dev.quokka.replication.Upstream;
import dev.quokka.server.RespServer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Startup and readiness as the dataset sees them: DOWN while the append-only file is replayed
 * (clients get -LOADING), and readiness DOWN while writes are refused because the AOF cannot be
 * written (-MISCONF). Each response says why in its data. Reads racy snapshots of state owned
 * by the keyspace context, which is enough for a probe.
 */
public final class DatasetHealth {
    private DatasetHealth() {
    }

    static HealthCheckResponseBuilder loading(Server server, String name) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name);
        if (!server.keyspace().loading()) {
            return b.up().withData("loading", false);
        }
        b.down().withData("loading", true);
        Server.LoadProgress other = server.loadProgress();
        AofLoader l = server.aof().loader();
        if (other != null) {
            b.withData("loaded_bytes", other.loadedBytes().getAsLong()).withData("total_bytes", other.totalBytes());
        } else if (l != null && l.totalBytes() > 0) {
            b.withData("loaded_bytes", l.loadedBytes()).withData("total_bytes", l.totalBytes());
        }
        return b;
    }

    /** Startup: the listener is bound and the AOF has been loaded. */
    @Startup
    @ApplicationScoped
    public static class Loaded implements HealthCheck {
        @Inject
        Server server;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = loading(server, "dataset loaded");
            return (server.port() == 0 ? b.down() : b).withData("port", server.port()).build();
        }
    }

    /** Liveness: the keyspace context runs a no-op within a deadline (a stuck event loop fails it). */
    @Liveness
    @ApplicationScoped
    public static class Responsive implements HealthCheck {
        static final long DEADLINE_MS = 5000;

        @Inject
        RespServer resp;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("keyspace context responsive");
            io.vertx.core.Context ctx = resp.context();
            if (ctx == null) {
                return b.up().withData("reason", "not started yet").build();
            }
            long start = System.nanoTime();
            CompletableFuture<Void> ran = new CompletableFuture<>();
            ctx.runOnContext(v -> ran.complete(null));
            try {
                ran.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
                return b.up().withData("no_op_micros", (System.nanoTime() - start) / 1000).build();
            } catch (TimeoutException e) {
                return b.down().withData("reason", "a no-op did not run on the keyspace context within " + DEADLINE_MS + " ms")
                    .build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return b.down().withData("reason", "interrupted").build();
            } catch (ExecutionException e) {
                return b.down().withData("reason", e.toString()).build();
            }
        }
    }

    /**
     * Readiness: commands are served and writes accepted; a replica is ready only while its link
     * to the primary is up (it has the primary's data and follows its stream), not while it
     * connects or loads a full resync.
     */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        Server server;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = loading(server, "accepting commands");
            AppendOnlyFile aof = server.aof();
            String err = aof.writeError();
            if (err != null) {
                b.down().withData("aof_last_write_status", "err").withData("misconf", err);
            } else {
                b.withData("aof_enabled", aof.state() != AppendOnlyFile.State.OFF);
            }
            Upstream u = server.upstream();
            if (u.replica()) {
                boolean up = u.state() == Upstream.LinkState.CONNECTED;
                b.withData("role", "replica").withData("master_link_status", up ? "up" : "down")
                    .withData("master_link_state", u.state().role);
                if (!up) {
                    b.down();
                }
            } else {
                b.withData("role", "master");
            }
            return b.build();
        }
    }
}
