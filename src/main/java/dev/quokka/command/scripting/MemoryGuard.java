package dev.quokka.command.scripting;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Stops a script that holds on to more and more of the heap before the JVM runs out (a Lua
 * interpreter in C would fail its allocation with "not enough memory"): the heap pools' usage
 * after the last collection, which garbage does not inflate, against their maximum.
 */
final class MemoryGuard {
    /** The share of the heap, after a collection, past which a running script is stopped. */
    static final double LIMIT = 0.85;

    private static final MemoryPoolMXBean[] POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
        .toArray(MemoryPoolMXBean[]::new);

    private MemoryGuard() {
    }

    /** At most one collection asked for in this time. */
    private static final long COLLECTION_INTERVAL_NANOS = 200_000_000L;
    /** When the guard last asked for a full collection (System.nanoTime; scripts run on one thread). */
    private static long lastCollection = System.nanoTime() - COLLECTION_INTERVAL_NANOS;
    /** Whether a script was stopped since that collection (what it held is garbage now). */
    private static boolean stoppedSinceCollection;

    static boolean scriptOverLimit() {
        // The heap in use now, garbage included, is cheap to read and bounds the figure after a
        // collection: the pools are asked only when it is over the limit.
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() - rt.freeMemory() <= LIMIT * rt.maxMemory()) {
            return false;
        }
        if (!overAfterCollection()) {
            return false;
        }
        // G1 updates its old generation's figure only when it collects that generation: after a
        // script that filled the heap was stopped, the figure still counts what it held, garbage
        // now, and every script would be stopped until a collection happened to run. So before
        // stopping one, a full collection makes the figure true: always after a stop, else at
        // most once per interval (a script that stays near the limit is judged on the figure of
        // the last one).
        long now = System.nanoTime();
        if (stoppedSinceCollection || now - lastCollection >= COLLECTION_INTERVAL_NANOS) {
            lastCollection = now;
            stoppedSinceCollection = false;
            System.gc();
            if (!overAfterCollection()) {
                return false;
            }
        }
        stoppedSinceCollection = true;
        return true;
    }

    /**
     * A script ran out of the heap itself (an OutOfMemoryError, before the guard saw it over the
     * limit): what it held is garbage now, as after a stop, so the next check collects first.
     * Without this, a script that met the check within the interval of the guard's last
     * collection was judged on the figure the failed one left, and refused.
     */
    static void scriptRanOut() {
        stoppedSinceCollection = true;
    }

    private static boolean overAfterCollection() {
        long used = 0;
        for (MemoryPoolMXBean p : POOLS) {
            MemoryUsage u = p.getCollectionUsage();
            if (u != null) {
                used += u.getUsed();
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        return max > 0 && used > LIMIT * max;
    }
}
