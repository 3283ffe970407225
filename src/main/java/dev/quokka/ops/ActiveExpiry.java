package dev.quokka.ops;

import dev.quokka.server.RespServer;
import dev.quokka.server.ServerContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Triggers the active expiry cycle every 1000/hz ms from the Quarkus scheduler; the cycle itself
 * runs on the keyspace context. Each run may use up to 25% of the period (Redis's
 * ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC). {@code CONFIG SET hz} reschedules it.
 */
@Singleton
public class ActiveExpiry {
    private static final String JOB = "quokka-active-expiry";

    @Inject
    Scheduler scheduler;

    @Inject
    ServerContext server;

    @Inject
    RespServer resp;

    /** Skips a trigger while the previous cycle is still queued or running. */
    private final AtomicBoolean pending = new AtomicBoolean();

    void start(@Observes @Priority(2000) StartupEvent ev) {
        schedule(server.config().getInt("hz"));
        server.config().onChange("hz", v -> schedule(Integer.parseInt(v)));
    }

    void stop(@Observes ShutdownEvent ev) {
        scheduler.unscheduleJob(JOB);
    }

    private synchronized void schedule(int hz) {
        scheduler.unscheduleJob(JOB);
        long periodMs = Math.max(1, 1000 / hz);
        long budgetMicros = periodMs * 1000 / 4;
        scheduler.newJob(JOB)
            .setInterval(periodMs + "ms")
            .setTask(execution -> trigger(budgetMicros))
            .schedule();
    }

    private void trigger(long budgetMicros) {
        if (resp.context() == null || !pending.compareAndSet(false, true)) {
            return;
        }
        resp.context().runOnContext(v -> {
            try {
                server.keyspace().activeExpireCycle(budgetMicros);
            } finally {
                pending.set(false);
            }
        });
    }
}
