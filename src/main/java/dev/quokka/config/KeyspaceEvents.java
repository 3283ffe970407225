package dev.quokka.config;

/**
 * Keyspace notification classes ({@code notify-keyspace-events}) with Redis's flag letters and
 * its canonical spelling for CONFIG GET.
 */
public final class KeyspaceEvents {
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 13;
    public static final int NEW = 1 << 14;
    /** What 'A' stands for: every class but key-miss and new. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private KeyspaceEvents() {
    }

    /** Redis's {@code keyspaceEventsStringToFlags}: -1 on an unknown letter. */
    public static int parse(String s) {
        int flags = 0;
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case 'A' -> flags |= ALL;
                case 'g' -> flags |= GENERIC;
                case '$' -> flags |= STRING;
                case 'l' -> flags |= LIST;
                case 's' -> flags |= SET;
                case 'h' -> flags |= HASH;
                case 'z' -> flags |= ZSET;
                case 'x' -> flags |= EXPIRED;
                case 'e' -> flags |= EVICTED;
                case 'K' -> flags |= KEYSPACE;
                case 'E' -> flags |= KEYEVENT;
                case 't' -> flags |= STREAM;
                case 'm' -> flags |= KEY_MISS;
                case 'd' -> flags |= MODULE;
                case 'n' -> flags |= NEW;
                default -> {
                    return -1;
                }
            }
        }
        return flags;
    }

    /** Redis's {@code keyspaceEventsFlagsToString}. */
    public static String format(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & ALL) == ALL) {
            sb.append('A');
        } else {
            char[] letters = {'g', '$', 'l', 's', 'h', 'z', 'x', 'e', 't', 'd'};
            int[] bits = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE};
            for (int i = 0; i < bits.length; i++) {
                if ((flags & bits[i]) != 0) {
                    sb.append(letters[i]);
                }
            }
        }
        if ((flags & NEW) != 0) {
            sb.append('n');
        }
        if ((flags & KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }

    /** Where notifications go (pub/sub). */
    @FunctionalInterface
    public interface Sink {
        void publish(byte[] channel, byte[] message);
    }
}
