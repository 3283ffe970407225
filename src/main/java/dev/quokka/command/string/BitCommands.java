package dev.quokka.command.string;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.config.Settings;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.protocol.Numbers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * The bitmap commands on string values (Redis's {@code bitops.c}): SETBIT, GETBIT, BITCOUNT, BITPOS,
 * BITOP and BITFIELD; bit 0 is the most significant bit of byte 0. Counting and searching read
 * eight bytes at a time.
 */
public final class BitCommands {
    private BitCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("setbit", 4, BitCommands::setbit).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "2.2.0", "Sets or clears the bit at offset in the string value stored at key")
            .complexity("O(1)")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("offset", "integer"),
                arg("value", "integer"));
        t.add("getbit", 3, BitCommands::getbit).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "2.2.0", "Returns the bit value at offset in the string value stored at key").complexity("O(1)")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("offset", "integer"));
        t.add("bitcount", -2, BitCommands::bitcount).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "2.6.0", "Count set bits in a string")
            .complexity("O(N)")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("index", "block").optional().of(
                    arg("start", "integer"),
                    arg("end", "integer"),
                    arg("index_unit", "oneof").since("7.0.0").optional().of(
                        arg("byte", "pure-token").token("BYTE"),
                        arg("bit", "pure-token").token("BIT"))))
            .history("7.0.0", "Added the `BYTE|BIT` option.");
        t.add("bitpos", -3, BitCommands::bitpos).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "2.8.7", "Find first bit set or clear in a string")
            .complexity("O(N)")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("bit", "integer"),
                arg("index", "block").optional().of(
                    arg("start", "integer"),
                    arg("end_index", "block").optional().of(
                        arg("end", "integer"),
                        arg("index_unit", "oneof").since("7.0.0").optional().of(
                            arg("byte", "pure-token").token("BYTE"),
                            arg("bit", "pure-token").token("BIT")))))
            .history("7.0.0", "Added the `BYTE|BIT` option.");
        t.add("bitop", -4, BitCommands::bitop).flags(Flag.WRITE, Flag.DENYOOM).keys(2, -1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "2.6.0", "Perform bitwise operations between strings")
            .complexity("O(N)")
            .keySpec("OW update", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(3), KeySpec.range(-1, 1, 0))
            .args(arg("operation", "string"),
                arg("destkey", "key").keySpec(0),
                arg("key", "key").keySpec(1).multiple());
        t.add("bitfield", -2, BitCommands::bitfield).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "3.2.0", "Perform arbitrary bitfield integer operations on strings")
            .complexity("O(1) for each subcommand specified")
            .keySpec("This command allows both access and modification of the key", "RW access update variable_flags",
                KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("operation", "oneof").optional().multiple().of(
                    arg("encoding_offset", "block").token("GET").of(
                        arg("encoding", "string"),
                        arg("offset", "integer")),
                    arg("write", "block").of(
                        arg("wrap_sat_fail", "oneof").token("OVERFLOW").optional().of(
                            arg("wrap", "pure-token").token("WRAP"),
                            arg("sat", "pure-token").token("SAT"),
                            arg("fail", "pure-token").token("FAIL")),
                        arg("write_operation", "oneof").of(
                            arg("encoding_offset_value", "block").token("SET").of(
                                arg("encoding", "string"),
                                arg("offset", "integer"),
                                arg("value", "integer")),
                            arg("encoding_offset_increment", "block").token("INCRBY").of(
                                arg("encoding", "string"),
                                arg("offset", "integer"),
                                arg("increment", "integer"))))));
        t.add("bitfield_ro", -2, BitCommands::bitfieldRo).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "6.0.0", "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD")
            .complexity("O(1) for each subcommand specified")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("encoding_offset", "block").token("GET").optional().multiple().multipleToken().of(
                    arg("encoding", "string"),
                    arg("offset", "integer")));
    }

    /** Redis's {@code getBitOffsetFromArgument}. */
    private static long bitOffset(CommandContext c, int i) {
        long v = Numbers.parseLong(c.argv[i]);
        long max = c.server.config().get(Settings.PROTO_MAX_BULK_LEN) * 8;
        if ((v == Numbers.INVALID && !Numbers.isLong(c.argv[i])) || v < 0 || v >= max || v >= (long) Integer.MAX_VALUE * 8 - 128) {
            throw new CommandError("ERR bit offset is not an integer or out of range");
        }
        return v;
    }

    /** SETBIT key offset value: returns the bit's previous value. */
    public static void setbit(CommandContext c) {
        long offset = bitOffset(c, 2);
        byte[] a = c.argv[3];
        if (a.length != 1 || (a[0] != '0' && a[0] != '1')) {
            c.reply.error("ERR bit is not an integer or out of range");
            return;
        }
        int on = a[0] - '0';
        int byteIndex = (int) (offset >> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        byte[] old = e == null ? EMPTY : StringCommands.asString(c, e);
        if (old == null) {
            return;
        }
        int previous = byteIndex < old.length && (old[byteIndex] & mask) != 0 ? 1 : 0;
        // As Redis: an unchanged bit in a key that exists and is long enough is no change (not propagated, no event).
        if (e != null && byteIndex < old.length && previous == on) {
            e.stringForm(Entry.RAW); // Redis unshares the string (raw) before it looks at the bit
            c.reply.integer(previous);
            return;
        }
        byte[] v = e == null ? new byte[byteIndex + 1] : ks.editableString(c.db(), e, Math.max(old.length, byteIndex + 1));
        if (on == 1) {
            v[byteIndex] |= (byte) mask;
        } else {
            v[byteIndex] &= (byte) ~mask;
        }
        if (e == null) {
            ks.addEditedString(c.db(), c.argv[1], v);
        }
        ks.notify(KeyspaceEvents.STRING, "setbit", c.argv[1], c.db().id());
        c.reply.integer(previous);
    }

    /** GETBIT key offset */
    public static void getbit(CommandContext c) {
        long offset = bitOffset(c, 2);
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        byte[] v = StringCommands.asString(c, e);
        if (v == null) {
            return;
        }
        int byteIndex = (int) (offset >> 3);
        if (byteIndex >= v.length) {
            c.reply.integer(0);
            return;
        }
        c.reply.integer((v[byteIndex] & (1 << (7 - (int) (offset & 7)))) != 0 ? 1 : 0);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The number of set bits in {@code n} bytes of {@code p} from {@code from}. */
    static long popcount(byte[] p, int from, int n) {
        long count = 0;
        int i = from;
        int end = from + n;
        for (; i + 8 <= end; i += 8) {
            count += Long.bitCount((long) LONGS.get(p, i));
        }
        for (; i < end; i++) {
            count += Integer.bitCount(p[i] & 0xff);
        }
        return count;
    }

    /**
     * Redis's {@code redisBitpos}: the position, relative to bit 0 of byte {@code from}, of the first
     * bit equal to {@code bit} in {@code n} bytes; when there is none, -1 for a 1 and {@code n * 8}
     * for a 0 (the string is taken as padded with zeros on the right).
     */
    static long bitpos(byte[] p, int from, int n, int bit) {
        long skip = bit == 1 ? 0 : -1L;
        int i = from;
        int end = from + n;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(p, i);
            if (w != skip) {
                return (long) (i - from) * 8 + Long.numberOfLeadingZeros(bit == 1 ? w : ~w);
            }
        }
        for (; i < end; i++) {
            int b = bit == 1 ? p[i] & 0xff : ~p[i] & 0xff;
            if (b != 0) {
                return (long) (i - from) * 8 + Integer.numberOfLeadingZeros(b) - 24;
            }
        }
        return bit == 1 ? -1 : (long) n * 8;
    }

    private static boolean isBitUnit(CommandContext c, int i) {
        if (c.argIs(i, "bit")) {
            return true;
        }
        if (c.argIs(i, "byte")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    /** BITCOUNT key [start end [BYTE|BIT]] */
    public static void bitcount(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        byte[] p = StringCommands.asString(c, e);
        if (p == null) {
            return;
        }
        ByteRange r;
        if (c.argc == 4 || c.argc == 5) {
            long start = Args.longArg(c, 2);
            long end = Args.longArg(c, 3);
            if (start < 0 && end < 0 && start > end) {
                c.reply.integer(0);
                return;
            }
            r = byteRange(start, end, p.length, c.argc == 5 && isBitUnit(c, 4));
        } else if (c.argc == 2) {
            r = new ByteRange(0, p.length - 1, 0, 0);
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (r.start > r.end) {
            c.reply.integer(0);
            return;
        }
        long count = popcount(p, (int) r.start, (int) (r.end - r.start + 1));
        if (r.firstMask != 0) {
            count -= Integer.bitCount(p[(int) r.start] & r.firstMask);
        }
        if (r.lastMask != 0) {
            count -= Integer.bitCount(p[(int) r.end] & r.lastMask);
        }
        c.reply.integer(count);
    }

    /**
     * A BITCOUNT/BITPOS range in bytes; for a BIT range, the masks cover the bits of its first and
     * last bytes that lie outside it (Redis's first_byte_neg_mask and last_byte_neg_mask).
     */
    private record ByteRange(long start, long end, int firstMask, int lastMask) {
    }

    /** Clamps {@code start..end} (negative: from the end) to a value of {@code length} bytes, in BYTE or BIT units. */
    private static ByteRange byteRange(long start, long end, long length, boolean isBit) {
        long total = isBit ? length << 3 : length;
        start = clampIndex(start, total);
        end = Math.min(clampIndex(end, total), total - 1);
        if (!isBit || start > end) {
            return new ByteRange(start, end, 0, 0);
        }
        return new ByteRange(start >> 3, end >> 3, ~((1 << (8 - (int) (start & 7))) - 1) & 0xff,
            (1 << (7 - (int) (end & 7))) - 1);
    }

    /** A negative index counts from {@code total}; below 0 becomes 0 (Redis's BITCOUNT/BITPOS ranges). */
    private static long clampIndex(long i, long total) {
        if (i < 0) {
            i = total + i;
        }
        return Math.max(i, 0);
    }

    /** BITPOS key bit [start [end [BYTE|BIT]]] */
    public static void bitpos(CommandContext c) {
        long bitArg = Args.longArg(c, 2);
        if (bitArg != 0 && bitArg != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        int bit = (int) bitArg;
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(bit == 1 ? -1 : 0);
            return;
        }
        byte[] p = StringCommands.asString(c, e);
        if (p == null) {
            return;
        }
        ByteRange r;
        boolean endGiven = false;
        if (c.argc >= 4 && c.argc <= 6) {
            long start = Args.longArg(c, 3);
            boolean isBit = c.argc == 6 && isBitUnit(c, 5);
            long end;
            if (c.argc >= 5) {
                end = Args.longArg(c, 4);
                endGiven = true;
            } else {
                end = isBit ? ((long) p.length << 3) + 7 : p.length - 1;
            }
            r = byteRange(start, end, p.length, isBit);
        } else if (c.argc == 3) {
            r = new ByteRange(0, p.length - 1, 0, 0);
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        long start = r.start;
        long end = r.end;
        if (start > end) {
            c.reply.integer(-1);
            return;
        }
        long bytes = end - start + 1;
        long pos = searchMasked(p, (int) start, (int) end, bit, r.firstMask, r.lastMask);
        if (endGiven && bit == 0 && pos == bytes << 3) {
            c.reply.integer(-1);
            return;
        }
        c.reply.integer(pos == -1 ? -1 : pos + (start << 3));
    }

    /**
     * The first {@code bit} in bytes {@code start..end}, the bits of the first byte under
     * {@code firstMask} and of the last under {@code lastMask} left out (they are outside a BIT
     * range); relative to bit 0 of {@code start}, with {@link #bitpos}'s not-found answers.
     */
    private static long searchMasked(byte[] p, int start, int end, int bit, int firstMask, int lastMask) {
        int bytes = end - start + 1;
        if (firstMask == 0 && lastMask == 0) {
            return bitpos(p, start, bytes, bit);
        }
        // The masked edges are searched on a copy with the excluded bits set to what is not searched for.
        byte[] edge = new byte[1];
        long base = 0;
        if (firstMask != 0) {
            int b = p[start] & 0xff;
            b = bit == 1 ? b & ~firstMask : b | firstMask;
            if (lastMask != 0 && bytes == 1) {
                b = bit == 1 ? b & ~lastMask : b | lastMask;
            }
            edge[0] = (byte) b;
            long pos = bitpos(edge, 0, 1, bit);
            if (bytes == 1 || (pos != -1 && pos != 8)) {
                return pos;
            }
            start++;
            bytes--;
            base = 8;
        }
        int middle = bytes - (lastMask != 0 ? 1 : 0);
        if (middle > 0) {
            long pos = bitpos(p, start, middle, bit);
            if (bytes == middle || (pos != -1 && pos != (long) middle << 3)) {
                return pos == -1 ? -1 : base + pos;
            }
            start += middle;
            base += (long) middle << 3;
        }
        int b = p[end] & 0xff;
        edge[0] = (byte) (bit == 1 ? b & ~lastMask : b | lastMask);
        long pos = bitpos(edge, 0, 1, bit);
        return pos == -1 ? -1 : base + pos;
    }

    /** BITOP AND|OR|XOR|NOT destkey key [key ...]: stores the result, replies its length. */
    public static void bitop(CommandContext c) {
        int op;
        if (c.argIs(1, "and")) {
            op = 0;
        } else if (c.argIs(1, "or")) {
            op = 1;
        } else if (c.argIs(1, "xor")) {
            op = 2;
        } else if (c.argIs(1, "not")) {
            op = 3;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (op == 3 && c.argc != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        Keyspace ks = c.keyspace();
        int n = c.argc - 3;
        byte[][] src = new byte[n][];
        int maxLen = 0;
        for (int j = 0; j < n; j++) {
            Entry e = ks.read(c.db(), c.argv[j + 3]);
            if (e == null) {
                src[j] = EMPTY;
                continue;
            }
            src[j] = StringCommands.asString(c, e);
            if (src[j] == null) {
                return;
            }
            maxLen = Math.max(maxLen, src[j].length);
        }
        byte[] dst = c.argv[2];
        if (maxLen == 0) {
            Entry de = ks.write(c.db(), dst);
            if (de != null) {
                c.db().remove(dst);
                ks.notify(KeyspaceEvents.GENERIC, "del", dst, c.db().id());
            }
            c.reply.integer(0);
            return;
        }
        byte[] res = Arrays.copyOf(src[0], maxLen);
        if (op == 3) {
            combine(res, res, 3);
        }
        for (int j = 1; j < n; j++) {
            combine(res, src[j], op);
        }
        ks.set(c.db(), dst, res, false).stringForm(Entry.RAW);
        ks.notify(KeyspaceEvents.STRING, "set", dst, c.db().id());
        c.reply.integer(maxLen);
    }

    private static final byte[] EMPTY = new byte[0];

    /** {@code res = res op src} (NOT: {@code ~res}); {@code src} is taken as padded with zeros to {@code res}'s length. */
    private static void combine(byte[] res, byte[] src, int op) {
        int n = op == 3 ? res.length : Math.min(res.length, src.length);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long a = (long) LONGS.get(res, i);
            long r = switch (op) {
                case 0 -> a & (long) LONGS.get(src, i);
                case 1 -> a | (long) LONGS.get(src, i);
                case 2 -> a ^ (long) LONGS.get(src, i);
                default -> ~a;
            };
            LONGS.set(res, i, r);
        }
        for (; i < n; i++) {
            res[i] = (byte) switch (op) {
                case 0 -> res[i] & src[i];
                case 1 -> res[i] | src[i];
                case 2 -> res[i] ^ src[i];
                default -> ~res[i];
            };
        }
        if (op == 0 && n < res.length) {
            Arrays.fill(res, n, res.length, (byte) 0);
        }
    }

    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    /** One operation of a BITFIELD command, parsed before any is run. */
    private record FieldOp(int opcode, boolean signed, int bits, long offset, long value, int overflow) {
    }

    /** BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] ... */
    public static void bitfield(CommandContext c) {
        bitfield(c, false);
    }

    /** BITFIELD_RO key [GET type offset ...] */
    public static void bitfieldRo(CommandContext c) {
        bitfield(c, true);
    }

    private static void bitfield(CommandContext c, boolean readOnlyCommand) {
        java.util.List<FieldOp> ops = new java.util.ArrayList<>();
        int overflow = WRAP;
        boolean readOnly = true;
        long highestBit = 0;
        for (int j = 2; j < c.argc; j++) {
            int remaining = c.argc - j - 1;
            int opcode;
            if (c.argIs(j, "get") && remaining >= 2) {
                opcode = GET;
            } else if (c.argIs(j, "set") && remaining >= 3) {
                opcode = SET;
            } else if (c.argIs(j, "incrby") && remaining >= 3) {
                opcode = INCRBY;
            } else if (c.argIs(j, "overflow") && remaining >= 1) {
                j++;
                if (c.argIs(j, "wrap")) {
                    overflow = WRAP;
                } else if (c.argIs(j, "sat")) {
                    overflow = SAT;
                } else if (c.argIs(j, "fail")) {
                    overflow = FAIL;
                } else {
                    throw new CommandError("ERR Invalid OVERFLOW type specified");
                }
                continue;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
            byte[] type = c.argv[j + 1];
            boolean signed = type.length > 0 && type[0] == 'i';
            long bits = type.length > 1 && (signed || type[0] == 'u') ? Numbers.parseLong(type, 1, type.length) : Numbers.INVALID;
            if (bits < 1 || bits > (signed ? 64 : 63)) {
                throw new CommandError("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
            }
            long offset = fieldOffset(c, j + 2, (int) bits);
            long value = 0;
            if (opcode != GET) {
                readOnly = false;
                highestBit = Math.max(highestBit, offset + bits - 1);
                value = Args.longArg(c, j + 3);
            }
            ops.add(new FieldOp(opcode, signed, (int) bits, offset, value, overflow));
            j += opcode == GET ? 2 : 3;
        }
        Keyspace ks = c.keyspace();
        byte[] p;
        Entry e;
        boolean grown = false;
        if (readOnly) {
            e = ks.read(c.db(), c.argv[1]);
            p = e == null ? EMPTY : StringCommands.asString(c, e);
            if (p == null) {
                return;
            }
        } else {
            if (readOnlyCommand) {
                throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
            }
            e = ks.write(c.db(), c.argv[1]);
            byte[] old = e == null ? EMPTY : StringCommands.asString(c, e);
            if (old == null) {
                return;
            }
            int need = (int) (highestBit >> 3) + 1;
            grown = e == null || need > old.length;
            // An existing string is edited in place (a copy only when it is not the key's own).
            p = e == null ? new byte[need] : ks.editableString(c.db(), e, Math.max(old.length, need));
        }
        c.reply.array(ops.size());
        int changes = 0;
        for (FieldOp op : ops) {
            if (op.opcode == GET) {
                long v = getField(p, op.offset, op.bits);
                c.reply.integer(op.signed ? signExtend(v, op.bits) : v);
                continue;
            }
            long old = getField(p, op.offset, op.bits);
            if (op.signed) {
                old = signExtend(old, op.bits);
            }
            long[] limited = new long[1];
            int over;
            long stored;
            long reply;
            if (op.opcode == INCRBY) {
                over = op.signed ? signedOverflow(old, op.value, op.bits, op.overflow, limited)
                    : unsignedOverflow(old, op.value, op.bits, op.overflow, limited);
                stored = over != 0 ? limited[0] : old + op.value;
                reply = stored;
            } else {
                over = op.signed ? signedOverflow(op.value, 0, op.bits, op.overflow, limited)
                    : unsignedOverflow(op.value, 0, op.bits, op.overflow, limited);
                stored = over != 0 ? limited[0] : op.value;
                reply = old;
            }
            if (over != 0 && op.overflow == FAIL) {
                c.reply.nullBulk();
                continue;
            }
            c.reply.integer(reply);
            setField(p, op.offset, op.bits, stored);
            if (grown || old != stored) {
                changes++;
            }
        }
        if (!readOnly && e == null && (grown || changes > 0)) {
            e = ks.addEditedString(c.db(), c.argv[1], p);
        }
        if (!readOnly && e != null) {
            e.stringForm(Entry.RAW); // a BITFIELD that writes unshares the string in Redis, changed or not
        }
        if (changes > 0) {
            ks.notify(KeyspaceEvents.STRING, "setbit", c.argv[1], c.db().id());
        }
    }

    /** Redis's getBitOffsetFromArgument with {@code #n} offsets (n times the field's width). */
    private static long fieldOffset(CommandContext c, int i, int bits) {
        byte[] a = c.argv[i];
        boolean hash = a.length > 0 && a[0] == '#';
        long v = hash ? Numbers.parseLong(a, 1, a.length) : Numbers.parseLong(a);
        boolean valid = v != Numbers.INVALID || (hash ? Numbers.isLong(Arrays.copyOfRange(a, 1, a.length)) : Numbers.isLong(a));
        if (valid && hash) {
            v *= bits;
        }
        long max = c.server.config().get(Settings.PROTO_MAX_BULK_LEN);
        if (!valid || v < 0 || (v >> 3) >= max || v >= (long) Integer.MAX_VALUE * 8 - 128) {
            throw new CommandError("ERR bit offset is not an integer or out of range");
        }
        return v;
    }

    /** The {@code bits}-wide unsigned field at bit {@code offset}; bits beyond the array read as 0. */
    private static long getField(byte[] p, long offset, int bits) {
        long v = 0;
        for (int j = 0; j < bits; j++, offset++) {
            int byteIndex = (int) (offset >> 3);
            int b = byteIndex < p.length ? (p[byteIndex] >> (7 - (int) (offset & 7))) & 1 : 0;
            v = (v << 1) | b;
        }
        return v;
    }

    private static void setField(byte[] p, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++, offset++) {
            int bit = (int) ((value >>> (bits - 1 - j)) & 1);
            int byteIndex = (int) (offset >> 3);
            int shift = 7 - (int) (offset & 7);
            p[byteIndex] = (byte) ((p[byteIndex] & ~(1 << shift)) | (bit << shift));
        }
    }

    private static long signExtend(long v, int bits) {
        return bits < 64 && (v & (1L << (bits - 1))) != 0 ? v | (-1L << bits) : v;
    }

    /** Redis's checkUnsignedBitfieldOverflow (bits at most 63): 1 over, -1 under, 0 fits; {@code limit[0]} the value to store. */
    private static int unsignedOverflow(long value, long incr, int bits, int overflow, long[] limit) {
        long max = (1L << bits) - 1;
        long maxIncr = max - value;
        long minIncr = -value;
        int result;
        // value is read from a field (0..max) or given by SET, where an unsigned comparison decides.
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
            result = 1;
        } else if (incr < 0 && incr < minIncr) {
            result = -1;
        } else {
            return 0;
        }
        if (overflow == WRAP) {
            limit[0] = (value + incr) & max;
        } else if (overflow == SAT) {
            limit[0] = result == 1 ? max : 0;
        }
        return result;
    }

    /** Redis's checkSignedBitfieldOverflow. */
    private static int signedOverflow(long value, long incr, int bits, int overflow, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value;
        long minIncr = min - value;
        int result;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            result = 1;
        } else if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            result = -1;
        } else {
            return 0;
        }
        if (overflow == WRAP) {
            long r = value + incr;
            if (bits < 64) {
                long mask = -1L << bits;
                r = (r & (1L << (bits - 1))) != 0 ? r | mask : r & ~mask;
            }
            limit[0] = r;
        } else if (overflow == SAT) {
            limit[0] = result == 1 ? max : min;
        }
        return result;
    }
}
