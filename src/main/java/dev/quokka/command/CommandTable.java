package dev.quokka.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Commands by name, found from the request's bytes without building a String: an
 * open-addressing table keyed by a case-insensitive hash of the name.
 */
public final class CommandTable {
    private CommandSpec[] slots = new CommandSpec[64];
    /** The name each slot's command is found by: its own, or what rename-command gave it. */
    private byte[][] keys = new byte[64][];
    /** Commands renamed (to a new name) or removed (to an empty one) by rename-command. */
    private final java.util.Map<CommandSpec, byte[]> renamed = new java.util.HashMap<>();
    private final List<CommandSpec> all = new ArrayList<>();
    private final List<CommandSpec> byId = new ArrayList<>();

    /** Declares a top-level command; chain the returned spec's declaration methods. */
    public CommandSpec add(String name, int arity, CommandHandler handler) {
        CommandSpec s = new CommandSpec(name, null);
        s.arity = arity;
        s.handler = handler;
        put(s);
        return s;
    }

    void put(CommandSpec s) {
        if (lookup(s.nameBytes, 0, s.nameBytes.length) != null) {
            throw new IllegalStateException("command declared twice: " + s.fullName);
        }
        all.add(s);
        if (all.size() * 2 > slots.length) {
            rebuild(slots.length * 2);
        } else {
            insert(s, s.nameBytes);
        }
    }

    private void rebuild(int size) {
        slots = new CommandSpec[size];
        keys = new byte[size][];
        for (CommandSpec c : all) {
            byte[] key = renamed.getOrDefault(c, c.nameBytes);
            if (key.length > 0) {
                insert(c, key);
            }
        }
    }

    private void insert(CommandSpec s, byte[] key) {
        int mask = slots.length - 1;
        int i = hash(key, 0, key.length) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = s;
        keys[i] = key;
    }

    /**
     * rename-command: the command is found by {@code newName} only, or by no name when it is
     * empty (Redis's command table; ACL rules and COMMAND keep the original names).
     *
     * @throws IllegalArgumentException with redis-server's reason
     */
    public void rename(String oldName, String newName) {
        CommandSpec s = lookup(oldName.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        if (s == null) {
            throw new IllegalArgumentException("No such command in rename-command");
        }
        byte[] key = newName.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (key.length > 0 && lookup(key) != null) {
            throw new IllegalArgumentException("Target command name already exists");
        }
        renamed.put(s, key);
        rebuild(slots.length);
    }

    /** The command named by {@code name} in any letter case, or null. */
    public CommandSpec lookup(byte[] name) {
        return lookup(name, 0, name.length);
    }

    /**
     * The command a request runs: its subcommand for a container (CONFIG GET, ...), or null when
     * the name or the subcommand is unknown or the argument count is wrong for it.
     */
    public CommandSpec resolve(byte[][] argv, int argc) {
        CommandSpec spec = lookup(argv[0]);
        if (spec != null && spec.isContainer() && argc >= 2) {
            spec = spec.subcommands().lookup(argv[1]);
        }
        return spec != null && spec.arityOk(argc) ? spec : null;
    }

    public CommandSpec lookup(byte[] b, int from, int to) {
        int mask = slots.length - 1;
        int i = hash(b, from, to) & mask;
        CommandSpec s;
        while ((s = slots[i]) != null) {
            if (equalsIgnoreCase(keys[i], b, from, to)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Every command, in declaration order. */
    /** A top-level command by its declared name, renamed or not (Redis's orig_commands). */
    private CommandSpec original(String name) {
        CommandSpec s = lookup(name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        if (s != null && !renamed.containsKey(s)) {
            return s;
        }
        for (CommandSpec c : all) {
            if (c.name.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** A command by its full name ({@code get}, {@code client|id}), as Redis's lookupCommandBySds; null if none. */
    public CommandSpec lookupFullName(String fullName) {
        int bar = fullName.indexOf('|');
        if (bar < 0) {
            return original(fullName);
        }
        CommandSpec parent = original(fullName.substring(0, bar));
        if (parent == null || !parent.isContainer()) {
            return null;
        }
        return parent.subcommands().lookup(fullName.substring(bar + 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /**
     * Numbers every command and subcommand for ACL selectors' bits, each container before its
     * subcommands, in declaration order, and returns them in that order (index = id).
     */
    public List<CommandSpec> assignAclIds() {
        byId.clear();
        for (CommandSpec s : all) {
            s.aclId = byId.size();
            byId.add(s);
            if (s.isContainer()) {
                for (CommandSpec sub : s.subcommands().all) {
                    sub.aclId = byId.size();
                    byId.add(sub);
                }
            }
        }
        return Collections.unmodifiableList(byId);
    }

    /** Commands and subcommands by ACL id ({@link #assignAclIds}). */
    public List<CommandSpec> aclOrder() {
        return Collections.unmodifiableList(byId);
    }

    public List<CommandSpec> all() {
        return Collections.unmodifiableList(all);
    }

    public int size() {
        return all.size();
    }

    /** CONFIG RESETSTAT. */
    public void resetStats() {
        all.forEach(CommandSpec::resetStats);
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = h * 31 + (b[i] | 0x20); // ASCII letters fold to lower case
        }
        return h ^ (h >>> 16);
    }

    private static boolean equalsIgnoreCase(byte[] lower, byte[] b, int from, int to) {
        if (lower.length != to - from) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (lower[i] != c) {
                return false;
            }
        }
        return true;
    }
}
