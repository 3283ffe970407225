package dev.quokka.command;

/** Redis 7.0's shared error replies ({@code server.h} shared objects), text for text. */
public final class Errors {
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String DB_RANGE = "ERR DB index is out of range";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    private Errors() {
    }

    /**
     * Redis's {@code addReplySubcommandSyntaxError}: the subcommand as typed (128 bytes at most)
     * and the container's name as typed, upper-cased.
     */
    public static String subcommandSyntax(CommandContext c) {
        return "ERR unknown subcommand or wrong number of arguments for '" + c.quoted(1, 128) + "'. Try "
            + c.quoted(0).toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    /** {@code ERR invalid expire time in 'set' command}. */
    public static String invalidExpire(String fullName) {
        return "ERR invalid expire time in '" + fullName + "' command";
    }
}
