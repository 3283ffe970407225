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
            slots = new CommandSpec[slots.length * 2];
            all.forEach(this::insert);
        } else {
            insert(s);
        }
    }

    private void insert(CommandSpec s) {
        int mask = slots.length - 1;
        int i = hash(s.nameBytes, 0, s.nameBytes.length) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = s;
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
            if (equalsIgnoreCase(s.nameBytes, b, from, to)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Every command, in declaration order. */
    /** A command by its full name ({@code get}, {@code client|id}), as Redis's lookupCommandBySds; null if none. */
    public CommandSpec lookupFullName(String fullName) {
        int bar = fullName.indexOf('|');
        if (bar < 0) {
            return lookup(fullName.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        CommandSpec parent = lookup(fullName.substring(0, bar).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
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
