package dev.quokka.command.admin;

import dev.quokka.command.ArgumentDoc;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.keyspace.Glob;
import dev.quokka.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** COMMAND and its subcommands, all read from the command table (ARCHITECTURE invariant 2). */
public final class CommandCommands {
    private CommandCommands() {
    }

    /** COMMAND: the info of every command. */
    public static void all(CommandContext c) {
        List<CommandSpec> all = c.server.commands().all();
        c.reply.array(all.size());
        for (CommandSpec s : all) {
            writeInfo(c.reply, s);
        }
    }

    /** COMMAND COUNT */
    public static void count(CommandContext c) {
        c.reply.integer(c.server.commands().size());
    }

    /** COMMAND INFO [command-name ...] */
    public static void info(CommandContext c) {
        if (c.argc == 2) {
            all(c);
            return;
        }
        c.reply.array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            CommandSpec s = find(c.server.commands(), c.arg(i));
            if (s == null) {
                c.reply.nullBulk();
            } else {
                writeInfo(c.reply, s);
            }
        }
    }

    /** A command by name, or a subcommand by {@code container|sub}. */
    static CommandSpec find(CommandTable table, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return table.lookup(name.getBytes(StandardCharsets.UTF_8));
        }
        CommandSpec parent = table.lookup(name.substring(0, bar).getBytes(StandardCharsets.UTF_8));
        if (parent == null || !parent.isContainer()) {
            return null;
        }
        return parent.subcommands().lookup(name.substring(bar + 1).getBytes(StandardCharsets.UTF_8));
    }

    private static void writeInfo(RespWriter w, CommandSpec s) {
        w.array(10);
        w.bulk(s.fullName());
        w.integer(s.arity());
        List<String> flags = s.flagNames();
        w.set(flags.size());
        for (String f : flags) {
            w.simple(f);
        }
        w.integer(s.firstKey());
        w.integer(s.lastKey());
        w.integer(s.keyStep());
        List<String> acl = s.aclCategories();
        w.set(acl.size());
        for (String a : acl) {
            w.simple(a);
        }
        w.set(s.tips().size());
        for (String tip : s.tips()) {
            w.bulk(tip);
        }
        w.array(s.keySpecs().size());
        for (KeySpec k : s.keySpecs()) {
            k.write(w);
        }
        if (s.isContainer()) {
            List<CommandSpec> subs = s.subcommands().all();
            w.array(subs.size());
            for (CommandSpec sub : subs) {
                writeInfo(w, sub);
            }
        } else {
            w.emptyArray();
        }
    }

    /** COMMAND DOCS [command-name ...] */
    public static void docs(CommandContext c) {
        List<CommandSpec> specs = new ArrayList<>();
        if (c.argc == 2) {
            specs.addAll(c.server.commands().all());
        } else {
            for (int i = 2; i < c.argc; i++) {
                CommandSpec s = find(c.server.commands(), c.arg(i));
                if (s != null) {
                    specs.add(s);
                }
            }
        }
        c.reply.map(specs.size());
        for (CommandSpec s : specs) {
            c.reply.bulk(s.fullName());
            writeDocs(c.reply, s);
        }
    }

    private static void writeDocs(RespWriter w, CommandSpec s) {
        List<ArgumentDoc> args = s.args();
        boolean hasComplexity = !s.complexity().isEmpty();
        List<String> docFlags = s.docFlags();
        List<String[]> history = s.history();
        int fields = 3 + (hasComplexity ? 1 : 0) + (docFlags.isEmpty() ? 0 : 1) + (s.deprecatedSince() == null ? 0 : 2)
            + (history.isEmpty() ? 0 : 1) + (args.isEmpty() ? 0 : 1) + (s.isContainer() ? 1 : 0);
        w.map(fields);
        w.bulk("summary");
        w.bulk(s.summary());
        w.bulk("since");
        w.bulk(s.since());
        w.bulk("group");
        w.bulk(s.group());
        if (hasComplexity) {
            w.bulk("complexity");
            w.bulk(s.complexity());
        }
        if (!docFlags.isEmpty()) {
            w.bulk("doc_flags");
            w.set(docFlags.size());
            for (String f : docFlags) {
                w.simple(f);
            }
        }
        if (s.deprecatedSince() != null) {
            w.bulk("deprecated_since");
            w.bulk(s.deprecatedSince());
            w.bulk("replaced_by");
            w.bulk(s.replacedBy());
        }
        if (!history.isEmpty()) {
            w.bulk("history");
            w.array(history.size());
            for (String[] h : history) {
                w.array(2);
                w.bulk(h[0]);
                w.bulk(h[1]);
            }
        }
        if (!args.isEmpty()) {
            w.bulk("arguments");
            w.array(args.size());
            for (ArgumentDoc a : args) {
                a.write(w);
            }
        }
        if (s.isContainer()) {
            List<CommandSpec> subs = s.subcommands().all();
            w.bulk("subcommands");
            w.map(subs.size());
            for (CommandSpec sub : subs) {
                w.bulk(sub.fullName());
                writeDocs(w, sub);
            }
        }
    }

    /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] */
    public static void list(CommandContext c) {
        String by = null;
        String value = null;
        if (c.argc == 5 && c.argIs(2, "FILTERBY")) {
            by = c.arg(3).toLowerCase();
            value = c.arg(4);
            if (!by.equals("module") && !by.equals("aclcat") && !by.equals("pattern")) {
                c.reply.error("ERR syntax error");
                return;
            }
        } else if (c.argc != 2) {
            c.reply.error("ERR syntax error");
            return;
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec s : c.server.commands().all()) {
            addIfMatches(names, s, by, value);
            if (s.isContainer()) {
                for (CommandSpec sub : s.subcommands().all()) {
                    addIfMatches(names, sub, by, value);
                }
            }
        }
        c.reply.array(names.size());
        for (String n : names) {
            c.reply.bulk(n);
        }
    }

    private static void addIfMatches(List<String> out, CommandSpec s, String by, String value) {
        if (by == null) {
            out.add(s.fullName());
        } else if (by.equals("aclcat")) {
            String cat = value.startsWith("@") ? value.substring(1) : value;
            if (s.aclCategories().stream().anyMatch(a -> a.replace("@", "").equalsIgnoreCase(cat))) {
                out.add(s.fullName());
            }
        } else if (by.equals("pattern")) {
            if (Glob.match(value.getBytes(StandardCharsets.UTF_8), s.fullName().getBytes(StandardCharsets.UTF_8), true)) {
                out.add(s.fullName());
            }
        }
    }

    /** COMMAND GETKEYS command [arg ...] */
    public static void getkeys(CommandContext c) {
        getkeys(c, false);
    }

    /** COMMAND GETKEYSANDFLAGS command [arg ...]: each key with its access flags. */
    public static void getkeysandflags(CommandContext c) {
        getkeys(c, true);
    }

    private static void getkeys(CommandContext c, boolean withFlags) {
        CommandSpec s = c.server.commands().lookup(c.argv[2]);
        int argc = c.argc - 2;
        if (s != null && s.isContainer() && argc >= 2) {
            s = s.subcommands().lookup(c.argv[3]);
        }
        if (s == null) {
            c.reply.error("ERR Invalid command specified");
            return;
        }
        if (!s.hasKeys()) {
            c.reply.error("ERR The command has no key arguments");
            return;
        }
        if (!s.arityOk(argc)) {
            c.reply.error("ERR Invalid number of arguments specified for command");
            return;
        }
        byte[][] request = Arrays.copyOfRange(c.argv, 2, c.argc);
        // Both subcommands find keys as Redis 7.0 does: from the key specs when they are complete.
        List<CommandSpec.KeyRef> keys = s.keysWithFlags(request, argc);
        if (keys.isEmpty() && !s.has(Flag.NO_MANDATORY_KEYS)) {
            c.reply.error("ERR Invalid arguments specified for command");
            return;
        }
        c.reply.array(keys.size());
        for (CommandSpec.KeyRef k : keys) {
            if (!withFlags) {
                c.reply.bulk(c.argv[k.pos() + 2]);
                continue;
            }
            c.reply.array(2);
            c.reply.bulk(c.argv[k.pos() + 2]);
            c.reply.set(k.flags().size());
            for (String f : k.flags()) {
                c.reply.simple(f);
            }
        }
    }

    /** COMMAND HELP */
    public static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        });
    }
}
