package dev.quokka.acl;

import dev.quokka.keyspace.Glob;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One set of permissions of a user (Redis 7.0's aclSelector): the commands it may run (a bit per
 * command id, {@code +@all}'s "future commands" bit, first arguments allowed of otherwise denied
 * commands), the key patterns with their read/write flags, and the channel patterns. A user has a
 * root selector and any number of {@code (...)} selectors; a request is allowed when one of them
 * allows it whole.
 */
public final class Selector {
    /** A key pattern and what it grants: {@link #READ}, {@link #WRITE} or both ({@code ~}). */
    public record KeyPattern(byte[] pattern, int flags, int prefix) {
        public KeyPattern(byte[] pattern, int flags) {
            this(pattern, flags, prefixLength(pattern));
        }

        /** As ACL LIST writes it: {@code ~p}, {@code %R~p} or {@code %W~p}. */
        public String describe() {
            String p = new String(pattern, java.nio.charset.StandardCharsets.ISO_8859_1);
            return (flags == (READ | WRITE) ? "~" : flags == READ ? "%R~" : "%W~") + p;
        }

        /** Whether the key matches: a {@code prefix*} pattern by comparing bytes, any other by glob. */
        boolean matches(byte[] key) {
            if (prefix < 0) {
                return Glob.match(pattern, key, false);
            }
            return key.length >= prefix && Arrays.equals(pattern, 0, prefix, key, 0, prefix);
        }

        /** The length of a literal prefix followed by one final '*', or -1 for any other pattern. */
        private static int prefixLength(byte[] p) {
            if (p.length == 0 || p[p.length - 1] != '*') {
                return -1;
            }
            for (int i = 0; i < p.length - 1; i++) {
                byte c = p[i];
                if (c == '*' || c == '?' || c == '[' || c == '\\') {
                    return -1;
                }
            }
            return p.length - 1;
        }
    }

    public static final int READ = 1;
    public static final int WRITE = 2;

    final boolean root;
    /** Allowed command ids; the bit past the last id is {@code +@all}'s (Redis's reserved bit). */
    long[] commands;
    /** Set by {@code +@all}, cleared when any command is taken away: no command bit needs testing. */
    boolean allCommands;
    boolean allKeys;
    boolean allChannels;
    final List<KeyPattern> keys = new ArrayList<>();
    final List<byte[]> channels = new ArrayList<>();
    /** Allowed first arguments of otherwise denied commands, by command id (lower-case words). */
    Map<Integer, List<String>> firstArgs;

    Selector(boolean root, int commandCount, boolean allChannels) {
        this.root = root;
        this.commands = new long[(commandCount + 1 + 63) / 64];
        this.allChannels = allChannels;
    }

    Selector copy() {
        Selector s = new Selector(root, 0, allChannels);
        s.commands = commands.clone();
        s.allCommands = allCommands;
        s.allKeys = allKeys;
        s.keys.addAll(keys);
        s.channels.addAll(channels);
        if (firstArgs != null) {
            s.firstArgs = new HashMap<>();
            firstArgs.forEach((k, v) -> s.firstArgs.put(k, new ArrayList<>(v)));
        }
        return s;
    }

    /** An empty selector with room for the same commands (for working out a description). */
    public Selector scratch() {
        Selector s = new Selector(false, 0, false);
        s.commands = new long[commands.length];
        return s;
    }

    public boolean isRoot() {
        return root;
    }

    public boolean allCommands() {
        return allCommands;
    }

    public boolean allKeys() {
        return allKeys;
    }

    public boolean allChannels() {
        return allChannels;
    }

    public List<KeyPattern> keys() {
        return keys;
    }

    public List<byte[]> channels() {
        return channels;
    }

    // ---- commands (bits by id; the command layer knows which id is which command) ----

    public boolean command(int id) {
        return (commands[id >>> 6] & (1L << id)) != 0;
    }

    /** Allows or denies one command id; denying clears {@link #allCommands}, and either forgets its first arguments. */
    public void command(int id, boolean allow) {
        if (allow) {
            commands[id >>> 6] |= 1L << id;
        } else {
            commands[id >>> 6] &= ~(1L << id);
            allCommands = false;
        }
        if (firstArgs != null) {
            firstArgs.remove(id);
        }
    }

    /** {@code +@all} (every bit, the future-commands bit included) or {@code -@all}. */
    public void allCommands(boolean allow) {
        Arrays.fill(commands, allow ? -1L : 0L);
        allCommands = allow;
        firstArgs = null;
    }

    /** Whether {@code +@all} was given and not undone by {@code -@all}: commands added later are allowed. */
    public boolean futureCommands() {
        int bit = commands.length * 64 - 1;
        return (commands[bit >>> 6] & (1L << bit)) != 0;
    }

    public long[] commandBits() {
        return commands;
    }

    /** {@code +cmd|arg} of a command without subcommands. */
    public void allowFirstArg(int id, String arg) {
        if (firstArgs == null) {
            firstArgs = new HashMap<>();
        }
        List<String> l = firstArgs.computeIfAbsent(id, k -> new ArrayList<>());
        for (String a : l) {
            if (a.equalsIgnoreCase(arg)) {
                return;
            }
        }
        l.add(arg);
    }

    public List<String> firstArgs(int id) {
        return firstArgs == null ? List.of() : firstArgs.getOrDefault(id, List.of());
    }

    // ---- keys and channels ----

    public void allKeys(boolean all) {
        allKeys = all;
        keys.clear();
    }

    /** Adds a pattern (or widens an equal one's flags); false when {@code allkeys} is set (Redis's EEXIST). */
    public boolean addKey(byte[] pattern, int flags) {
        if (allKeys) {
            return false;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (Arrays.equals(keys.get(i).pattern(), pattern)) {
                keys.set(i, new KeyPattern(pattern, keys.get(i).flags() | flags));
                return true;
            }
        }
        keys.add(new KeyPattern(pattern, flags));
        return true;
    }

    public void allChannels(boolean all) {
        allChannels = all;
        channels.clear();
    }

    /** Adds a channel pattern once; false when {@code allchannels} is set (Redis's EISDIR). */
    public boolean addChannel(byte[] pattern) {
        if (allChannels) {
            return false;
        }
        for (byte[] c : channels) {
            if (Arrays.equals(c, pattern)) {
                return true;
            }
        }
        channels.add(pattern);
        return true;
    }

    /** Whether a key may be used with these needs ({@link #READ}, {@link #WRITE}): ACLSelectorCheckKey. */
    public boolean key(byte[] key, int needs) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern p : keys) {
            if ((p.flags() & needs) == needs && p.matches(key)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code *} is granted with these needs (Redis's ACLSelectorHasUnrestrictedKeyAccess). */
    public boolean everyKey(int needs) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern p : keys) {
            if ((p.flags() & needs) == needs && p.pattern().length == 1 && p.pattern()[0] == '*') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a channel may be used: a channel name is matched against the patterns; a pattern
     * (PSUBSCRIBE's) only equals one literally (ACLCheckChannelAgainstList).
     */
    public boolean channel(byte[] channel, boolean isPattern) {
        if (allChannels) {
            return true;
        }
        for (byte[] p : channels) {
            if (isPattern ? Arrays.equals(p, channel) : Glob.match(p, channel, false)) {
                return true;
            }
        }
        return false;
    }
}
