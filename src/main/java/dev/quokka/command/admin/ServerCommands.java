package dev.quokka.command.admin;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.persistence.RdbSaves;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.keys.ObjectCommands;
import io.quarkus.runtime.Quarkus;
import org.jboss.logging.Logger;

import java.time.Instant;

import static dev.quokka.command.ArgumentDoc.arg;

/** Server group commands other than INFO, CONFIG and COMMAND. */
public final class ServerCommands {
    private static final Logger LOG = Logger.getLogger(ServerCommands.class);

    private ServerCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("info", -1, InfoCommand::info).flags(Flag.LOADING, Flag.STALE).acl(Acl.DANGEROUS)
            .doc("server", "1.0.0", "Get information and statistics about the server").complexity("O(1)").tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
            .args(arg("section", "string").optional().multiple())
            .history("7.0.0", "Added support for taking multiple section arguments.");
        CommandSpec config = t.add("config", -2, null).doc("server", "2.0.0", "A container for server configuration commands")
            .complexity("Depends on subcommand.");
        config.sub("rewrite", 2, ConfigCommands::rewrite).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "2.8.0", "Rewrite the configuration file with the in memory configuration").complexity("O(1)");
        config.sub("resetstat", 2, ConfigCommands::resetstat).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "2.0.0", "Reset the stats returned by INFO").complexity("O(1)");
        config.sub("get", -3, ConfigCommands::get).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "2.0.0", "Get the values of configuration parameters")
            .complexity("O(N) when N is the number of configuration parameters provided")
            .args(arg("parameter", "block").multiple().of(
                    arg("parameter", "string")))
            .history("7.0.0", "Added the ability to pass multiple pattern parameters in one call");
        config.sub("set", -4, ConfigCommands::set).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "2.0.0", "Set configuration parameters to the given values")
            .complexity("O(N) when N is the number of configuration parameters provided").tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .args(arg("parameter_value", "block").multiple().of(
                    arg("parameter", "string"),
                    arg("value", "string")))
            .history("7.0.0", "Added the ability to set multiple parameters in one call.");
        config.sub("help", 2, ConfigCommands::help).flags(Flag.LOADING, Flag.STALE)
            .doc("server", "5.0.0", "Show helpful text about the different subcommands").complexity("O(1)");
        CommandSpec command = t.add("command", -1, CommandCommands::all).flags(Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("server", "2.8.13", "Get array of Redis command details")
            .complexity("O(N) where N is the total number of Redis commands").tips("nondeterministic_output_order");
        command.sub("count", 2, CommandCommands::count).flags(Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("server", "2.8.13", "Get total number of Redis commands").complexity("O(1)");
        command.sub("getkeysandflags", -4, CommandCommands::getkeysandflags).flags(Flag.LOADING, Flag.STALE)
            .acl(Acl.CONNECTION)
            .doc("server", "7.0.0", "Extract keys and access flags given a full Redis command")
            .complexity("O(N) where N is the number of arguments to the command");
        command.sub("getkeys", -4, CommandCommands::getkeys).flags(Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("server", "2.8.13", "Extract keys given a full Redis command")
            .complexity("O(N) where N is the number of arguments to the command");
        command.sub("help", 2, CommandCommands::help).flags(Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("server", "5.0.0", "Show helpful text about the different subcommands").complexity("O(1)");
        command.sub("docs", -2, CommandCommands::docs).flags(Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("server", "7.0.0", "Get array of specific Redis command documentation")
            .complexity("O(N) where N is the number of commands to look up").tips("nondeterministic_output_order")
            .args(arg("command-name", "string").optional().multiple());
        command.sub("list", -2, CommandCommands::list).flags(Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("server", "7.0.0", "Get an array of Redis command names").complexity("O(N) where N is the total number of Redis commands").tips("nondeterministic_output_order")
            .args(arg("filterby", "oneof").token("FILTERBY").optional().of(
                    arg("module-name", "string").token("MODULE"),
                    arg("category", "string").token("ACLCAT"),
                    arg("pattern", "pattern").token("PATTERN")));
        command.sub("info", -2, CommandCommands::info).flags(Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("server", "2.8.13", "Get array of specific Redis command details, or all when no argument is given.")
            .complexity("O(N) where N is the number of commands to look up").tips("nondeterministic_output_order")
            .args(arg("command-name", "string").optional().multiple())
            .history("7.0.0", "Allowed to be called with no argument to get info on all commands.");
        t.add("time", 1, ServerCommands::time).flags(Flag.LOADING, Flag.STALE, Flag.FAST)
            .doc("server", "2.6.0", "Return the current server time").complexity("O(1)").tips("nondeterministic_output");
        CommandSpec memory = t.add("memory", -2, null).doc("server", "4.0.0",
            "A container for memory diagnostics commands.").complexity("Depends on subcommand.")
            .summary("A container for memory diagnostics commands")
            .summary("A container for memory diagnostics commands");
        memory.sub("doctor", 2, MemoryCommands::doctor)
            .doc("server", "4.0.0", "Outputs memory problems report").complexity("O(1)").tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special");
        memory.sub("malloc-stats", 2, MemoryCommands::mallocStats)
            .doc("server", "4.0.0", "Show allocator internal stats")
            .complexity("Depends on how much memory is allocated, could be slow").tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special");
        memory.sub("purge", 2, MemoryCommands::purge)
            .doc("server", "4.0.0", "Ask the allocator to release memory")
            .complexity("Depends on how much memory is allocated, could be slow").tips("request_policy:all_shards", "response_policy:all_succeeded");
        memory.sub("usage", -3, MemoryCommands::usage).flags(Flag.READONLY).keys(2, 2, 1)
            .doc("server", "4.0.0", "Estimate the memory usage of a key")
            .complexity("O(N) where N is the number of samples.")
            .keySpec("RO", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("count", "integer").token("SAMPLES").optional());
        memory.sub("help", 2, MemoryCommands::help).flags(Flag.LOADING, Flag.STALE)
            .doc("server", "4.0.0", "Show helpful text about the different subcommands").complexity("O(1)");
        memory.sub("stats", 2, MemoryCommands::stats)
            .doc("server", "4.0.0", "Show memory usage details").complexity("O(1)").tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special");
        t.add("bgrewriteaof", 1, ServerCommands::bgrewriteaof).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING)
            
            .doc("server", "1.0.0", "Asynchronously rewrite the append-only file").complexity("O(1)");
        t.add("save", 1, ServerCommands::save).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.NO_MULTI)
            .doc("server", "1.0.0", "Synchronously save the dataset to disk")
            .complexity("O(N) where N is the total number of keys in all databases");
        t.add("bgsave", -1, ServerCommands::bgsave).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING)
            .doc("server", "1.0.0", "Asynchronously save the dataset to disk").complexity("O(1)")
            .args(arg("schedule", "pure-token").token("SCHEDULE").since("3.2.2").optional())
            .history("3.2.2", "Added the `SCHEDULE` option.");
        t.add("lastsave", 1, ServerCommands::lastsave).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl(Acl.ADMIN, Acl.DANGEROUS)
            .doc("server", "1.0.0", "Get the UNIX time stamp of the last successful save to disk").complexity("O(1)").tips("nondeterministic_output");
        t.add("debug", -2, DebugCommand::debug).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.PROTECTED)
            .doc("server", "1.0.0", "A container for debugging commands").complexity("Depends on subcommand.").syscmd();
        CommandSpec module = t.add("module", -2, null)
            .doc("server", "4.0.0", "A container for module commands")
            .complexity("Depends on subcommand.");
        module.sub("help", 2, ServerCommands::moduleHelp).flags(Flag.LOADING, Flag.STALE)
            .doc("server", "5.0.0", "Show helpful text about the different subcommands")
            .complexity("O(1)");
        module.sub("list", 2, c -> c.reply.emptyArray()).flags(Flag.ADMIN, Flag.NOSCRIPT)
            .doc("server", "4.0.0", "List all modules loaded by the server")
            .complexity("O(N) where N is the number of loaded modules.")
            .tips("nondeterministic_output_order");
        module.sub("load", -3, ServerCommands::moduleLoad).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.PROTECTED)
            .doc("server", "4.0.0", "Load a module")
            .complexity("O(1)")
            .args(arg("path", "string"),
                arg("arg", "string").optional().multiple());
        module.sub("loadex", -3, ServerCommands::moduleLoad).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.PROTECTED)
            .doc("server", "7.0.0", "Load a module with extended parameters")
            .complexity("O(1)")
            .args(arg("path", "string"),
                arg("configs", "block").token("CONFIG").optional().multiple().multipleToken().of(
                    arg("name", "string"),
                    arg("value", "string")),
                arg("args", "block").token("ARGS").optional().multiple().of(
                    arg("arg", "string")));
        module.sub("unload", 3, ServerCommands::moduleUnload).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.PROTECTED)
            .doc("server", "4.0.0", "Unload a module")
            .complexity("O(1)")
            .args(arg("name", "string"));
        t.add("shutdown", -1, ServerCommands::shutdown).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.NO_MULTI, Flag.SENTINEL, Flag.ALLOW_BUSY)
            
            .doc("server", "1.0.0", "Synchronously save the dataset to disk and then shut down the server")
            .complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
            .args(arg("nosave_save", "oneof").optional().of(
                    arg("nosave", "pure-token").token("NOSAVE"),
                    arg("save", "pure-token").token("SAVE")),
                arg("now", "pure-token").token("NOW").since("7.0.0").optional(),
                arg("force", "pure-token").token("FORCE").since("7.0.0").optional(),
                arg("abort", "pure-token").token("ABORT").since("7.0.0").optional())
            .history("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.");
    }

    /** TIME: seconds and microseconds. */
    public static void time(CommandContext c) {
        long micros = Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
        c.reply.array(2);
        c.reply.bulkLong(micros / 1_000_000);
        c.reply.bulkLong(micros % 1_000_000);
    }

    /**
     * BGREWRITEAOF: a new base file from a snapshot of the dataset, written in the background;
     * scheduled while a BGSAVE runs (one background job at a time, as Redis's one child).
     */
    public static void bgrewriteaof(CommandContext c) {
        if (c.server.aof().rewriting()) {
            c.reply.error("ERR Background append only file rewriting already in progress");
            return;
        }
        if (c.server.rdb().saving()) {
            c.server.aof().scheduleRewrite();
            c.reply.simple("Background append only file rewriting scheduled");
            return;
        }
        String err = c.server.aof().rewrite();
        if (err != null) {
            c.reply.error(err);
        } else {
            c.reply.simple("Background append only file rewriting started");
        }
    }

    /** SAVE: writes the RDB file now; every other client waits, as in Redis. */
    public static void save(CommandContext c) {
        String err = c.server.rdb().saveCommand();
        if (err != null) {
            c.reply.error(err);
        } else {
            c.reply.ok();
        }
    }

    /** BGSAVE [SCHEDULE]: writes the RDB file from a snapshot on a background thread. */
    public static void bgsave(CommandContext c) {
        boolean schedule = false;
        if (c.argc > 1) {
            if (c.argc == 2 && c.argIs(1, "SCHEDULE")) {
                schedule = true;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        switch (c.server.rdb().bgsave(schedule)) {
            case STARTED -> c.reply.simple("Background saving started");
            case SCHEDULED -> c.reply.simple("Background saving scheduled");
            case ALREADY_SAVING -> c.reply.error("ERR Background save already in progress");
            case OTHER_JOB -> c.reply.error("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
            case FAILED -> c.reply.error("ERR");
        }
    }

    /** LASTSAVE: when the RDB file was last written (the start time until then, as in Redis). */
    public static void lastsave(CommandContext c) {
        c.reply.integer(c.server.rdb().lastSaveSeconds());
    }


    /**
     * MODULE LOAD and LOADEX, when {@code enable-module-command} allows them (the dispatcher
     * checks the PROTECTED flag): Quokka cannot load a Redis module (a native library for
     * redis-server), and answers as Redis does when loading fails.
     */
    public static void moduleLoad(CommandContext c) {
        LOG.warnf("Module %s failed to load: Quokka cannot load Redis modules", c.arg(2));
        c.reply.error("ERR Error loading the extension. Please check the server logs.");
    }

    /** MODULE UNLOAD name: no module is ever loaded. */
    public static void moduleUnload(CommandContext c) {
        c.reply.error("ERR Error unloading module: no such module with that name");
    }

    public static void moduleHelp(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "LIST",
            "    Return a list of loaded modules.",
            "LOAD <path> [<arg> ...]",
            "    Load a module library from <path>, passing to it any optional arguments.",
            "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
            "    Load a module library from <path>, while passing it module configurations and optional arguments.",
            "UNLOAD <name>",
            "    Unload a module.",
        });
    }

    /**
     * SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]: saves the RDB file when save points are set
     * or SAVE is given (not with NOSAVE), then stops the process through Quarkus's shutdown path.
     * A failed save keeps the server running unless FORCE, as in Redis.
     */
    public static void shutdown(CommandContext c) {
        boolean save = false;
        boolean nosave = false;
        boolean force = false;
        for (int i = 1; i < c.argc; i++) {
            if (c.argIs(i, "NOSAVE")) {
                nosave = true;
            } else if (c.argIs(i, "SAVE")) {
                save = true;
            } else if (c.argIs(i, "FORCE")) {
                force = true;
            } else if (!c.argIs(i, "NOW")) {
                if (c.argIs(i, "ABORT")) {
                    c.reply.error("ERR No shutdown in progress.");
                } else {
                    c.reply.error(Errors.SYNTAX);
                }
                return;
            }
        }
        if (save && nosave) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        RdbSaves rdb = c.server.rdb();
        rdb.cancel();
        if (!nosave && (save || rdb.hasSavePoints())) {
            LOG.info("Saving the final RDB snapshot before exiting.");
            if (rdb.save() != null && !force) {
                LOG.warn("Error trying to save the DB, can't exit.");
                c.reply.error("ERR Errors trying to SHUTDOWN. Check logs.");
                return;
            }
        }
        rdb.shutdownHandled();
        // Like Redis, no reply: the connection closes as the server exits.
        c.reply.enabled(false);
        c.client.closeAfterReply();
        Quarkus.asyncExit(0);
    }
}
