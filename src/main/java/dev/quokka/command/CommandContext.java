package dev.quokka.command;

import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.protocol.RespWriter;
import dev.quokka.session.Client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a command body works with: the request ({@link #argv}, {@link #argc}), the reply writer,
 * the client's session state, the services it may call ({@link #server}), and the effect to
 * record when it differs from the request. Not tied to a socket: a connection, a MULTI queue,
 * AOF replay (and later a script or a replication stream) each run commands through one of these.
 * One context per client is reused from request to request.
 */
public final class CommandContext {
    /** The services a command may call. */
    public final Server server;
    /** The session state of the client the command runs for. */
    public final Client client;
    /** The client's reply writer. */
    public final RespWriter reply;
    /** The request being executed: argv[0] is the command name. */
    public byte[][] argv;
    public int argc;
    /**
     * The command's effect as the append-only file is to record it, when that differs from
     * argv (Redis's {@code rewriteClientCommandVector}); null to record argv as it came.
     */
    public byte[][] propagateAs;
    /** The context of a script's own client, whose commands run for the script's caller. */
    public boolean scriptClient;
    /** A script's command after {@code redis.set_repl(redis.REPL_NONE)}: its effect is not appended. */
    public boolean propagateNothing;
    /**
     * {@link System#nanoTime()} at the end of the previous command when the next one follows it
     * in the same read batch with nothing in between, or at the start of the batch for its first
     * command, else 0: that command's timing starts there instead of reading the clock again (one
     * clock read per command).
     */
    public long commandClock;

    public CommandContext(Server server, Client client) {
        this.server = server;
        this.client = client;
        this.reply = client.reply;
    }

    /** The client's selected database. */
    public Database db() {
        return client.db();
    }

    public Keyspace keyspace() {
        return server.keyspace();
    }

    /** Argument {@code i} as a String (UTF-8), for options and names. */
    /**
     * Argument {@code i} with each byte as one char (ISO-8859-1): what names, passwords and
     * patterns that must come back byte for byte are kept as ({@link #arg} decodes UTF-8).
     */
    public String argBytes(int i) {
        return new String(argv[i], StandardCharsets.ISO_8859_1);
    }

    public String arg(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    /**
     * Argument {@code i} as Redis's {@code %s} prints it into an error reply: its bytes up to the
     * first NUL, one char per byte (error replies write each char as one byte), so binary and
     * UTF-8 arguments come back as they were sent.
     */
    public String quoted(int i) {
        return quoted(i, Integer.MAX_VALUE);
    }

    /** {@link #quoted(int)} cut at {@code max} bytes ({@code %.128s}). */
    public String quoted(int i, int max) {
        byte[] a = argv[i];
        int n = 0;
        while (n < a.length && n < max && a[n] != 0) {
            n++;
        }
        return new String(a, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Whether argument {@code i} equals {@code word}, ignoring ASCII case, as Redis's strcasecmp compares them. */
    public boolean argIs(int i, String word) {
        byte[] a = argv[i];
        // Redis's strcasecmp reads a C string: the argument ends at its first NUL ("NX\0z" is NX).
        int n = word.length();
        if (a.length < n || (a.length > n && a[n] != 0)) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (lower(a[k]) != lower(word.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /**
     * Records an effect of this command besides its own (Redis's alsoPropagate): XREADGROUP's
     * deliveries as XCLAIM, for instance. A command whose only effects are these sets
     * {@link #propagateAs} to {@code Effects.NOTHING}.
     */
    public void alsoPropagate(byte[]... effect) {
        if (propagating()) {
            server.effects().propagate(db().id(), effect);
        }
    }

    /** Whether this command's effects are recorded: a command may skip building effects nobody records. */
    public boolean propagating() {
        return !propagateNothing && server.effects().active();
    }

    /**
     * Blocks the client on {@code keys} until one can serve this command or {@code timeoutMillis}
     * passes (0: forever); false, without blocking, where it may not block (inside EXEC).
     */
    public boolean block(byte[][] keys, long timeoutMillis) {
        return server.blocking().block(client, Arrays.copyOf(argv, argc), keys, timeoutMillis, true);
    }

    /**
     * {@link #block} for a command whose waiters are each served on their own (XREAD,
     * XREADGROUP): one that finds nothing when woken does not hold back the others on the key.
     */
    public boolean blockEach(byte[][] keys, long timeoutMillis) {
        return server.blocking().block(client, Arrays.copyOf(argv, argc), keys, timeoutMillis, false);
    }
}
