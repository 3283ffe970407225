package dev.quokka.command.admin;

import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.command.keys.ObjectCommands;

import java.util.ArrayList;
import java.util.List;

/** CONFIG GET | SET | RESETSTAT | REWRITE | HELP. */
public final class ConfigCommands {
    private ConfigCommands() {
    }

    /** CONFIG GET parameter [parameter ...]: glob patterns, case-insensitive; a map in RESP3. */
    public static void get(CommandContext c) {
        List<byte[]> patterns = new ArrayList<>();
        for (int i = 2; i < c.argc; i++) {
            patterns.add(c.argv[i]);
        }
        List<String[]> pairs = c.server.config().matching(patterns);
        c.reply.map(pairs.size());
        for (String[] kv : pairs) {
            c.reply.bulk(kv[0]);
            c.reply.bulk(kv[1]);
        }
    }

    /** CONFIG SET parameter value [parameter value ...]: all or nothing. */
    public static void set(CommandContext c) {
        if (c.argc % 2 != 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc; i += 2) {
            pairs.add(new String[] {c.arg(i), c.arg(i + 1)});
        }
        String err = c.server.config().set(pairs);
        if (err != null) {
            c.reply.error(err);
        } else {
            c.reply.ok();
        }
    }

    /** CONFIG RESETSTAT */
    public static void resetstat(CommandContext c) {
        c.server.resetStats();
        c.reply.ok();
    }

    /** CONFIG REWRITE: Quokka has no config file of its own to rewrite. */
    public static void rewrite(CommandContext c) {
        c.reply.error("ERR The server is running without a config file");
    }

    /** CONFIG HELP */
    public static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        });
    }
}
