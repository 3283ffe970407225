package dev.quokka.command;

import dev.quokka.protocol.Numbers;
import dev.quokka.server.Client;

/**
 * Argument parsing with Redis's error replies. Each method writes the error itself and
 * returns a sentinel, so a command body reads: {@code if (!Args.longArg(c, 2)) return;}
 * and then takes the value from {@link #value(Client)}.
 */
public final class Args {
    private Args() {
    }

    /**
     * Parses argument {@code i} as a 64-bit integer (Redis's {@code getLongLongFromObjectOrReply});
     * on failure replies {@code error} (or the standard integer error when null).
     */
    public static boolean longArg(Client c, int i, String error) {
        byte[] a = c.argv[i];
        long v = Numbers.parseLong(a);
        if (v == Numbers.INVALID && !Numbers.isLong(a)) {
            c.reply.error(error != null ? error : Errors.NOT_INTEGER);
            return false;
        }
        c.parsed = v;
        return true;
    }

    public static boolean longArg(Client c, int i) {
        return longArg(c, i, null);
    }

    /** The value parsed by the last successful {@link #longArg} for this client. */
    public static long value(Client c) {
        return c.parsed;
    }

    /** Parses a value that must fit an int (Redis's {@code getIntFromObjectOrReply}). */
    public static boolean intArg(Client c, int i, String error) {
        if (!longArg(c, i, error)) {
            return false;
        }
        long v = value(c);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            c.reply.error(error != null ? error : Errors.NOT_INTEGER);
            return false;
        }
        return true;
    }
}
