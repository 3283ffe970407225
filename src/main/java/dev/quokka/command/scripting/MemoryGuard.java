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

    static boolean scriptOverLimit() {
        // The heap in use now, garbage included, is cheap to read and bounds the figure after a
        // collection: the pools are asked only when it is over the limit.
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() - rt.freeMemory() <= LIMIT * rt.maxMemory()) {
            return false;
        }
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
