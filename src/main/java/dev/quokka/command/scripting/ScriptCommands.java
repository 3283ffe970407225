package dev.quokka.command.scripting;

import dev.quokka.command.Acl;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.ScriptRun;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.keyspace.Glob;
import dev.quokka.protocol.Numbers;

import java.nio.charset.StandardCharsets;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FCALL, FCALL_RO and FUNCTION (Redis's eval.c and
 * functions.c), on the server's {@link Scripting} engine.
 */
public final class ScriptCommands {
    private ScriptCommands() {
    }

    private static final String RW_NOTES = "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE";
    private static final String RO_NOTES = "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS";

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        script(t.add("eval", -3, c -> eval(c, false, false)), false, "Execute a Lua script server side", "2.6.0", "script", true);
        script(t.add("evalsha", -3, c -> eval(c, true, false)), false, "Execute a Lua script server side", "2.6.0", "sha1", false);
        script(t.add("eval_ro", -3, c -> eval(c, false, true)), true, "Execute a read-only Lua script server side", "7.0.0", "script", true);
        script(t.add("evalsha_ro", -3, c -> eval(c, true, true)), true, "Execute a read-only Lua script server side", "7.0.0", "sha1", false);
        script(t.add("fcall", -3, c -> fcall(c, false)), false, "Invoke a function", "7.0.0", "function", true);
        script(t.add("fcall_ro", -3, c -> fcall(c, true)), true, "Invoke a read-only function", "7.0.0", "function", true);

        CommandSpec script = t.add("script", -2, null).doc("scripting", "2.6.0", "A container for Lua scripts management commands")
            .complexity("Depends on subcommand.");
        script.sub("help", 2, ScriptCommands::scriptHelp).flags(Flag.LOADING, Flag.STALE).acl(Acl.SCRIPTING)
            .doc("scripting", "5.0.0", "Show helpful text about the different subcommands").complexity("O(1)");
        script.sub("exists", -3, ScriptCommands::scriptExists).flags(Flag.NOSCRIPT).acl(Acl.SCRIPTING)
            .doc("scripting", "2.6.0", "Check existence of scripts in the script cache.")
            .complexity("O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).")
            .tips("request_policy:all_shards", "response_policy:agg_logical_and")
            .args(arg("sha1", "string").multiple());
        script.sub("flush", -2, ScriptCommands::scriptFlush).flags(Flag.NOSCRIPT).acl(Acl.SCRIPTING)
            .doc("scripting", "2.6.0", "Remove all the scripts from the script cache.")
            .complexity("O(N) with N being the number of scripts in cache")
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .history("6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers.")
            .args(arg("async", "oneof").since("6.2.0").optional().of(
                arg("async", "pure-token").token("ASYNC"),
                arg("sync", "pure-token").token("SYNC")));
        script.sub("kill", 2, c -> c.server.scripting().kill(c, true)).flags(Flag.NOSCRIPT, Flag.ALLOW_BUSY).acl(Acl.SCRIPTING)
            .doc("scripting", "2.6.0", "Kill the script currently in execution.").complexity("O(1)")
            .tips("request_policy:all_shards", "response_policy:one_succeeded");
        script.sub("load", 3, ScriptCommands::scriptLoad).flags(Flag.NOSCRIPT, Flag.STALE).acl(Acl.SCRIPTING)
            .doc("scripting", "2.6.0", "Load the specified Lua script into the script cache.")
            .complexity("O(N) with N being the length in bytes of the script body.")
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .args(arg("script", "string"));

