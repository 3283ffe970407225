package dev.quokka.command;

import dev.quokka.keyspace.Collection;
import dev.quokka.keyspace.Entry;

import java.util.Arrays;

/**
 * The one flow of the pops over several keys, for lists (LMPOP, BLMPOP, BLPOP, BRPOP) and sorted
 * sets (ZMPOP, BZMPOP, BZPOPMIN, BZPOPMAX): parse, find the first key that holds the type, pop
 * from it, or else block (or reply a null array). Each type supplies only the pop and its reply.
 */
public final class MultiKeyPop {
    private MultiKeyPop() {
    }

    /** Pops from the key found and writes the whole reply. */
    @FunctionalInterface
    public interface Pop {
        /**
         * @param first the first end (LEFT, MIN) rather than the second (RIGHT, MAX)
         * @param count how many (the *MPOP forms, reply {@code [key, [elements]]}), or -1 for the
         *              single-element blocking forms (BLPOP, BZPOPMIN: reply {@code [key, element...]})
         */
        void from(CommandContext c, byte[] key, Collection value, boolean first, long count);
    }

    /**
     * LMPOP/ZMPOP ({@code timeoutAt} -1: never blocks) and BLMPOP/BZMPOP: {@code numkeys key...
     * FIRST|SECOND [COUNT count]} from {@code numkeysAt}; the timeout is parsed after the rest,
     * as Redis does (its errors come second).
     */
    public static void mpop(CommandContext c, int numkeysAt, int timeoutAt, String firstWord, String secondWord,
                            Class<? extends Collection> type, Pop pop) {
        MultiKeyPop.MultiPop args = MultiKeyPop.multiPop(c, numkeysAt, firstWord, secondWord);
        long timeout = timeoutAt < 0 ? -1 : Args.timeout(c, timeoutAt);
        int keysEnd = args.keysEnd();
        if (!popFirst(c, numkeysAt + 1, keysEnd, type, pop, args.first(), args.count())) {
            blockOrNull(c, numkeysAt + 1, keysEnd, timeout);
        }
    }

    /** BLPOP, BRPOP, BZPOPMIN, BZPOPMAX: {@code key... timeout}. */
    public static void bpop(CommandContext c, Class<? extends Collection> type, boolean first, Pop pop) {
        long timeout = Args.timeout(c, c.argc - 1);
        if (!popFirst(c, 1, c.argc - 1, type, pop, first, -1)) {
            blockOrNull(c, 1, c.argc - 1, timeout);
        }
    }

    /**
     * Pops from the first of the keys {@code argv[from..to)} that holds a {@code type}; false when
     * none does. A key of another type is WRONGTYPE, except for a blocked client being served,
     * which passes over it and waits on.
     */
    private static boolean popFirst(CommandContext c, int from, int to, Class<? extends Collection> type, Pop pop,
                                    boolean first, long count) {
        for (int k = from; k < to; k++) {
            Entry e = c.keyspace().write(c.db(), c.argv[k]);
            if (e == null) {
                continue;
            }
            if (!type.isInstance(e.value())) {
                if (c.client.servingBlocked()) {
                    continue;
                }
                throw new CommandError(Errors.WRONGTYPE);
            }
            pop.from(c, c.argv[k], (Collection) e.value(), first, count);
            return true;
        }
        return false;
    }

    private static void blockOrNull(CommandContext c, int from, int to, long timeout) {
        if (timeout < 0 || !c.block(Arrays.copyOfRange(c.argv, from, to), timeout)) {
            c.reply.nullArray();
        }
    }

    /** LMPOP's and ZMPOP's arguments after numkeys: where the keys end, which end to pop, how many. */
    public record MultiPop(int keysEnd, boolean first, long count) {
    }

    /**
     * Parses {@code numkeys key... FIRST|SECOND [COUNT count]} from {@code numkeysAt} (LMPOP with
     * LEFT/RIGHT, ZMPOP with MIN/MAX).
     */
    public static MultiPop multiPop(CommandContext c, int numkeysAt, String first, String second) {
        int numkeys = Args.numkeys(c, numkeysAt);
        int whereAt = numkeysAt + numkeys + 1;
        boolean isFirst = whereAt < c.argc && c.argIs(whereAt, first);
        if (whereAt >= c.argc || !(isFirst || c.argIs(whereAt, second))) {
            throw new CommandError(Errors.SYNTAX);
        }
        long count = -1;
        for (int j = whereAt + 1; j < c.argc; j++) {
            // Redis's loop: one COUNT with a value; anything else is a syntax error where it stands.
            if (count != -1 || !c.argIs(j, "COUNT") || j + 1 >= c.argc) {
                throw new CommandError(Errors.SYNTAX);
            }
            count = Args.longArg(c, ++j, "ERR count should be greater than 0");
            if (count <= 0) {
                throw new CommandError("ERR count should be greater than 0");
            }
        }
        return new MultiPop(whereAt, isFirst, count == -1 ? 1 : count);
    }
}
