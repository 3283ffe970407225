package dev.quokka.command;

import dev.quokka.acl.AclLog;
import dev.quokka.command.acl.AclCheck;
import dev.quokka.command.acl.AclCommands;
import dev.quokka.config.Settings;
import dev.quokka.eviction.Evictor;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.Effects;
import dev.quokka.persistence.EffectsStream;
import dev.quokka.session.Blocking;
import dev.quokka.session.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Finds a request's command and runs it, applying the checks Redis's {@code processCommand}
 * applies first, in its order: unknown command or subcommand, arity, authentication, loading,
 * maxmemory (evicting first), AOF write errors. After a command that changed the dataset, its effect goes to the
 * append-only file.
 * All error texts are Redis 7.0's.
 */
public final class Dispatcher {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Dispatcher.class);
    private static final Set<String> ALLOWED_WHEN_SUBSCRIBED = Set.of(
        "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    private final Server server;
    /** Where replies to replayed commands go, to be dropped. */
    private final ByteBuf replayReplies = Unpooled.buffer(256);

    /**
     * Whether the server was over maxmemory, with nothing the policy could evict, before the
     * command now running (Redis's {@code pre_command_oom_state}, which scripts consult).
     */
    private boolean oomBeforeCommand;
    /** Error replies of nested commands (EXEC's queue) so far: not their container's failures. */
    private long nestedErrors;

    Dispatcher(Server server) {
        this.server = server;
    }

    /** Executes the request in {@code c.argv}; replies go to {@code c.reply}. */
    public void execute(CommandContext c) {
        Client client = c.client;
        Client.ReplyMode mode = client.replyMode();
        if (mode == Client.ReplyMode.SKIP) {
            // CLIENT REPLY SKIP: the command after it runs without a reply.
            c.reply.enabled(false);
            client.replyMode(Client.ReplyMode.ON);
        }
        // A replica's link (after SYNC or PSYNC) carries only its acknowledgements, which get no reply.
        boolean replicaLink = client.replica();
        int mark = replicaLink ? c.reply.mark() : 0;
        byte[][] argv = c.argv;
        int argc = c.argc;
        try {
            run(c, client);
        } finally {
            if (mode == Client.ReplyMode.SKIP) {
                c.reply.enabled(client.replyMode() == Client.ReplyMode.ON);
            }
        }
        if (replicaLink && c.reply.mark() != mark) {
            // A reply would land in the replica's copy of the stream (Redis's logInvalidUseAndFreeClientAsync).
            c.reply.rewind(mark);
            CommandSpec spec = server.commands().resolve(argv, argc);
            LOG.warnf("Replica generated a reply to command '%s', disconnecting it: %s",
                spec == null ? "<unknown>" : spec.fullName(), dev.quokka.command.connection.ClientCommands.describe(client, c));
            if (client.connection() != null) {
                client.connection().close();
            }
        }
    }

    private void run(CommandContext c, Client client) {
        byte[][] argv = c.argv;
        int argc = c.argc;
        // Only a command run straight after the previous one of its batch starts at that one's end.
        long since = c.commandClock;
        c.commandClock = 0;
        CommandSpec spec = server.commands().lookup(argv[0]);
        if (spec != null && spec.isContainer() && argc >= 2) {
            CommandSpec sub = spec.subcommands().lookup(argv[1]);
            if (sub == null) {
                reject(c, null, "ERR unknown subcommand '" + c.quoted(1, 128) + "'. Try "
                    + spec.name().toUpperCase() + " HELP.");
                return;
            }
            spec = sub;
        }
        if (spec == null) {
            reject(c, null, unknownCommand(c));
            return;
        }
        if (!spec.arityOk(argc)) {
            reject(c, spec, "ERR wrong number of arguments for '" + spec.fullName() + "' command");
            return;
        }
        if (spec.has(Flag.PROTECTED)) {
            // enable-debug-command (DEBUG) or enable-module-command (MODULE LOAD, LOADEX, UNLOAD),
            // checked before MULTI queues the command, as Redis's processCommand does.
            boolean debug = spec.fullName().startsWith("debug");
            if (!server.config().allows(debug ? Settings.ENABLE_DEBUG_COMMAND : Settings.ENABLE_MODULE_COMMAND, client.local())) {
                String name = debug ? "debug" : "module";
                reject(c, spec, "ERR " + name.toUpperCase() + " command not allowed. If the enable-" + name
                    + "-command option is set to \"local\", you can run it from a local connection, otherwise you need "
                    + "to set this option in the configuration file, and then restart the server.");
                return;
            }
        }
        // The primary's stream is obeyed (Redis's mustObeyClient): no auth, ACL, OOM, disk or read-only check.
        boolean obey = client.master();
        if (!obey && !client.authenticated() && !spec.has(Flag.NO_AUTH)) {
            reject(c, spec, "NOAUTH Authentication required.");
            return;
        }
        if (!obey && client.user() != null && !client.user().unrestricted()) {
            AclCheck.Denial denied = AclCheck.check(client.user(), spec, argv, argc);
            if (denied != null) {
                AclCommands.log(c, denied.reason(), client.inMulti() ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL,
                    AclCheck.object(denied, spec, argv), null);
                reject(c, spec, AclCheck.error(denied, spec));
                return;
            }
        }
        // In RESP2 a subscribed connection may only manage subscriptions (Redis's processCommand).
        if (client.subscribed() && c.reply.resp() == 2 && !ALLOWED_WHEN_SUBSCRIBED.contains(spec.fullName())) {
            reject(c, spec, "ERR Can't execute '" + spec.fullName() + "': only (P|S)SUBSCRIBE / "
                + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (client.replica() && (spec.has(Flag.WRITE) || spec.has(Flag.READONLY) || spec.has(Flag.MAY_REPLICATE))) {
            LOG.warnf("== CRITICAL == This master is sending an error to its replica: 'Replica can't interact with the "
                + "keyspace' after processing the command '%s'", spec.fullName());
            reject(c, spec, "ERR Replica can't interact with the keyspace");
            return;
        }
        if (server.keyspace().loading() && !spec.has(Flag.LOADING)
            || server.asyncLoading() && (spec.has(Flag.NO_ASYNC_LOADING) || spec.fullName().equals("exec")
                && queues(client, Flag.NO_ASYNC_LOADING))) {
            reject(c, spec, "LOADING Redis is loading the dataset in memory");
            return;
        }
        Evictor evictor = server.evictor();
        server.evictClients();
        oomBeforeCommand = !obey && server.evicting() && !server.keyspace().paused() && !evict(evictor);
        if (oomBeforeCommand && has(spec, Flag.DENYOOM, argv, argc)) {
            // Over maxmemory and nothing the policy may evict: writes that add data are refused.
            reject(c, spec, "OOM command not allowed when used memory > 'maxmemory'.");
            return;
        }
        if (!obey && server.upstream().replica() && server.config().get(Settings.REPLICA_READ_ONLY)
            && has(spec, Flag.WRITE, argv, argc)) {
            reject(c, spec, "READONLY You can't write against a read only replica.");
            return;
        }
        if (!obey && staleDenied(client, spec, argv, argc)) {
            reject(c, spec, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
            return;
        }
        String diskError = obey ? null : server.diskWriteError();
        if (diskError != null && (has(spec, Flag.WRITE, argv, argc) || spec.fullName().equals("ping"))) {
            // Redis refuses writes (and PING, so that monitoring notices) while the disk can't be written.
            reject(c, spec, diskError);
            return;
        }
        if (!obey && has(spec, Flag.WRITE, argv, argc) && !server.enoughGoodReplicas()) {
            reject(c, spec, "NOREPLICAS Not enough good replicas to write.");
            return;
        }
        if (!spec.has(Flag.ALLOW_BUSY)) {
            ScriptRun busy = server.busyScript();
            if (busy != null) {
                // A script past busy-reply-threshold holds the server (Redis's slowevalerr / slowscripterr).
                reject(c, spec, "BUSY Redis is busy running a script. You can only call "
                    + (busy.eval ? "SCRIPT" : "FUNCTION") + " KILL or SHUTDOWN NOSAVE.");
                return;
            }
        }
        if (client.inMulti() && spec.has(Flag.NO_MULTI)) {
            reject(c, spec, "ERR Command not allowed inside a transaction");
            return;
        }
        Blocking.Pause pause = server.blocking().pause();
        if (pause != Blocking.Pause.OFF && !obey && !client.servingBlocked()
            && (pause == Blocking.Pause.ALL || has(spec, Flag.WRITE, argv, argc) || has(spec, Flag.MAY_REPLICATE, argv, argc)
                || mayReplicate(client, spec))) {
            // CLIENT PAUSE: the request waits, unanswered, until the pause ends (Redis's BLOCKED_POSTPONE).
            server.blocking().postpone(client, Arrays.copyOf(argv, argc));
            return;
        }
        if (client.inMulti() && !TRANSACTION_CONTROL.contains(spec.fullName())) {
            // Between MULTI and EXEC a checked command waits in the client's queue (Redis's processCommand).
            client.queue(argv, argc);
            c.reply.simple("QUEUED");
            return;
        }
        invoke(c, spec, false, since);
    }

    /** Runs the evictor before a command (Redis's performEvictions), sampled as the latency monitor's eviction-cycle. */
    private boolean evict(Evictor evictor) {
        long start = System.nanoTime();
        boolean ok = evictor.performEvictions();
        server.latency().sample("eviction-cycle", (System.nanoTime() - start) / 1_000_000,
            server.config().get(Settings.LATENCY_MONITOR_THRESHOLD));
        return ok;
    }

    /** Whether EXEC's queue holds a command that writes or may be propagated, which CLIENT PAUSE WRITE stops. */
    private boolean mayReplicate(Client client, CommandSpec spec) {
        return spec.fullName().equals("exec") && anyQueued(client, (q, argv) -> has(q, Flag.WRITE, argv, argv.length)
            || has(q, Flag.MAY_REPLICATE, argv, argv.length));
    }

    /** Whether a command in EXEC's queue has this property (Redis's mstate flags, script flags included). */
    private boolean anyQueued(Client client, java.util.function.BiPredicate<CommandSpec, byte[][]> test) {
        for (byte[][] queued : client.queuedCommands()) {
            CommandSpec q = server.commands().resolve(queued, queued.length);
            if (q != null && test.test(q, queued)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the command has this flag as Redis's processCommand sees it: for EVAL and FCALL,
     * a script that declares flags (a shebang, or a function's flags) replaces their write,
     * deny-OOM, stale and may-replicate flags with its own (scriptFlagsToCmdFlags).
     */
    private boolean has(CommandSpec spec, Flag flag, byte[][] argv, int argc) {
        if (!spec.flagsFromScript || argc < 2
            || !(flag == Flag.WRITE || flag == Flag.DENYOOM || flag == Flag.MAY_REPLICATE || flag == Flag.STALE)) {
            return spec.has(flag);
        }
        int declared = server.scripting().declaredFlags(spec.fullName(), argv[1]);
        if (declared < 0) {
            return spec.has(flag);
        }
        return switch (flag) {
            case WRITE -> (declared & ScriptRun.NO_WRITES) == 0;
            case DENYOOM -> (declared & (ScriptRun.NO_WRITES | ScriptRun.ALLOW_OOM)) == 0;
            case STALE -> (declared & ScriptRun.ALLOW_STALE) != 0;
            default -> false;
        };
    }

    /**
     * A replica whose link is down with replica-serve-stale-data no serves only commands flagged
     * STALE (EXEC only if every queued command is), as Redis's processCommand.
     */
    private boolean staleDenied(Client client, CommandSpec spec, byte[][] argv, int argc) {
        if (!server.servesNoStaleData()) {
            return false;
        }
        if (!has(spec, Flag.STALE, argv, argc)) {
            return true;
        }
        return spec.fullName().equals("exec") && client.inMulti()
            && anyQueued(client, (q, queued) -> !has(q, Flag.STALE, queued, queued.length));
    }

    /** What runs at once between MULTI and EXEC instead of being queued. */
    private static final Set<String> TRANSACTION_CONTROL = Set.of(
        "exec", "discard", "multi", "watch", "quit", "reset");

    /**
     * Runs a checked command: statistics, AOF propagation, then (outside EXEC) the clients blocked
     * on keys it filled. {@code nested}: one of EXEC's queued commands, whose effects join EXEC's.
     * {@code since}: where its timing starts, the end of the command before it in the same read
     * batch (what lies between is only the parsing of this one), or 0 to read the clock.
     */
    private void invoke(CommandContext c, CommandSpec spec, boolean nested, long since) {
        byte[][] argv = c.argv;
        int argc = c.argc;
        Keyspace ks = server.keyspace();
        long start = since != 0 ? since : System.nanoTime();
        ks.tick(start);
        long errorsBefore = c.reply.errors();
        long nestedBefore = nestedErrors;
        long dirty = ks.dirty();
        if (!c.scriptClient) {
            // A script's commands run for its caller (Redis's current_client stays the caller: NOLOOP tracking).
            server.clients().current(c.client);
        }
        EffectsStream effects = server.effects();
        boolean persisting = effects.active();
        if (persisting && !nested) {
            effects.beginCommand();
        }
        boolean failed = true;
        try {
            spec.handler.execute(c);
            failed = false;
        } catch (CommandError e) {
            c.reply.error(e.reply());
            failed = false;
        } finally {
            if (!nested) {
                server.clients().current(null);
            }
            ks.settle();
            byte[][] effect = c.propagateAs;
            c.propagateAs = null;
            boolean changed = ks.dirty() != dirty && effect != Effects.NOTHING;
            if (failed) {
                // An Error (OutOfMemoryError) escaped: nothing of this command, or of the EXEC it
                // belongs to, reaches the AOF, so that a restart finds a transaction whole or absent.
                if (persisting && !nested) {
                    effects.abortCommand();
                }
            } else if (persisting && nested) {
                if (changed && !c.propagateNothing) {
                    effects.propagate(c.db().id(), effect != null ? effect : Arrays.copyOf(argv, argc));
                }
            } else if (persisting) {
                long before = server.primary().offset();
                effects.endCommand(c.db().id(), argv, argc, effect == Effects.NOTHING ? null : effect, changed);
                if (server.primary().offset() != before) {
                    // WAIT's target: the replication offset right after this client's last write.
                    c.client.writeOffset(server.primary().offset());
                }
            }
        }
        if (!nested) {
            // Clients blocked on keys this command filled are served now, after it (Redis's handleClientsBlockedOnKeys).
            server.blocking().serveReady();
        }
        long end = System.nanoTime();
        long elapsed = end - start;
        if (!nested) {
            c.commandClock = end;
        }
        spec.micros += elapsed / 1000;
        // Redis's call(): a command counts one call when it first runs, blocked or not (a blocked
        // client served later is not called again); its latency is recorded once it is answered.
        Client client = c.client;
        boolean rerun = client.servingBlocked();
        if (!client.blocked() || (rerun && !client.stillBlocked())) {
            spec.recordLatency(elapsed);
            if (server.config().get(Settings.LATENCY_TRACKING)) {
                spec.trackLatency(elapsed);
            }
        }
        observe(c, spec, argv, argc, elapsed);
        afterCommand(c, spec, nested);
        if (!rerun) {
            spec.calls++;
        }
        // A command fails by its own error reply: EXEC whose queued command failed did not (Redis's call()).
        long errors = c.reply.errors() - errorsBefore;
        if (errors - (nestedErrors - nestedBefore) > 0) {
            spec.failedCalls++;
        }
        if (nested && !c.scriptClient) {
            // EXEC's queued commands answer through EXEC's writer; a script's commands through the script's.
            nestedErrors += errors - (nestedErrors - nestedBefore);
        }
        server.stats().commandExecuted();
        c.client.lastCommand(spec.fullName());
    }

    /**
     * What the operator's tools see of a command that ran (Redis's call()): a latency sample, the
     * slow log (a command that blocked is logged when it is served) and the MONITOR feed (not for
     * admin commands, nor again when a blocked command is served), sensitive arguments hidden.
     */
    private void observe(CommandContext c, CommandSpec spec, byte[][] argv, int argc, long elapsedNanos) {
        long micros = elapsedNanos / 1000;
        server.latency().sample(spec.has(Flag.FAST) ? "fast-command" : "command", micros / 1000,
            server.config().get(Settings.LATENCY_MONITOR_THRESHOLD));
        Client client = c.client;
        boolean served = !client.blocked() || (client.servingBlocked() && !client.stillBlocked());
        long slowerThan = server.config().get(Settings.SLOWLOG_LOG_SLOWER_THAN);
        long maxLen = server.config().get(Settings.SLOWLOG_MAX_LEN);
        // Only a command that is logged or monitored pays for the redaction of its arguments.
        boolean slowLog = !spec.has(Flag.SKIP_SLOWLOG) && served && slowerThan >= 0 && micros >= slowerThan;
        boolean monitor = !spec.has(Flag.SKIP_MONITOR) && !spec.has(Flag.ADMIN) && !c.client.servingBlocked()
            && !server.monitors().isEmpty();
        if (!slowLog) {
            server.slowLog().trim(maxLen);
        }
        if (!slowLog && !monitor) {
            return;
        }
        byte[][] shown = Redaction.forLogs(spec, argv, argc);
        if (slowLog) {
            server.slowLog().record(c.client, shown, argc, micros, slowerThan, maxLen);
        }
        if (monitor) {
            server.monitors().feed(c.client, c.db().id(), shown, argc);
        }
    }

    /** After a command ran: remember keys it read for tracking, then its own invalidations, after its reply. */
    private void afterCommand(CommandContext c, CommandSpec spec, boolean inExec) {
        Client client = c.client;
        if (spec.has(Flag.WRITE) && !client.master() && server.upstream().replica()
            && !server.config().get(Settings.REPLICA_READ_ONLY)) {
            rememberOwnExpires(c, spec);
        }
        if (client.tracking()) {
            // A read-only script (EVAL_RO, FCALL_RO) is tracked by the reads its commands make, not as itself.
            if (spec.has(Flag.READONLY) && !spec.flagsFromScript) {
                server.tracking().remember(client, c.argv, spec.keyPositions(c.argv, c.argc));
            }
            if (!spec.fullName().startsWith("client|")) {
                client.trackingCaching(false);
            }
            if (!inExec) {
                server.tracking().sendPending(client); // inside EXEC the invalidations follow EXEC's reply
            }
        }
    }

    /**
     * A write on a writable replica: keys it left with a TTL are remembered, to be expired by this
     * server, as its primary knows nothing of them (Redis does it in setExpire).
     */
    private void rememberOwnExpires(CommandContext c, CommandSpec spec) {
        Database db = c.db();
        for (int i : spec.keyPositions(c.argv, c.argc)) {
            Entry e = db.find(c.argv[i]);
            if (e != null && e.expireAt() != Entry.NO_EXPIRE) {
                c.keyspace().rememberReplicaKeyWithExpire(db, c.argv[i]);
            }
        }
    }

    /**
     * EXEC: runs the queued commands one after another with nothing in between, replying an
     * array of their replies; their effects reach the AOF together, wrapped in MULTI/EXEC.
     */
    public void exec(CommandContext c) {
        Client client = c.client;
        if (!client.inMulti()) {
            c.reply.error("ERR EXEC without MULTI");
            return;
        }
        if (client.execAborted()) {
            client.endMulti();
            c.reply.error("EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        if (client.watchedKeyChanged()) {
            client.endMulti();
            c.reply.nullArray();
            return;
        }
        List<byte[][]> queue = client.endMulti();
        byte[][] execArgv = c.argv;
        int execArgc = c.argc;
        c.reply.array(queue.size());
        c.propagateAs = null;
        client.inExec(true);
        try {
            for (byte[][] cmd : queue) {
                c.argv = cmd;
                c.argc = cmd.length;
                CommandSpec spec = server.commands().resolve(cmd, cmd.length);
                AclCheck.Denial denied = AclCheck.check(client.user(), spec, cmd, cmd.length);
                if (denied != null) {
                    // Rights taken away between MULTI and EXEC (Redis's execCommand checks again).
                    AclCommands.log(c, denied.reason(), AclLog.Context.MULTI, AclCheck.object(denied, spec, cmd), null);
                    c.reply.error("NOPERM ACLs rules changed between the moment the transaction was accumulated and "
                        + "the EXEC call. This command is no longer allowed for the following reason: "
                        + switch (denied.reason()) {
                            case COMMAND -> "no permission to execute the command or subcommand";
                            case KEY -> "no permission to touch the specified keys";
                            case CHANNEL -> "no permission to access one of the channels used as arguments";
                            case AUTH -> "no permission";
                        });
                    continue;
                }
                invoke(c, spec, true, 0);
            }
        } finally {
            client.inExec(false);
            c.argv = execArgv;
            c.argc = execArgc;
            c.propagateAs = Effects.NOTHING;
        }
    }

    /** Whether the command now running started over maxmemory with nothing left to evict. */
    public boolean oomBeforeCommand() {
        return oomBeforeCommand;
    }

    /**
     * {@code redis.call} from a script (Redis's {@code scriptCall}): the request in
     * {@code run.script.argv} is checked as Redis checks a script's commands, then runs nested in
     * the script's command, its effect joining the script's. Returns the refusal's text (the
     * command did not run), or null when it ran and its reply is in the script client's writer.
     */
    public String callFromScript(ScriptRun run) {
        CommandContext c = run.script;
        CommandSpec spec = server.commands().resolve(c.argv, c.argc);
        if (spec == null) {
            CommandSpec named = server.commands().lookup(c.argv[0]);
            boolean known = named != null && (!named.isContainer() || c.argc < 2
                || named.subcommands().lookup(c.argv[1]) != null);
            return known ? "Wrong number of args calling Redis command from script" : "Unknown Redis command called from script";
        }
        String refusal = scriptRefusal(run, spec);
        if (refusal != null) {
            spec.rejectedCalls++;
            return refusal;
        }

        boolean write = spec.has(Flag.WRITE);
        if (write) {
            run.wroteData = true;
        }
        c.propagateNothing = !run.propagate;
        c.client.user(run.caller.client.user()); // the script's commands run as its caller (Redis's scriptCall)
        try {
            invoke(c, spec, true, 0);
        } finally {
            c.propagateNothing = false;
        }
        Client caller = run.caller.client;
        if (spec.has(Flag.READONLY) && caller.tracking() && !caller.trackingBcast()) {
            // A script that reads has its caller track the keys the script declared (Redis's call()).
            CommandSpec script = server.commands().resolve(run.caller.argv, run.caller.argc);
            if (script != null) {
                server.tracking().remember(caller, run.caller.argv, script.keyPositions(run.caller.argv, run.caller.argc));
            }
        }
        return null;
    }

    /** Why a script may not run this command now (Redis's scriptCall checks), or null. */
    private String scriptRefusal(ScriptRun run, CommandSpec spec) {
        if (spec.has(Flag.NOSCRIPT)) {
            return "This Redis command is not allowed from script";
        }
        CommandContext c = run.script;
        AclCheck.Denial denied = AclCheck.check(run.caller.client.user(), spec, c.argv, c.argc);
        if (denied != null) {
            AclCommands.log(run.caller, denied.reason(), AclLog.Context.LUA, AclCheck.object(denied, spec, c.argv), null);
            return "The user executing the script " + AclCheck.reason(denied);
        }
        if (!spec.has(Flag.STALE) && server.servesNoStaleData()) {
            return "Can not execute the command on a stale replica";
        }
        boolean write = spec.has(Flag.WRITE);
        if (run.readOnly && (write || spec.has(Flag.MAY_REPLICATE))) {
            return "Write commands are not allowed from read-only scripts.";
        }
        if (write && !run.wroteData && server.upstream().replica() && server.config().get(Settings.REPLICA_READ_ONLY)
            && !run.caller.client.master()) {
            return "-READONLY You can't write against a read only replica.";
        }
        if (write && !run.wroteData && server.diskWriteError() != null) {
            return "-" + server.diskWriteError();
        }
        if (write && !run.wroteData && !server.enoughGoodReplicas()) {
            return "-NOREPLICAS Not enough good replicas to write.";
        }
        if (!run.allowOom && !run.wroteData && run.oomAtStart && spec.has(Flag.DENYOOM)) {
            return "-OOM command not allowed when used memory > 'maxmemory'.";
        }
        return null;
    }

    /**
     * Runs a blocked client's command again (its request as {@link Client#blockedRequest} kept
     * it) to serve it now that a key it waits for may be ready; the reply goes to {@code c.reply}.
     */
    public void rerunBlocked(CommandContext c) {
        c.argv = c.client.blockedRequest();
        c.argc = c.argv.length;
        try {
            execute(c);
        } finally {
            c.argv = null;
        }
    }

    /**
     * Runs one command read from the append-only file, as Redis's loader does: straight to its
     * handler (the loader checked it with {@link CommandTable#resolve}), no statistics, no propagation.
     */
    public void replay(CommandContext c, byte[][] argv) {
        CommandSpec spec = server.commands().resolve(argv, argv.length);
        c.argv = argv;
        c.argc = argv.length;
        c.reply.target(replayReplies);
        try {
            spec.handler.execute(c);
        } catch (CommandError e) {
            // Replayed as Redis's loader does: a command that fails changes nothing.
        }
        server.keyspace().settle();
        replayReplies.clear();
        c.propagateAs = null;
        c.argv = null;
    }

    /** Whether a command queued since MULTI has {@code flag} (Redis's mstate.cmd_flags). */
    private boolean queues(Client client, Flag flag) {
        for (byte[][] queued : client.queuedCommands()) {
            CommandSpec s = server.commands().resolve(queued, queued.length);
            if (s != null && s.has(flag)) {
                return true;
            }
        }
        return false;
    }

    private void reject(CommandContext c, CommandSpec spec, String error) {
        c.client.flagTransaction();
        if (spec != null) {
            spec.rejectedCalls++;
            if (spec.fullName().equals("exec")) {
                // A rejected EXEC discards the transaction and says why (Redis's execCommandAbort).
                if (c.client.inMulti()) {
                    c.client.endMulti();
                }
                c.reply.error("EXECABORT Transaction discarded because of: "
                    + (error.startsWith("ERR ") ? error.substring(4) : error));
                server.monitors().feed(c.client, c.db().id(), c.argv, c.argc);
                return;
            }
        }
        c.reply.error(error);
    }

    /** Redis's text: the name and the first arguments, 128 bytes of each at most, each up to a NUL. */
    private static String unknownCommand(CommandContext c) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < c.argc && args.length() < 128; i++) {
            int room = 128 - args.length();
            args.append('\'').append(c.quoted(i, room)).append("' ");
        }
        return "ERR unknown command '" + c.quoted(0, 128) + "', with args beginning with: " + args;
    }
}
