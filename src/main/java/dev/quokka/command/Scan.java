package dev.quokka.command;

import dev.quokka.keyspace.BytesMap;
import dev.quokka.keyspace.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What SCAN, HSCAN, SSCAN and ZSCAN share (Redis's {@code scanGenericCommand}): the cursor, the
 * options, and the walk of a collection's table.
 */
public final class Scan {
    private Scan() {
    }

    /**
     * Redis's {@code parseScanCursorOrReply}: C's {@code strtoul}, so an optional sign and
     * decimal digits, wrapping into an unsigned 64-bit value; otherwise {@code ERR invalid cursor}.
     * strtoul reads a C string: it ends at a NUL, and the empty string is cursor 0 (nothing
     * converted, and the end reached).
     */
    public static long parseCursor(byte[] arg) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) {
            n++;
        }
        if (n == 0) {
            return 0;
        }
        String s = new String(arg, 0, n, StandardCharsets.ISO_8859_1);
        boolean negative = s.startsWith("-");
        String digits = negative || s.startsWith("+") ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new CommandError("ERR invalid cursor");
        }
        try {
            long v = Long.parseUnsignedLong(digits);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw new CommandError("ERR invalid cursor");
        }
    }

    /**
     * The body of HSCAN, SSCAN and ZSCAN once the cursor is parsed and the type checked
     * (Redis's {@code scanGenericCommand}): options from argument 3 on. A compact value
     * ({@code table} null) is returned whole with cursor 0; a table is walked bucket by bucket.
     * Items are {@code stride} strings each (member, or field and value); MATCH tests the first.
     *
     * @param whole adds every item of a compact value
     * @param node adds the item of a table node
     */
    public static void scan(CommandContext c, long cursor, BytesMap table, int stride, Consumer<List<byte[]>> whole,
                            BiConsumer<BytesMap.Node, List<byte[]>> node) {
        ScanOptions o = scanOptions(c, 3, false);
        byte[] pattern = o.pattern();
        long count = o.count();
        List<byte[]> items = new ArrayList<>();
        if (table == null) {
            whole.accept(items);
            cursor = 0;
        } else {
            long maxIterations = count * 10;
            do {
                cursor = table.scan(cursor, n -> node.accept(n, items));
            } while (cursor != 0 && maxIterations-- > 0 && items.size() < count * stride);
        }
        int kept = items.size();
        if (pattern != null) {
            kept = 0;
            for (int i = 0; i < items.size(); i += stride) {
                if (Glob.match(pattern, items.get(i), false)) {
                    for (int k = 0; k < stride; k++) {
                        items.set(kept++, items.get(i + k));
                    }
                }
            }
        }
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(cursor).getBytes(StandardCharsets.US_ASCII));
        c.reply.array(kept);
        for (int i = 0; i < kept; i++) {
            c.reply.bulk(items.get(i));
        }
    }

    /** SCAN's options: MATCH (null for none or {@code *}), COUNT, and TYPE (lower case; null for none). */
    public record ScanOptions(byte[] pattern, long count, String type) {
    }

    /**
     * The options of SCAN, HSCAN, SSCAN and ZSCAN from argument {@code from} (Redis's
     * {@code scanGenericCommand}); TYPE only when {@code withType} (SCAN).
     */
    public static ScanOptions scanOptions(CommandContext c, int from, boolean withType) {
        byte[] pattern = null;
        long count = 10;
        String type = null;
        for (int i = from; i < c.argc; i++) {
            boolean more = i < c.argc - 1;
            if (c.argIs(i, "COUNT") && more) {
                count = Args.longArg(c, i + 1);
                if (count < 1) {
                    throw new CommandError(Errors.SYNTAX);
                }
                i++;
            } else if (c.argIs(i, "MATCH") && more) {
                pattern = c.argv[++i];
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else if (withType && c.argIs(i, "TYPE") && more) {
                type = c.arg(++i).toLowerCase();
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return new ScanOptions(pattern, count, type);
    }

    /** The empty reply of a *SCAN on a missing key: cursor 0, no items. */
    public static void emptyScan(CommandContext c) {
        c.reply.array(2);
        c.reply.bulk(ZERO);
        c.reply.emptyArray();
    }

    private static final byte[] ZERO = {'0'};
}
