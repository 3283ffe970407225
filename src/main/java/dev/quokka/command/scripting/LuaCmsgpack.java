package dev.quokka.command.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * lua-cmsgpack as Redis loads it: {@code pack(...)}, {@code unpack(s)}, {@code unpack_one(s, offset)},
 * {@code unpack_limit(s, limit, offset)}; tables with keys 1..n as arrays, others as maps, integral
 * numbers as the smallest integer type, others as float when exact, else double.
 */
final class LuaCmsgpack {
    private static final int MAX_NESTING = 16;

    private LuaCmsgpack() {
    }

    static ProtectedTable library() {
        ProtectedTable t = new ProtectedTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() == 0) {
                    throw new LuaError("MessagePack pack needs input.");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 1; i <= a.narg(); i++) {
                    encode(a.arg(i), out, 0);
                }
                return LuaString.valueUsing(out.toByteArray());
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1), 0, 0, false);
            }
        });
        t.rawset("unpack_one", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1), 1, a.optint(2, 0), true);
            }
        });
        t.rawset("unpack_limit", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1), a.checkint(2), a.optint(3, 0), true);
            }
        });
        return t;
    }

    private static void encode(LuaValue v, ByteArrayOutputStream out, int depth) {
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                int n = s.length();
                if (n < 32) {
                    out.write(0xa0 | n);
                } else if (n <= 0xff) {
                    out.write(0xd9);
                    out.write(n);
                } else if (n <= 0xffff) {
                    out.write(0xda);
                    be(out, n, 2);
                } else {
                    out.write(0xdb);
                    be(out, n, 4);
                }
                out.write(s.m_bytes, s.m_offset, n);
            }
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TTABLE -> {
                if (depth >= MAX_NESTING) {
                    out.write(0xc0);
                    return;
                }
                LuaTable t = (LuaTable) v;
                int count = 0;
                int max = 0;
                boolean array = true;
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs n = t.next(k);
                    if ((k = n.arg1()).isnil()) {
                        break;
                    }
                    count++;
                    if (k.type() == LuaValue.TNUMBER && k.todouble() >= 1 && k.todouble() == Math.floor(k.todouble())) {
                        max = (int) Math.max(max, k.todouble());
                    } else {
                        array = false;
                    }
                }
                if (array && max == count) {
                    header(out, count, 0x90, 0xdc, 0xdd);
                    for (int i = 1; i <= count; i++) {
                        encode(t.rawget(i), out, depth + 1);
                    }
                } else {
                    header(out, count, 0x80, 0xde, 0xdf);
                    k = LuaValue.NIL;
                    while (true) {
                        Varargs n = t.next(k);
                        if ((k = n.arg1()).isnil()) {
                            break;
                        }
                        encode(k, out, depth + 1);
                        encode(n.arg(2), out, depth + 1);
                    }
                }
            }
            default -> out.write(0xc0);
        }
    }

    private static void header(ByteArrayOutputStream out, int n, int fix, int m16, int m32) {
        if (n < 16) {
            out.write(fix | n);
        } else if (n <= 0xffff) {
            out.write(m16);
            be(out, n, 2);
        } else {
            out.write(m32);
            be(out, n, 4);
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private static void number(double d, ByteArrayOutputStream out) {
        long n = (long) d;
        if (d == n && !Double.isInfinite(d) && d != 9.223372036854775807E18) {
            if (n >= 0) {
                if (n <= 127) {
                    out.write((int) n);
                } else if (n <= 0xff) {
                    out.write(0xcc);
                    be(out, n, 1);
                } else if (n <= 0xffff) {
                    out.write(0xcd);
                    be(out, n, 2);
                } else if (n <= 0xffffffffL) {
                    out.write(0xce);
                    be(out, n, 4);
                } else {
                    out.write(0xcf);
                    be(out, n, 8);
                }
            } else if (n >= -32) {
                out.write((int) n & 0xff);
            } else if (n >= -128) {
                out.write(0xd0);
                be(out, n, 1);
            } else if (n >= -32768) {
                out.write(0xd1);
                be(out, n, 2);
            } else if (n >= -2147483648L) {
                out.write(0xd2);
                be(out, n, 4);
            } else {
                out.write(0xd3);
                be(out, n, 8);
            }
        } else if ((double) (float) d == d || Double.isNaN(d)) {
            out.write(0xca);
            be(out, Float.floatToIntBits((float) d), 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToLongBits(d), 8);
        }
    }

    /** Decodes up to {@code limit} objects (0: all) from {@code offset}; with {@code withOffset} the next offset (or -1) first. */
    private static Varargs unpack(LuaString s, int limit, int offset, boolean withOffset) {
        if (offset < 0 || (offset > s.length())) {
            throw new LuaError("Start offset " + offset + " greater than input length " + s.length() + ".");
        }
        int[] pos = {offset};
        List<LuaValue> values = new ArrayList<>();
        while (pos[0] < s.length() && (limit == 0 || values.size() < limit)) {
            values.add(decode(s, pos));
        }
        if (withOffset) {
            values.add(0, LuaValue.valueOf(pos[0] >= s.length() ? -1 : pos[0]));
        }
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }

    private static long read(LuaString s, int[] pos, int bytes) {
        if (pos[0] + bytes > s.length()) {
            throw new LuaError("Missing bytes in input.");
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | s.luaByte(pos[0]++);
        }
        return v;
    }

    private static LuaValue decode(LuaString s, int[] pos) {
        int c = (int) read(s, pos, 1);
        if (c <= 0x7f) {
            return LuaValue.valueOf(c);
        }
        if (c >= 0xe0) {
            return LuaValue.valueOf(c - 256);
        }
        if ((c & 0xe0) == 0xa0) {
            return str(s, pos, c & 0x1f);
        }
        if ((c & 0xf0) == 0x90) {
            return array(s, pos, c & 0x0f);
        }
        if ((c & 0xf0) == 0x80) {
            return map(s, pos, c & 0x0f);
        }
        return switch (c) {
            case 0xc0 -> LuaValue.NIL;
            case 0xc2 -> LuaValue.FALSE;
            case 0xc3 -> LuaValue.TRUE;
            case 0xca -> LuaValue.valueOf(Float.intBitsToFloat((int) read(s, pos, 4)));
            case 0xcb -> LuaValue.valueOf(Double.longBitsToDouble(read(s, pos, 8)));
            case 0xcc -> LuaValue.valueOf(read(s, pos, 1));
            case 0xcd -> LuaValue.valueOf(read(s, pos, 2));
            case 0xce -> LuaValue.valueOf(read(s, pos, 4));
            case 0xcf -> {
                long v = read(s, pos, 8);
                yield LuaValue.valueOf(v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1));
            }
            case 0xd0 -> LuaValue.valueOf((byte) read(s, pos, 1));
            case 0xd1 -> LuaValue.valueOf((short) read(s, pos, 2));
            case 0xd2 -> LuaValue.valueOf((int) read(s, pos, 4));
            case 0xd3 -> LuaValue.valueOf((double) read(s, pos, 8));
            case 0xd9, 0xc4 -> str(s, pos, (int) read(s, pos, 1));
            case 0xda, 0xc5 -> str(s, pos, (int) read(s, pos, 2));
            case 0xdb, 0xc6 -> str(s, pos, (int) read(s, pos, 4));
            case 0xdc -> array(s, pos, (int) read(s, pos, 2));
            case 0xdd -> array(s, pos, (int) read(s, pos, 4));
            case 0xde -> map(s, pos, (int) read(s, pos, 2));
            case 0xdf -> map(s, pos, (int) read(s, pos, 4));
            default -> throw new LuaError("Bad data format in input.");
        };
    }

    private static LuaValue str(LuaString s, int[] pos, int n) {
        if (n < 0 || pos[0] + n > s.length()) {
            throw new LuaError("Missing bytes in input.");
        }
        LuaValue v = s.substring(pos[0], pos[0] + n);
        pos[0] += n;
        return v;
    }

    private static LuaValue array(LuaString s, int[] pos, int n) {
        LuaTable t = new LuaTable();
        for (int i = 1; i <= n; i++) {
            t.rawset(i, decode(s, pos));
        }
        return t;
    }

    private static LuaValue map(LuaString s, int[] pos, int n) {
        LuaTable t = new LuaTable();
        for (int i = 0; i < n; i++) {
            LuaValue k = decode(s, pos);
            LuaValue v = decode(s, pos);
            if (!k.isnil()) {
                t.rawset(k, v);
            }
        }
        return t;
    }
}
