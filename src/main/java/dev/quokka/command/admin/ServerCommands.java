package dev.quokka.command.admin;

import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.command.keys.ObjectCommands;
import io.quarkus.runtime.Quarkus;

/** Server group commands other than INFO, CONFIG and COMMAND. */
public final class ServerCommands {
    private ServerCommands() {
    }

    /** TIME: seconds and microseconds. */
    public static void time(CommandContext c) {
        long micros = java.time.Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
        c.reply.array(2);
        c.reply.bulkLong(micros / 1_000_000);
        c.reply.bulkLong(micros % 1_000_000);
    }

    /** BGREWRITEAOF: a new base file from a snapshot of the dataset, written in the background. */
    public static void bgrewriteaof(CommandContext c) {
        String err = c.server.aof().rewrite();
        if (err != null) {
            c.reply.error(err);
        } else {
            c.reply.simple("Background append only file rewriting started");
        }
    }

    /** LASTSAVE: Quokka does not write RDB snapshots; the start time stands in, as after a fresh start of Redis. */
    public static void lastsave(CommandContext c) {
        c.reply.integer(c.server.startMillis() / 1000);
    }

    /** DEBUG: disabled, with redis-server's default answer (enable-debug-command no). */
    public static void debug(CommandContext c) {
        c.reply.error("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
            + "you can run it from a local connection, otherwise you need to set this option in the configuration "
            + "file, and then restart the server.");
    }

    /** FUNCTION FLUSH [ASYNC | SYNC]: there are no functions, so there is nothing to flush. */
    public static void functionFlush(CommandContext c) {
        if (c.argc > 3 || (c.argc == 3 && !c.argIs(2, "ASYNC") && !c.argIs(2, "SYNC"))) {
            c.reply.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        c.reply.ok();
    }

    /** FUNCTION HELP */
    public static void functionHelp(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries. Quokka has no scripting yet, so there is nothing to delete.",
        });
    }

    /** SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]: stops the process through Quarkus's shutdown path. */
    public static void shutdown(CommandContext c) {
        for (int i = 1; i < c.argc; i++) {
            if (!(c.argIs(i, "NOSAVE") || c.argIs(i, "SAVE") || c.argIs(i, "NOW") || c.argIs(i, "FORCE"))) {
                if (c.argIs(i, "ABORT")) {
                    c.reply.error("ERR No shutdown in progress.");
                } else {
                    c.reply.error(Errors.SYNTAX);
                }
                return;
            }
        }
        // Like Redis, no reply: the connection closes as the server exits.
        c.reply.enabled(false);
        c.client.closeAfterReply();
        Quarkus.asyncExit(0);
    }
}
