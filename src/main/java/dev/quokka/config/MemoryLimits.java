package dev.quokka.config;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How {@code maxmemory} relates to the JVM heap, decided once at start (docs/eviction.md).
 * {@code maxmemory} limits the accounted size of the dataset, which lives in the heap, and the
 * collector needs room beyond the live data; half the heap leaves it that room.
 *
 * <ul>
 * <li>Not set, in a container with a memory limit (Kubernetes, Docker, Podman): half the JVM's
 *     maximum heap, so that the pod evicts keys instead of being OOM-killed.</li>
 * <li>Not set elsewhere: 0 (no limit, as Redis), with a warning that the heap is then the limit.</li>
 * <li>Set above 75% of the heap: a warning that the heap may fill before eviction starts.</li>
 * </ul>
 */
public final class MemoryLimits {
    private static final Logger LOG = Logger.getLogger(MemoryLimits.class);

    private MemoryLimits() {
    }

    /** Applies the container default when {@code maxmemory} was not given, and warns of a missing or risky limit. */
    public static void apply(ServerConfig config, boolean explicit) {
        long heap = Runtime.getRuntime().maxMemory();
        long limit = containerLimit();
        if (!explicit && limit > 0) {
            long chosen = heap / 2;
            config.setInternally(Settings.MAXMEMORY, Long.toString(chosen));
            LOG.infof("maxmemory is not set and Quokka runs in a container limited to %d MB: maxmemory set to %d MB, "
                + "half the JVM heap of %d MB", limit >> 20, chosen >> 20, heap >> 20);
            return;
        }
        long max = config.get(Settings.MAXMEMORY);
        if (max == 0 && !explicit) {
            // "maxmemory 0" given is a choice (Redis's default, said aloud): no warning then.
            LOG.warnf("maxmemory is not set: no key is evicted and the dataset can grow until the JVM heap (%d MB) is "
                + "full, when commands fail. To use Quokka as a cache, set maxmemory to at most half the heap (%d MB).",
                heap >> 20, heap >> 21);
        } else if (max > heap / 4 * 3) {
            LOG.warnf("maxmemory (%d MB) is more than 75%% of the JVM heap (%d MB): the heap can fill up before eviction "
                + "starts. Give the JVM more heap (-Xmx, or the container more memory) or lower maxmemory.",
                max >> 20, heap >> 20);
        }
    }

    /** The memory limit of this process's container in bytes, or 0 when it is not in a limited container. */
    static long containerLimit() {
        boolean container = System.getenv("KUBERNETES_SERVICE_HOST") != null || Files.exists(Path.of("/.dockerenv"))
            || Files.exists(Path.of("/run/.containerenv"));
        if (!container) {
            return 0;
        }
        for (String f : new String[] {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
            try {
                String v = Files.readString(Path.of(f)).trim();
                if (!v.equals("max")) {
                    long n = Long.parseLong(v);
                    if (n > 0 && n < (1L << 60)) {
                        return n;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not this cgroup version
            }
        }
        return 0;
    }
}
