package dev.quokka.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one stream of effects (ARCHITECTURE invariant 11): what commands changed, in the canonical
 * forms of {@link Effects}, in execution order, to every consumer (the AOF, the replication
 * backlog). A command's effects are gathered while it runs and handed on when it ends, wrapped in
 * MULTI/EXEC when there is more than one (Redis's also-propagate), or dropped when an Error ends it.
 * Each consumer tracks its own selected database.
 */
public final class EffectsStream {
    /** A consumer of effects. */
    public interface Sink {
        /** Whether this consumer records effects now (the AOF when on, replication with a backlog). */
        boolean active();

        /** One command of the stream, in database {@code db}. */
        void command(int db, byte[][] argv);
    }

    private final List<Sink> sinks = new ArrayList<>();
    private boolean inCommand;
    private final List<byte[][]> ops = new ArrayList<>();
    private final List<Integer> opDbs = new ArrayList<>();

    public void add(Sink sink) {
        sinks.add(sink);
    }

    /** Whether anyone records effects: commands may skip building effects nobody records. */
    public boolean active() {
        for (Sink s : sinks) {
            if (s.active()) {
                return true;
            }
        }
        return false;
    }

    /** A command starts: effects propagated until {@link #endCommand} belong to it. */
    public void beginCommand() {
        inCommand = true;
    }

    /**
     * A command ended: when it changed the dataset its effect ({@code effect}, or argv when
     * null) joins the effects it caused (expired keys' DELs), and they are handed on, wrapped in
     * MULTI/EXEC when there is more than one.
     */
    public void endCommand(int db, byte[][] argv, int argc, byte[][] effect, boolean changed) {
        inCommand = false;
        if (changed) {
            ops.add(effect != null ? effect : Arrays.copyOf(argv, argc));
            opDbs.add(db);
        }
        int n = ops.size();
        if (n == 1) {
            emit(opDbs.get(0), ops.get(0));
        } else if (n > 1) {
            emit(opDbs.get(0), new byte[][] {Effects.MULTI});
            for (int i = 0; i < n; i++) {
                emit(opDbs.get(i), ops.get(i));
            }
            emit(opDbs.get(n - 1), new byte[][] {Effects.EXEC});
        }
        ops.clear();
        opDbs.clear();
    }

    /** A command ended by an Error: the effects gathered for it are dropped. */
    public void abortCommand() {
        inCommand = false;
        ops.clear();
        opDbs.clear();
    }

    /** An effect outside the command's own (a deleted expired key); alone when no command runs. */
    public void propagate(int db, byte[][] argv) {
        if (inCommand) {
            ops.add(argv);
            opDbs.add(db);
        } else if (active()) {
            emit(db, argv);
        }
    }

    private void emit(int db, byte[][] argv) {
        for (Sink s : sinks) {
            if (s.active()) {
                s.command(db, argv);
            }
        }
    }
}
