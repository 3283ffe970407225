package dev.quokka.acl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * ACL LOG: the newest denials first, at most {@code acllog-max-len}; a denial like one of the ten
 * newest (same reason, context, object and user, within 60 s) counts into that entry and moves
 * it to the front, as Redis's addACLLogEntry groups them.
 */
public final class AclLog {
    /** What was denied. */
    public enum Reason { COMMAND, KEY, CHANNEL, AUTH }

    /** Where: a client's request, a queued command at EXEC, or redis.call in a script. */
    public enum Context { TOPLEVEL, MULTI, LUA }

    /** One entry; {@code clientInfo} is the client's CLIENT LIST line at the latest denial. */
    public static final class Entry {
        public final Reason reason;
        public final Context context;
        public final String object;
        public final String username;
        public long count = 1;
        public long millis;
        public String clientInfo;

        Entry(Reason reason, Context context, String object, String username, long millis, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.millis = millis;
            this.clientInfo = clientInfo;
        }
    }

    private static final long GROUPING_MILLIS = 60_000;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public void add(Reason reason, Context context, String object, String username, String clientInfo, long maxLen) {
        long now = System.currentTimeMillis();
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < 10; scanned++) {
            Entry e = it.next();
            if (e.reason == reason && e.context == context && Math.abs(e.millis - now) <= GROUPING_MILLIS
                && e.object.equals(object) && e.username.equals(username)) {
                it.remove();
                e.count++;
                e.millis = now;
                e.clientInfo = clientInfo;
                entries.addFirst(e);
                return;
            }
        }
        entries.addFirst(new Entry(reason, context, object, username, now, clientInfo));
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public void reset() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
