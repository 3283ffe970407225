package dev.quokka.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * The group commit's turn (ARCHITECTURE invariant 5): batches of replies held until the effects
 * before them are written (and, under {@code always}, fsynced) at the end of the event-loop turn,
 * and the scheduling of that turn end, once per turn, however many effects and batches join it.
 */
final class ReplyGate {
    /**
     * A batch of replies waiting for the effects before it. {@code own}: its connection appended
     * effects in it or has earlier batches held.
     */
    private record Held(Runnable release, boolean own) {
    }

    private final List<Held> held = new ArrayList<>();
    private boolean turnScheduled;
    private Runnable turnScheduler = () -> { };

    /** How the end of the turn is reached: {@code turnScheduler} runs the AOF's turn end after the current event. */
    void attach(Runnable turnScheduler) {
        this.turnScheduler = turnScheduler;
    }

    /** Asks for the turn end, once per turn. */
    void scheduleTurn() {
        if (!turnScheduled) {
            turnScheduled = true;
            turnScheduler.run();
        }
    }

    /** The turn end runs: the next effect or batch asks for another. */
    void turnEnded() {
        turnScheduled = false;
    }

    /** Keeps a batch of replies for the turn end. */
    void hold(Runnable release, boolean own) {
        held.add(new Held(release, own));
        scheduleTurn();
    }

    /** Whether any batch waits. */
    boolean holding() {
        return !held.isEmpty();
    }

    /** The effects are durable: every held batch goes out, in order. */
    void releaseAll() {
        if (held.isEmpty()) {
            return;
        }
        List<Held> go = new ArrayList<>(held);
        held.clear();
        for (Held h : go) {
            h.release().run();
        }
    }

    /**
     * After a failed write: the held batches of connections that wrote nothing go out, as the
     * batches that come after the failure do; a read held just before the write failed must not
     * wait for the disk to be freed. Batches with their own effects wait.
     */
    void releaseReads() {
        List<Held> go = new ArrayList<>();
        for (Held h : held) {
            if (!h.own()) {
                go.add(h);
            }
        }
        held.removeIf(h -> !h.own());
        for (Held h : go) {
            h.release().run();
        }
    }
}
