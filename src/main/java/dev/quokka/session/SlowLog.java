package dev.quokka.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Redis's slow log ({@code slowlog.c}): the commands that ran for at least
 * {@code slowlog-log-slower-than} microseconds, newest first, at most {@code slowlog-max-len} of
 * them; each keeps at most 32 arguments (the last says how many more there were) of at most 128
 * bytes (with how many more), the client's address and name. Keyspace context only.
 */
public final class SlowLog {
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;

    /** One logged command. */
    public record Entry(long id, long time, long micros, byte[][] args, String peer, String name) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    /**
     * Redis's slowlogPushEntryIfNeeded: logs the command if it took {@code micros} or more than
     * {@code slowerThan} (negative: the log is off), then drops the oldest beyond {@code maxLen}.
     */
    public void record(Client c, byte[][] argv, int argc, long micros, long slowerThan, long maxLen) {
        if (slowerThan < 0) {
            return;
        }
        if (micros >= slowerThan) {
            int n = Math.min(argc, MAX_ARGC);
            byte[][] args = new byte[n][];
            for (int j = 0; j < n; j++) {
                if (n != argc && j == n - 1) {
                    args[j] = ("... (" + (argc - n + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
                } else if (argv[j].length > MAX_STRING) {
                    byte[] suffix = ("... (" + (argv[j].length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                    byte[] a = new byte[MAX_STRING + suffix.length];
                    System.arraycopy(argv[j], 0, a, 0, MAX_STRING);
                    System.arraycopy(suffix, 0, a, MAX_STRING, suffix.length);
                    args[j] = a;
                } else {
                    args[j] = argv[j];
                }
            }
            entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, args, c.addr(),
                c.name() == null ? "" : c.name()));
        }
        trim(maxLen);
    }

    /** Drops the oldest entries beyond {@code maxLen} (after each command, as Redis's push does). */
    public void trim(long maxLen) {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (count-- > 0 && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    public int size() {
        return entries.size();
    }

    public void reset() {
        entries.clear();
    }
}
