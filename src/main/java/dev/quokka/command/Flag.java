package dev.quokka.command;

import java.util.Locale;

/** Command flags, as Redis 7.0 names them in COMMAND INFO, in its order. */
public enum Flag {
    WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE, SKIP_MONITOR, SKIP_SLOWLOG,
    ASKING, FAST, NO_AUTH, MAY_REPLICATE, SENTINEL, ONLY_SENTINEL, NO_MANDATORY_KEYS, PROTECTED, MODULE_GETKEYS,
    MODULE_NO_CLUSTER, NO_ASYNC_LOADING, NO_MULTI, MOVABLE_KEYS, ALLOW_BUSY, MODULE_GETCHANNELS;

    /** The bit of this flag in {@link CommandSpec}'s flag word. */
    final int bit = 1 << ordinal();

    /** The name COMMAND INFO shows ({@code denyoom}, {@code skip_slowlog}, {@code movablekeys}). */
    public String wireName() {
        return this == MOVABLE_KEYS ? "movablekeys" : name().toLowerCase(Locale.ROOT);
    }

    /** Whether COMMAND INFO shows it: Redis 7.0 leaves out its sentinel and protected flags. */
    public boolean shown() {
        return this != SENTINEL && this != ONLY_SENTINEL && this != PROTECTED && this != MAY_REPLICATE;
    }
}
