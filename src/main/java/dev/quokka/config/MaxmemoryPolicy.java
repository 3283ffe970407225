package dev.quokka.config;

/** {@code maxmemory-policy}: Redis's eight policies (in its order of choices), then Quokka's SIEVE ones. */
public enum MaxmemoryPolicy {
    VOLATILE_LRU, VOLATILE_LFU, VOLATILE_RANDOM, VOLATILE_TTL, ALLKEYS_LRU, ALLKEYS_LFU, ALLKEYS_RANDOM, NOEVICTION,
    ALLKEYS_SIEVE, VOLATILE_SIEVE;

    /** Whether only keys with a TTL may be evicted. */
    public boolean volatileOnly() {
        return name().startsWith("VOLATILE");
    }
}
