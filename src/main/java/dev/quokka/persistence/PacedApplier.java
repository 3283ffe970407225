package dev.quokka.persistence;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * An applier whose batches run on the keyspace context while the reading thread goes on, at most
 * eight batches ahead of it, so that a load's memory stays bounded and other work on the context
 * (clients answered -LOADING, timers) gets turns between batches.
 */
public abstract class PacedApplier implements AofLoader.Applier {
    private static final int IN_FLIGHT = 8;
    private final Executor context;
    private final Semaphore permits = new Semaphore(IN_FLIGHT);

    protected PacedApplier(Executor context) {
        this.context = context;
    }

    /** Runs {@code batch} on the context once fewer than eight batches are waiting there. */
    protected final void paced(Runnable batch) throws InterruptedException {
        permits.acquire();
        context.execute(() -> {
            try {
                batch.run();
            } finally {
                permits.release();
            }
        });
    }

    @Override
    public void await() throws InterruptedException {
        permits.acquire(IN_FLIGHT);
        permits.release(IN_FLIGHT);
    }
}
