package dev.quokka.command;

/**
 * One running script (Redis's {@code scriptRunCtx}): the client that called it, the client its
 * commands run as, and what its commands may do. The dispatcher reads it for each {@code redis.call}.
 */
public final class ScriptRun {
    /** A script's declared flags (Redis's SCRIPT_FLAG_*), as {@code Scripting.declaredFlags} returns them. */
    public static final int NO_WRITES = 1;
    public static final int ALLOW_OOM = 2;
    public static final int ALLOW_STALE = 4;

    /** The EVAL/FCALL caller's context. */
    public final CommandContext caller;
    /** The script's own client, whose replies the script reads. */
    public final CommandContext script;
    /** The script's SHA1 (EVAL) or the function's name (FCALL), for error texts. */
    public final String name;
    /** EVAL rather than FCALL (SCRIPT KILL versus FUNCTION KILL). */
    public final boolean eval;
    /** EVAL_RO, FCALL_RO, or a script declaring no-writes: write commands are refused. */
    public final boolean readOnly;
    /** allow-oom: commands that add data run even over maxmemory. */
    public final boolean allowOom;
    /** Whether the server was over maxmemory, with nothing to evict, when the script started. */
    public final boolean oomAtStart;
    public final long startNanos = System.nanoTime();
    /** A write command ran: the script can no longer be killed, nor refused on OOM. */
    public boolean wroteData;
    /** SCRIPT KILL / FUNCTION KILL asked it to stop. */
    public volatile boolean killed;
    /** It ran past busy-reply-threshold: other clients are answered BUSY and may kill it. */
    public boolean timedOut;
    /** redis.set_repl: whether the effects of its next commands reach the append-only file. */
    public boolean propagate = true;

    public ScriptRun(CommandContext caller, CommandContext script, String name, boolean eval, boolean readOnly,
                     boolean allowOom, boolean oomAtStart) {
        this.caller = caller;
        this.script = script;
        this.name = name;
        this.eval = eval;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
        this.oomAtStart = oomAtStart;
    }
}