        CommandSpec function = t.add("function", -2, null).doc("scripting", "7.0.0", "A container for function commands")
            .complexity("Depends on subcommand.");
        function.sub("kill", 2, c -> c.server.scripting().kill(c, false)).flags(Flag.NOSCRIPT, Flag.ALLOW_BUSY).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "Kill the function currently in execution.").complexity("O(1)")
            .tips("request_policy:all_shards", "response_policy:one_succeeded");
        function.sub("list", -2, ScriptCommands::functionList).flags(Flag.NOSCRIPT).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "List information about all the functions")
            .complexity("O(N) where N is the number of functions").tips("nondeterministic_output_order")
            .args(arg("library-name-pattern", "string").token("LIBRARYNAME").optional(),
                arg("withcode", "pure-token").token("WITHCODE").optional());
        function.sub("delete", 3, ScriptCommands::functionDelete).flags(Flag.WRITE, Flag.NOSCRIPT).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "Delete a function by name").complexity("O(1)")
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .args(arg("library-name", "string"));
        function.sub("load", -3, ScriptCommands::functionLoad).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "Create a function with the given arguments (name, code, description)")
            .complexity("O(1) (considering compilation time is redundant)")
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .args(arg("replace", "pure-token").token("REPLACE").optional(),
                arg("function-code", "string"));
        function.sub("restore", -3, ScriptCommands::functionRestore).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "Restore all the functions on the given payload")
            .complexity("O(N) where N is the number of functions on the payload")
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .args(arg("serialized-value", "string"),
                arg("policy", "oneof").optional().of(
                    arg("flush", "pure-token").token("FLUSH"),
                    arg("append", "pure-token").token("APPEND"),
                    arg("replace", "pure-token").token("REPLACE")));
        function.sub("dump", 2, ScriptCommands::functionDump).flags(Flag.NOSCRIPT).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "Dump all functions into a serialized binary payload")
            .complexity("O(N) where N is the number of functions");
        function.sub("help", 2, ScriptCommands::functionHelp).flags(Flag.LOADING, Flag.STALE).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "Show helpful text about the different subcommands").complexity("O(1)");
        function.sub("flush", -2, ScriptCommands::functionFlush).flags(Flag.WRITE, Flag.NOSCRIPT).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "Deleting all functions")
            .complexity("O(N) where N is the number of functions deleted").tips("request_policy:all_shards", "response_policy:all_succeeded")
            .args(arg("async", "oneof").optional().of(
                arg("async", "pure-token").token("ASYNC"),
                arg("sync", "pure-token").token("SYNC")));
        function.sub("stats", 2, ScriptCommands::functionStats).flags(Flag.NOSCRIPT, Flag.ALLOW_BUSY).acl(Acl.SCRIPTING)
            .doc("scripting", "7.0.0", "Return information about the function currently running (name, description, duration)")
            .complexity("O(1)").tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special");
    }

    private static void script(CommandSpec s, boolean ro, String summary, String since, String first, boolean notes) {
        if (ro) {
            s.flags(Flag.READONLY, Flag.NOSCRIPT, Flag.STALE, Flag.SKIP_MONITOR, Flag.NO_MANDATORY_KEYS);
        } else {
            s.flags(Flag.NOSCRIPT, Flag.STALE, Flag.SKIP_MONITOR, Flag.NO_MANDATORY_KEYS, Flag.MAY_REPLICATE);
        }
        s.numkeys(2).flagsFromScript().acl(Acl.SLOW, Acl.SCRIPTING)
            .doc("scripting", since, summary)
            .complexity(first.equals("function") ? "Depends on the function that is executed." : "Depends on the script that is executed.");
        if (notes) {
            s.keySpec(ro ? RO_NOTES : RW_NOTES, ro ? "RO access" : "RW access update", KeySpec.index(2), KeySpec.keynum(0, 1, 1));
        } else {
            s.keySpec(ro ? "RO access" : "RW access update", KeySpec.index(2), KeySpec.keynum(0, 1, 1));
        }
        s.args(arg(first, "string"),
            arg("numkeys", "integer"),
            arg("key", "key").keySpec(0).optional().multiple(),
            arg("arg", "string").optional().multiple());
    }

    /** numkeys as Redis reads it; -1 after replying the error. */
    private static int numkeys(CommandContext c, boolean fcall) {
        long n = Numbers.parseLong(c.argv[2]);
        if (n == Numbers.INVALID) {
            c.reply.error(fcall ? "ERR Bad number of keys provided" : "ERR value is not an integer or out of range");
            return -1;
        }
        if (n > c.argc - 3) {
            c.reply.error("ERR Number of keys can't be greater than number of args");
            return -1;
        }
        if (n < 0) {
            c.reply.error("ERR Number of keys can't be negative");
            return -1;
        }
        return (int) n;
    }

    /** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO */
    static void eval(CommandContext c, boolean sha, boolean ro) {
        // Fed here, before the script's own commands (Redis's evalCommand; EVAL skips the usual feed).
        c.server.monitors().feed(c.client, c.db().id(), c.argv, c.argc);
        Scripting s = c.server.scripting();
        if (sha && c.argv[1].length != 40) {
            c.reply.error("NOSCRIPT No matching script. Please use EVAL.");
            return;
        }
        int numkeys = numkeys(c, false);
        if (numkeys < 0) {
            return;
        }
        Scripting.EvalScript script;
        if (sha) {
            script = s.script(c.argv[1]);
            if (script == null) {
                c.reply.error("NOSCRIPT No matching script. Please use EVAL.");
                return;
            }
        } else {
            try {
                script = s.scripts.get(s.create(c.argv[1]));
            } catch (Scripting.ScriptError e) {
                c.reply.error(e.getMessage());
                return;
            }
        }
        String name = script.sha();
        ScriptRun run = s.prepare(c, name, script.flags(), ro, true);
        if (run != null) {
            s.run(run, script.function(), s.eval, c.argv, 3, numkeys);
        }
    }

    /** FCALL, FCALL_RO */
    static void fcall(CommandContext c, boolean ro) {
        c.server.monitors().feed(c.client, c.db().id(), c.argv, c.argc);
        Scripting s = c.server.scripting();
        Functions.Function f = s.functions.function(c.argv[1]);
        if (f == null) {
            c.reply.error("ERR Function not found");
            return;
        }
        int numkeys = numkeys(c, true);
        if (numkeys < 0) {
            return;
        }
        ScriptRun run = s.prepare(c, f.name(), f.flags(), ro, false);
        if (run != null) {
            s.run(run, f.callback(), s.functions.sandbox, c.argv, 3, numkeys);
        }
    }

    /** SCRIPT HELP */
    static void scriptHelp(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
        });
    }

    /** SCRIPT EXISTS sha1 [sha1 ...] */
    static void scriptExists(CommandContext c) {
        Scripting s = c.server.scripting();
        c.reply.array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            c.reply.integer(s.script(c.argv[i]) != null ? 1 : 0);
        }
    }

    /** SCRIPT FLUSH [ASYNC|SYNC] */
    static void scriptFlush(CommandContext c) {
        if (c.argc > 3 || (c.argc == 3 && !c.argIs(2, "SYNC") && !c.argIs(2, "ASYNC"))) {
            c.reply.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            return;
        }
        c.server.scripting().flushScripts();
        c.reply.ok();
    }

    /** SCRIPT LOAD script */
    static void scriptLoad(CommandContext c) {
        try {
            c.reply.bulk(c.server.scripting().create(c.argv[2]).getBytes(StandardCharsets.US_ASCII));
        } catch (Scripting.ScriptError e) {
            c.reply.error(e.getMessage());
        }
    }

    /** FUNCTION LOAD [REPLACE] code */
    static void functionLoad(CommandContext c) {
        boolean replace = false;
        int pos = 2;
        while (pos < c.argc - 1) {
            if (c.argIs(pos, "REPLACE")) {
                replace = true;
                pos++;
                continue;
            }
            c.reply.error("ERR Unknown option given: " + c.quoted(pos));
            return;
        }
        if (pos >= c.argc) {
            c.reply.error("ERR Function code is missing");
            return;
        }
        try {
            String name = c.server.scripting().functions.load(c.argv[pos], replace);
            c.keyspace().changed();
            c.reply.bulk(name.getBytes(StandardCharsets.ISO_8859_1));
        } catch (Scripting.ScriptError e) {
            c.reply.error(e.getMessage());
        }
    }

    /** FUNCTION DELETE library */
    static void functionDelete(CommandContext c) {
        Functions f = c.server.scripting().functions;
        Functions.Library lib = f.libraries.get(new String(c.argv[2], StandardCharsets.ISO_8859_1));
        if (lib == null) {
            c.reply.error("ERR Library not found");
            return;
        }
        f.unlink(lib);
        c.keyspace().changed();
        c.reply.ok();
    }

    /** FUNCTION DUMP */
    static void functionDump(CommandContext c) {
        c.reply.bulk(c.server.scripting().functions.dump());
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] */
    static void functionRestore(CommandContext c) {
        if (c.argc > 4) {
            c.reply.error(Errors.subcommandSyntax(c));
            return;
        }
        int policy = 1;
        if (c.argc == 4) {
            if (c.argIs(3, "APPEND")) {
                policy = 1;
            } else if (c.argIs(3, "REPLACE")) {
                policy = 2;
            } else if (c.argIs(3, "FLUSH")) {
                policy = 0;
            } else {
                c.reply.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        try {
            c.server.scripting().functions.restore(c.argv[2], policy);
            c.keyspace().changed();
            c.reply.ok();
        } catch (Scripting.ScriptError e) {
            c.reply.error(e.getMessage());
        }
    }

    /** FUNCTION FLUSH [ASYNC|SYNC] */
    static void functionFlush(CommandContext c) {
        if (c.argc > 3) {
            c.reply.error(Errors.subcommandSyntax(c));
            return;
        }
        if (c.argc == 3 && !c.argIs(2, "ASYNC") && !c.argIs(2, "SYNC")) {
            c.reply.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        c.server.scripting().functions.flush();
        c.keyspace().changed();
        c.reply.ok();
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] */
    static void functionList(CommandContext c) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < c.argc; i++) {
            if (!withCode && c.argIs(i, "WITHCODE")) {
                withCode = true;
                continue;
            }
            if (pattern == null && c.argIs(i, "LIBRARYNAME")) {
                if (i >= c.argc - 1) {
                    c.reply.error("ERR library name argument was not given");
                    return;
                }
                pattern = c.argv[++i];
                continue;
            }
            // addReplyErrorSds: CR and LF become spaces, even at the end (no trim as in the formatted errors).
            c.reply.error("ERR Unknown argument " + c.quoted(i).replace('\r', ' ').replace('\n', ' '));
            return;
        }
        Functions f = c.server.scripting().functions;
        java.util.List<Functions.Library> shown = new java.util.ArrayList<>();
        for (Functions.Library lib : f.libraries.values()) {
            if (pattern == null || Glob.match(pattern, lib.name.getBytes(StandardCharsets.ISO_8859_1), false)) {
                shown.add(lib);
            }
        }
        c.reply.array(shown.size());
        for (Functions.Library lib : shown) {
            c.reply.map(withCode ? 4 : 3);
            c.reply.bulk("library_name");
            c.reply.bulk(lib.name.getBytes(StandardCharsets.ISO_8859_1));
            c.reply.bulk("engine");
            c.reply.bulk("LUA");
            c.reply.bulk("functions");
            c.reply.array(lib.functions.size());
            for (Functions.Function fn : lib.functions.values()) {
                c.reply.map(3);
                c.reply.bulk("name");
                c.reply.bulk(fn.name().getBytes(StandardCharsets.ISO_8859_1));
                c.reply.bulk("description");
                if (fn.description() != null) {
                    c.reply.bulk(fn.description().getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    c.reply.nullBulk();
                }
                c.reply.bulk("flags");
                int n = Integer.bitCount(fn.flags());
                c.reply.set(n);
                for (int b = 0; b < Scripting.FLAG_NAMES.length; b++) {
                    if ((fn.flags() & (1 << b)) != 0) {
                        c.reply.simple(Scripting.FLAG_NAMES[b]);
                    }
                }
            }
            if (withCode) {
                c.reply.bulk("library_code");
                c.reply.bulk(lib.code);
            }
        }
    }

    /** FUNCTION STATS */
    static void functionStats(CommandContext c) {
        Scripting s = c.server.scripting();
        ScriptRun run = s.current();
        if (run != null && run.eval) {
            c.reply.error("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
            return;
        }
        c.reply.map(2);
        c.reply.bulk("running_script");
        if (run == null) {
            c.reply.nullBulk();
        } else {
            c.reply.map(3);
            c.reply.bulk("name");
            c.reply.bulk(run.name.getBytes(StandardCharsets.ISO_8859_1));
            c.reply.bulk("command");
            c.reply.array(run.caller.argc);
            for (int i = 0; i < run.caller.argc; i++) {
                c.reply.bulk(run.caller.argv[i]);
            }
            c.reply.bulk("duration_ms");
            c.reply.integer((System.nanoTime() - run.startNanos) / 1_000_000);
        }
        c.reply.bulk("engines");
        c.reply.map(1);
        c.reply.bulk("LUA");
        c.reply.map(2);
        c.reply.bulk("libraries_count");
        c.reply.integer(s.functions.libraryCount());
        c.reply.bulk("functions_count");
        c.reply.integer(s.functions.functionCount());
    }

    /** FUNCTION HELP */
    static void functionHelp(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this case there is no verification",
            "      on collision between libraries).",
        });
    }
}
