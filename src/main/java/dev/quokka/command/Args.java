package dev.quokka.command;

import dev.quokka.protocol.Numbers;

/**
 * Argument parsing with Redis's error replies: each method returns the parsed value or throws a
 * {@link CommandError} that the dispatcher replies, so a command body reads
 * {@code long n = Args.longArg(c, 2);}.
 */
public final class Args {
    private Args() {
    }

    /**
     * Argument {@code i} as a 64-bit integer (Redis's {@code getLongLongFromObjectOrReply});
     * otherwise the error {@code error} (or the standard integer error when null).
     */
    public static long longArg(CommandContext c, int i, String error) {
        byte[] a = c.argv[i];
        long v = Numbers.parseLong(a);
        if (v == Numbers.INVALID && !Numbers.isLong(a)) {
            throw new CommandError(error != null ? error : Errors.NOT_INTEGER);
        }
        return v;
    }

    public static long longArg(CommandContext c, int i) {
        return longArg(c, i, null);
    }

    /** A value that must fit an int (Redis's {@code getIntFromObjectOrReply}). */
    public static int intArg(CommandContext c, int i, String error) {
        long v = longArg(c, i, error);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandError(error != null ? error : Errors.NOT_INTEGER);
        }
        return (int) v;
    }
}
