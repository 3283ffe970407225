package dev.quokka.command.scripting;

import dev.quokka.command.CommandContext;
import dev.quokka.command.ScriptRun;
import dev.quokka.command.Server;
import dev.quokka.config.Settings;
import dev.quokka.protocol.Numbers;
import dev.quokka.session.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jboss.logging.Logger;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scripting engine of one server (Redis's eval.c, script.c and function_lua.c): the EVAL
 * script cache and its interpreter, the function libraries and theirs, the script running now,
 * and the {@code redis} library through which scripts run commands. Scripts run on the thread
 * that owns the keyspace, so nothing else changes the data while one runs.
 */
public final class Scripting {
    private static final Logger LOG = Logger.getLogger("dev.quokka.scripting");

    /**
     * The flags a script declares, for the dispatcher's checks before it runs: a shebang's (EVAL,
     * cached or parsed now), a cached script's (EVALSHA), a function's (FCALL); -1 when it declares
     * none (EVAL without shebang, an unknown SHA or function, a bad shebang: the command's own flags apply).
     */
    public int declaredFlags(String command, byte[] first) {
        int flags;
        if (command.startsWith("fcall")) {
            Functions.Function f = functions.function(first);
            if (f == null) {
                return -1;
            }
            flags = f.flags();
        } else if (command.startsWith("evalsha")) {
            EvalScript s = script(first);
            if (s == null) {
                return -1;
            }
            flags = s.flags();
        } else {
            EvalScript s = scripts.get(sha1hex(first, 0, first.length));
            if (s != null) {
                flags = s.flags();
            } else {
                int[] f = new int[1];
                try {
                    Shebang.parse(first, f);
                } catch (ScriptError e) {
                    return -1;
                }
                flags = f[0];
            }
        }
        return (flags & EVAL_COMPAT_MODE) != 0 ? -1 : flags;
    }

    /** A script of the EVAL cache. */
    record EvalScript(String sha, byte[] body, LuaFunction function, int flags) {
    }

    /** Shebang and function flags (Redis's {@code SCRIPT_FLAG_*}). */
    static final int NO_WRITES = ScriptRun.NO_WRITES;
    static final int ALLOW_OOM = ScriptRun.ALLOW_OOM;
    static final int ALLOW_STALE = ScriptRun.ALLOW_STALE;
    static final int NO_CLUSTER = 8;
    static final int EVAL_COMPAT_MODE = 16;
    static final int ALLOW_CROSS_SLOT = 32;
    static final String[] FLAG_NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", null, "allow-cross-slot-keys"};

    /** Raised to stop a script (SCRIPT KILL, FUNCTION LOAD's time limit); {@code pcall} does not catch it. */
    static final class Interrupted extends LuaError {
        Interrupted(String message) {
            super(LuaReplies.errorTable(message, false));
        }
    }

    final Server server;
    final LuaSandbox eval;
    final Map<String, EvalScript> scripts = new LinkedHashMap<>();
    long scriptsMemory;
    final Functions functions;
    /** The client scripts run their commands as (Redis's lua_client): not listed, never blocks. */
    private final CommandContext scriptContext;
    private final ByteBuf scriptReplies = Unpooled.buffer(256);
    private ScriptRun current;
    private int scriptResp = 2;
    /** Redis's redisLrand48 state: one sequence for the whole server, as in Redis 7.0. */
    private long randState = 0x1234ABCD330EL;
    private long loadStartNanos = -1;
    private long scriptsRun;
    private long scriptNanos;

    public Scripting(Server server) {
        this.server = server;
        // "lua" is the script client's address in MONITOR's lines ([0 lua] "set" ...), as in Redis.
        Client lua = new Client(-1, "lua", "", server.keyspace(), server.transactions(), true, server.stats()::errorReplied);
        lua.reply.target(scriptReplies);
        this.scriptContext = server.context(lua);
        scriptContext.scriptClient = true;
        this.eval = new LuaSandbox(this);
        eval.globals.rawset("redis", redisLibrary(true));
        eval.lock();
        this.functions = new Functions(this);
    }

    /** The script running now, or null. */
    public ScriptRun current() {
        return current;
    }

    // ------------------------------------------------------------------ EVAL's cache

    static String sha1hex(byte[] b, int from, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(b, from, length);
            byte[] d = md.digest();
            StringBuilder s = new StringBuilder(40);
            for (byte x : d) {
                s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached script of this SHA1 (lower or upper case), or null. */
    EvalScript script(byte[] sha) {
        return sha.length == 40 ? scripts.get(new String(sha, StandardCharsets.ISO_8859_1).toLowerCase()) : null;
    }

    /** Compiles and caches a script body (Redis's luaCreateFunction); returns its SHA1. Throws the reply's text on an error. */
    String create(byte[] body) {
        String sha = sha1hex(body, 0, body.length);
        if (scripts.containsKey(sha)) {
            return sha;
        }
        int[] flags = new int[1];
        int skip = Shebang.parse(body, flags);
        LuaFunction f;
        try {
            f = eval.compile(body, skip, "@user_script", eval.globals);
        } catch (LuaError e) {
            throw new ScriptError("ERR Error compiling script (new function): " + LuaSandbox.rawMessage(e));
        }
        scripts.put(sha, new EvalScript(sha, body, f, flags[0]));
        scriptsMemory += body.length;
        return sha;
    }

    /** SCRIPT FLUSH */
    void flushScripts() {
        scripts.clear();
        scriptsMemory = 0;
    }

    /** A refusal with Redis's error text, raised before a script runs. */
    static final class ScriptError extends RuntimeException {
        ScriptError(String reply) {
            super(reply, null, false, false);
        }
    }

    // ------------------------------------------------------------------ running

    /**
     * Checks a script's flags against the server's state before it runs (Redis's
     * scriptPrepareForRun); returns the run, or null after replying the refusal.
     */
    ScriptRun prepare(CommandContext caller, String name, int flags, boolean ro, boolean evalMode) {
        boolean stale = server.servesNoStaleData();
        if ((flags & EVAL_COMPAT_MODE) != 0 && stale) {
            caller.reply.error("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
            return null;
        }
        if ((flags & EVAL_COMPAT_MODE) == 0) {
            if (stale && (flags & ALLOW_STALE) == 0) {
                caller.reply.error("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' "
                    + "and 'allow-stale' flag is not set on the script.");
                return null;
            }
            if ((flags & NO_WRITES) == 0) {
                if (server.rdb().writeError(server.config().get(Settings.STOP_WRITES_ON_BGSAVE_ERROR)) != null) {
                    caller.reply.error("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
                        + "persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.");
                    return null;
                }
                String aofError = server.aof().writeError();
                if (aofError != null) {
                    caller.reply.error("MISCONF Redis is configured to persist data to AOF, but it's currently unable to "
                        + "persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. "
                        + "AOF error: " + aofError);
                    return null;
                }
                if (ro) {
                    caller.reply.error("ERR Can not execute a script with write flag using *_ro command.");
                    return null;
                }
            }
            if (server.dispatcher().oomBeforeCommand() && (flags & (ALLOW_OOM | NO_WRITES)) == 0) {
                caller.reply.error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
                return null;
            }
        }
        boolean readOnly = ro || ((flags & EVAL_COMPAT_MODE) == 0 && (flags & NO_WRITES) != 0);
        boolean allowOom = (flags & EVAL_COMPAT_MODE) == 0 && (flags & ALLOW_OOM) != 0;
        return new ScriptRun(caller, scriptContext, name, evalMode, readOnly, allowOom,
            server.dispatcher().oomBeforeCommand());
    }

    /**
     * Runs a script: EVAL's with KEYS and ARGV as globals, a function with them as its two
     * arguments; its return value or error becomes the caller's reply (Redis's luaCallFunction).
     */
    void run(ScriptRun run, LuaFunction f, LuaSandbox sandbox, byte[][] argv, int firstKey, int numkeys) {
        CommandContext caller = run.caller;
        LuaTable keys = array(argv, firstKey, firstKey + numkeys);
        LuaTable args = array(argv, firstKey + numkeys, caller.argc);
        scriptContext.client.select(caller.db().id());
        scriptResp = 2;
        scriptContext.reply.resp(2);
        caller.propagateAs = dev.quokka.persistence.Effects.NOTHING;
        current = run;
        sandbox.hook.reset();
        long start = System.nanoTime();
        try {
            LuaValue result;
            if (run.eval) {
                sandbox.globals.force(KEYS, keys);
                sandbox.globals.force(ARGV, args);
                result = f.call();
            } else {
                result = f.call(keys, args);
            }
            LuaReplies.write(result, caller.reply, scriptResp, 0);
        } catch (LuaError e) {
            replyError(caller, run, e, sandbox);
        } catch (StackOverflowError e) {
            // The interpreter's recursion reached the thread's stack before Lua's own limit.
            String where = sandbox.hook.lastLine;
            String at = where == null ? "" : where.substring(where.startsWith("@") ? 1 : 0) + ": ";
            caller.reply.error("ERR " + at + "stack overflow" + (where == null ? "" : " script: " + run.name + ", on " + where + "."));
        } catch (OutOfMemoryError e) {
            // What the script allocated is garbage now; the server goes on (Lua's LUA_ERRMEM).
            MemoryGuard.scriptRanOut();
            caller.reply.error("ERR Error running script " + run.name + ", not enough memory");
        } finally {
            current = null;
            scriptsRun++;
            scriptNanos += System.nanoTime() - start;
            if (run.eval) {
                sandbox.globals.force(KEYS, LuaValue.NIL);
                sandbox.globals.force(ARGV, LuaValue.NIL);
            }
        }
    }

    private static final LuaString KEYS = LuaString.valueOf("KEYS");
    private static final LuaString ARGV = LuaString.valueOf("ARGV");

    private static LuaTable array(byte[][] argv, int from, int to) {
        LuaTable t = new LuaTable(Math.max(0, to - from), 0);
        for (int i = from; i < to; i++) {
            t.rawset(i - from + 1, LuaString.valueUsing(argv[i]));
        }
        return t;
    }

    /** The reply to a script that raised an error: its text, and where it was raised (Redis's error handler). */
    private static void replyError(CommandContext caller, ScriptRun run, LuaError e, LuaSandbox sandbox) {
        String lastLine = sandbox.hook.lastLine;
        LuaValue obj = sandbox.errorObject(e, lastLine);
        String where = LuaSandbox.fileline(e);
        if (where == null) {
            where = lastLine; // raised by a tail call, after its caller's frame was gone
        }
        boolean counted = false;
        String msg;
        if (obj.istable()) {
            LuaValue err = obj.get(LuaReplies.ERR);
            msg = err.isstring() ? LuaReplies.latin1(err.tostring()) : "ERR unknown error";
            counted = obj.get(LuaReplies.COUNTED).toboolean();
        } else {
            msg = "ERR " + LuaReplies.latin1(obj.tostring());
        }
        if (where != null && where.lastIndexOf(':') > 0) {
            msg += " script: " + run.name + ", on " + where + ".";
        }
        if (counted) {
            caller.reply.errorUncounted(msg);
        } else {
            caller.reply.error(msg);
        }
    }

    /** Called every few thousand Lua instructions: SCRIPT KILL, and FUNCTION LOAD's time limit. */
    void checkpoint() {
        ScriptRun run = current;
        if (run != null) {
            long now = System.nanoTime();
            long threshold = busyThresholdMillis();
            if (threshold > 0 && now - run.startNanos > threshold * 1_000_000L && now - lastPoll > POLL_EVERY_NANOS) {
                if (!run.timedOut) {
                    run.timedOut = true;
                    LOG.warnf("Slow script detected: still in execution after %d milliseconds. You can try killing the "
                        + "script using the %s command. Script name is: %s.", (now - run.startNanos) / 1_000_000,
                        run.eval ? "SCRIPT KILL" : "FUNCTION KILL", run.name);
                }
                lastPoll = now;
                pollOtherClients(run);
            }
            if (MemoryGuard.scriptOverLimit()) {
                throw new Interrupted("not enough memory");
            }
            if (run.killed) {
                LOG.warn("Lua script killed by user with SCRIPT KILL.");
                throw new Interrupted("Script killed by user with SCRIPT KILL...");
            }
        }
        if (loadStartNanos >= 0 && System.nanoTime() - loadStartNanos > 500_000_000L) {
            throw new Interrupted("FUNCTION LOAD timeout");
        }
    }

    /** How often a script past the threshold reads the other clients' sockets. */
    private static final long POLL_EVERY_NANOS = 5_000_000L;
    private long lastPoll;

    /**
     * Serves the other clients from within the script (Redis's processEventsWhileBlocked): each
     * connection but the caller's reads what waits on its socket and runs it; the dispatcher
     * answers BUSY to all but SCRIPT KILL, FUNCTION KILL, SHUTDOWN and the other busy-allowed commands.
     */
    private void pollOtherClients(ScriptRun run) {
        Client caller = run.caller.client;
        try {
            server.runWhileBusy();
            Client[] clients = server.clients().all().toArray(new Client[0]);
            for (Client c : clients) {
                if (c != caller && c.connection() != null && !c.closed()) {
                    c.connection().pollWhileBusy();
                }
            }
        } finally {
            server.clients().current(caller);
        }
    }

    void loading(boolean on) {
        loadStartNanos = on ? System.nanoTime() : -1;
    }

    long lrand48() {
        randState = (randState * 0x5DEECE66DL + 0xB) & ((1L << 48) - 1);
        return randState >>> 17;
    }

    void srand48(int seed) {
        randState = ((seed & 0xFFFFFFFFL) << 16) | 0x330E;
    }

    /** SCRIPT KILL / FUNCTION KILL (Redis's scriptKill). */
    void kill(CommandContext c, boolean eval) {
        ScriptRun run = current;
        if (run == null) {
            c.reply.error("NOTBUSY No scripts in execution right now.");
        } else if (run.wroteData) {
            c.reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
                + "either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        } else if (eval && !run.eval) {
            c.reply.error("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
        } else if (!eval && run.eval) {
            c.reply.error("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
        } else {
            run.killed = true;
            c.reply.ok();
        }
    }

    public long scriptsRun() {
        return scriptsRun;
    }

    public long scriptMillis() {
        return scriptNanos / 1_000_000;
    }

    public int cachedScripts() {
        return scripts.size();
    }

    public long scriptsMemory() {
        return scriptsMemory;
    }

    public Functions functions() {
        return functions;
    }

    // ------------------------------------------------------------------ the redis library

    /**
     * The {@code redis} table: {@code call}, {@code pcall} and the helpers; {@code forEval}
     * adds EVAL's debugger stubs and {@code replicate_commands}.
     */
    ProtectedTable redisLibrary(boolean forEval) {
        ProtectedTable r = new ProtectedTable();
        r.rawset("call", new Call(true));
        r.rawset("pcall", new Call(false));
        registerLog(r);
        registerVersion(r);
        r.rawset("setresp", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (current == null) {
                    throw scriptError("redis.setresp can only be called inside a script invocation");
                }
                if (args.narg() != 1) {
                    throw scriptError("redis.setresp() requires one argument.");
                }
                int resp = args.checkint(1);
                if (resp != 2 && resp != 3) {
                    throw scriptError("RESP version must be 2 or 3.");
                }
                scriptResp = resp;
                scriptContext.reply.resp(resp);
                return NONE;
            }
        });
        r.rawset("sha1hex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw scriptError("wrong number of arguments");
                }
                LuaString s = args.arg1().isstring() ? args.arg1().checkstring() : LuaString.valueOf("");
                return LuaValue.valueOf(sha1hex(s.m_bytes, s.m_offset, s.m_length));
            }
        });
        r.rawset("error_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1 || args.arg1().type() != LuaValue.TSTRING) {
                    return LuaReplies.errorTable("wrong number or type of arguments", false);
                }
                String e = LuaReplies.latin1(args.arg1());
                return LuaReplies.errorTable(e.startsWith("-") ? e : "-" + e, false);
            }
        });
        r.rawset("status_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1 || args.arg1().type() != LuaValue.TSTRING) {
                    return LuaReplies.errorTable("wrong number or type of arguments", false);
                }
                LuaTable t = new LuaTable();
                t.rawset(LuaReplies.OK, args.arg1());
                return t;
            }
        });
        r.rawset("set_repl", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (current == null) {
                    throw scriptError("redis.set_repl can only be called inside a script invocation");
                }
                if (args.narg() != 1) {
                    throw scriptError("redis.set_repl() requires two arguments.");
                }
                int flags = args.checkint(1);
                if ((flags & ~3) != 0) {
                    throw scriptError("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
                }
                current.propagate = (flags & 1) != 0;
                return NONE;
            }
        });
        r.rawset("REPL_NONE", LuaValue.valueOf(0));
        r.rawset("REPL_AOF", LuaValue.valueOf(1));
        r.rawset("REPL_SLAVE", LuaValue.valueOf(2));
        r.rawset("REPL_REPLICA", LuaValue.valueOf(2));
        r.rawset("REPL_ALL", LuaValue.valueOf(3));
        r.rawset("acl_check_cmd", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (current == null) {
                    throw scriptError("redis.acl_check_cmd can only be called inside a script invocation");
                }
                if (args.narg() == 0) {
                    throw scriptError("Please specify at least one argument for this redis lib call");
                }
                byte[][] argv = arguments(args);
                if (argv == null) {
                    throw scriptError("Lua redis lib command arguments must be strings or integers");
                }
                // Found by name (and subcommand) only, arity unchecked, as Redis's lookupCommand.
                dev.quokka.command.CommandSpec spec = server.commands().lookup(argv[0]);
                if (spec != null && spec.isContainer() && argv.length >= 2) {
                    spec = spec.subcommands().lookup(argv[1]);
                }
                if (spec == null) {
                    throw scriptError("Invalid command passed to redis.acl_check_cmd()");
                }
                // The caller's user, as Redis's luaRedisAclCheckCmdPermissionsCommand (nothing logged).
                return dev.quokka.command.acl.AclCheck.check(current.caller.client.user(), spec, argv, argv.length) == null
                    ? TRUE : FALSE;
            }
        });
        if (forEval) {
            r.rawset("breakpoint", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    return FALSE; // no debugging session
                }
            });
            r.rawset("debug", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    return NONE;
                }
            });
            r.rawset("replicate_commands", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    return TRUE;
                }
            });
        }
        return r;
    }

    static void registerVersion(LuaTable r) {
        r.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(0x07000f));
        r.rawset("REDIS_VERSION", LuaValue.valueOf("7.0.15"));
    }

    static void registerLog(LuaTable r) {
        r.rawset("log", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() < 2) {
                    throw scriptError("redis.log() requires two arguments or more.");
                }
                if (!args.arg1().isnumber()) {
                    throw scriptError("First argument must be a number (log level).");
                }
                int level = args.arg1().toint();
                if (level < 0 || level > 3) {
                    throw scriptError("Invalid debug level.");
                }
                StringBuilder s = new StringBuilder();
                for (int i = 2; i <= args.narg(); i++) {
                    if (i > 2) {
                        s.append(' ');
                    }
                    LuaValue v = args.arg(i);
                    if (v.isstring()) {
                        s.append(LuaReplies.latin1(v.tostring()));
                    }
                }
                switch (level) {
                    case 0 -> LOG.debug(s);
                    case 1 -> LOG.info(s);
                    case 2 -> LOG.info(s);
                    default -> LOG.warn(s);
                }
                return NONE;
            }
        });
        r.rawset("LOG_DEBUG", LuaValue.valueOf(0));
        r.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
        r.rawset("LOG_NOTICE", LuaValue.valueOf(2));
        r.rawset("LOG_WARNING", LuaValue.valueOf(3));
    }

    /** An error raised as Redis's luaPushError + lua_error: a table with {@code err}. */
    static LuaError scriptError(String text) {
        return new LuaError(LuaReplies.errorTable(text, false));
    }

    /** The arguments of redis.call as the request's bytes (numbers as {@code %.17g}); null if one is neither. */
    private static byte[][] arguments(Varargs args) {
        int n = args.narg();
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            LuaValue v = args.arg(i + 1);
            if (v.type() == LuaValue.TNUMBER) {
                argv[i] = Numbers.formatG(v.todouble(), 17).getBytes(StandardCharsets.US_ASCII);
            } else if (v.type() == LuaValue.TSTRING) {
                LuaString s = (LuaString) v;
                argv[i] = s.m_offset == 0 && s.m_length == s.m_bytes.length ? s.m_bytes
                    : java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
            } else {
                return null;
            }
        }
        return argv;
    }

    /** {@code redis.call} (raising errors) and {@code redis.pcall} (returning them as tables). */
    private final class Call extends VarArgFunction {
        private final boolean raise;

        Call(boolean raise) {
            this.raise = raise;
        }

        @Override
        public Varargs invoke(Varargs args) {
            ScriptRun run = current;
            if (run == null) {
                throw scriptError("redis.call/pcall can only be called inside a script invocation");
            }
            LuaValue result;
            if (args.narg() == 0) {
                result = LuaReplies.errorTable("Please specify at least one argument for this redis lib call", false);
            } else {
                byte[][] argv = arguments(args);
                if (argv == null) {
                    result = LuaReplies.errorTable("Lua redis lib command arguments must be strings or integers", false);
                } else {
                    result = call(run, argv);
                }
            }
            if (raise && result.istable() && result.rawget(LuaReplies.ERR).type() == LuaValue.TSTRING) {
                throw new LuaError(result);
            }
            return result;
        }

        private LuaValue call(ScriptRun run, byte[][] argv) {
            CommandContext c = run.script;
            c.argv = argv;
            c.argc = argv.length;
            c.reply.flush();
            scriptReplies.clear();
            String refused;
            try {
                refused = server.dispatcher().callFromScript(run);
            } finally {
                c.argv = null;
            }
            if (refused != null) {
                LuaTable t = LuaReplies.errorTable(refused, false);
                t.rawset(LuaReplies.COUNTED, LuaValue.TRUE);
                server.stats().errorReplied(t.rawget(LuaReplies.ERR).tojstring());
                return t;
            }
            c.reply.flush();
            if (!scriptReplies.isReadable()) {
                return LuaValue.NIL;
            }
            LuaValue v = LuaReplies.toLua(scriptReplies);
            scriptReplies.clear();
            return v;
        }
    }

    /** busy-reply-threshold (lua-time-limit): after it, other clients are answered BUSY. */
    long busyThresholdMillis() {
        return server.config().get(Settings.BUSY_REPLY_THRESHOLD);
    }
}
