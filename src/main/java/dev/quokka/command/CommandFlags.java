package dev.quokka.command;

import java.util.ArrayList;
import java.util.List;

/** Command flags, as Redis 7.0 names them in COMMAND INFO. */
public final class CommandFlags {
    public static final int WRITE = 1;
    public static final int READONLY = 1 << 1;
    public static final int DENYOOM = 1 << 2;
    public static final int ADMIN = 1 << 3;
    public static final int PUBSUB = 1 << 4;
    public static final int NOSCRIPT = 1 << 5;
    public static final int BLOCKING = 1 << 6;
    public static final int LOADING = 1 << 7;
    public static final int STALE = 1 << 8;
    public static final int SKIP_MONITOR = 1 << 9;
    public static final int SKIP_SLOWLOG = 1 << 10;
    public static final int FAST = 1 << 11;
    public static final int NO_AUTH = 1 << 12;
    public static final int MAY_REPLICATE = 1 << 13;
    public static final int NO_MULTI = 1 << 14;
    public static final int ALLOW_BUSY = 1 << 15;
    public static final int SENTINEL = 1 << 16;
    public static final int ONLY_SENTINEL = 1 << 17;
    public static final int NO_MANDATORY_KEYS = 1 << 18;
    public static final int NO_ASYNC_LOADING = 1 << 19;

    private static final String[] NAMES = {
        "write", "readonly", "denyoom", "admin", "pubsub", "noscript", "blocking", "loading", "stale",
        "skip_monitor", "skip_slowlog", "fast", "no_auth", "may_replicate", "no_multi", "allow_busy",
        "sentinel", "only_sentinel", "no_mandatory_keys", "no_async_loading",
    };

    private CommandFlags() {
    }

    /** Parses a blank-separated list of flag names. */
    public static int parse(String names) {
        int flags = 0;
        for (String n : names.trim().split("\\s+")) {
            if (n.isEmpty()) {
                continue;
            }
            int i = List.of(NAMES).indexOf(n);
            if (i < 0) {
                throw new IllegalArgumentException("unknown command flag " + n);
            }
            flags |= 1 << i;
        }
        return flags;
    }

    /** The names of the flags set, in Redis's order. */
    public static List<String> names(int flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }
}
