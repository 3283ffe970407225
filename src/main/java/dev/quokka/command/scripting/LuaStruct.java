package dev.quokka.command.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Roberto Ierusalimschy's {@code struct} library as Redis loads it: {@code pack}, {@code unpack}
 * and {@code size} of binary records described by a format ({@code < > !} endianness and
 * alignment, {@code x b B h H l L T i I f d c s}).
 */
final class LuaStruct {
    private LuaStruct() {
    }

    private static final class State {
        boolean little = true;
        int align = 1;
    }

    static ProtectedTable library() {
        ProtectedTable t = new ProtectedTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaString.valueUsing(pack(a.checkstring(1).tojstring(), a));
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1).tojstring(), a.checkstring(2), a.optint(3, 1));
            }
        });
        t.rawset("size", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                String fmt = a.checkstring(1).tojstring();
                State st = new State();
                int pos = 0;
                for (int i = 0; i < fmt.length(); i++) {
                    char opt = fmt.charAt(i);
                    int[] n = {0};
                    i = number(fmt, i, n);
                    int size = optSize(opt, n[0]);
                    if (opt == 's' || (opt == 'c' && size == 0)) {
                        throw new LuaError("options 'c0' - 's' have undefined sizes");
                    }
                    pos += gap(opt, size, pos, st);
                    pos += size;
                    controls(opt, n[0], st);
                }
                return LuaValue.valueOf(pos);
            }
        });
        return t;
    }

    /** Reads an optional count after the option at {@code i}; returns the index of its last character. */
    private static int number(String fmt, int i, int[] out) {
        int n = 0;
        boolean any = false;
        while (i + 1 < fmt.length() && Character.isDigit(fmt.charAt(i + 1))) {
            n = n * 10 + fmt.charAt(++i) - '0';
            any = true;
        }
        out[0] = any ? n : -1;
        return i;
    }

    private static int optSize(char opt, int n) {
        return switch (opt) {
            case 'B', 'b', 'x' -> 1;
            case 'H', 'h' -> 2;
            case 'L', 'l', 'T' -> 8;
            case 'f' -> 4;
            case 'd' -> 8;
            case 'c' -> n < 0 ? 1 : n;
            case 'i', 'I' -> {
                int sz = n < 0 ? 4 : n;
                if (sz > 8) {
                    throw new LuaError("integral size " + sz + " is larger than limit of 8");
                }
                yield sz;
            }
            default -> 0;
        };
    }

    private static int gap(char opt, int size, int pos, State st) {
        if (opt == 'c' || opt == 's' || opt == 'x') {
            return 0;
        }
        int align = Math.min(size, st.align);
        if (align <= 1) {
            return 0;
        }
        return (align - (pos & (align - 1))) & (align - 1);
    }

    private static void controls(char opt, int n, State st) {
        switch (opt) {
            case ' ' -> { }
            case '>' -> st.little = false;
            case '<' -> st.little = true;
            case '!' -> st.align = n < 0 ? 8 : n;
            case 'B', 'b', 'x', 'H', 'h', 'L', 'l', 'T', 'f', 'd', 'c', 'i', 'I', 's' -> { }
            default -> throw new LuaError("invalid format option '" + opt + "'");
        }
    }

    private static void putInt(ByteArrayOutputStream out, long v, int size, boolean little) {
        for (int k = 0; k < size; k++) {
            int shift = little ? k : size - 1 - k;
            out.write(shift < 8 ? (int) (v >>> (8 * shift)) & 0xff : (v < 0 ? 0xff : 0));
        }
    }

    static byte[] pack(String fmt, Varargs a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        State st = new State();
        int arg = 2;
        for (int i = 0; i < fmt.length(); i++) {
            char opt = fmt.charAt(i);
            int[] n = {0};
            i = number(fmt, i, n);
            int size = optSize(opt, n[0]);
            int g = gap(opt, size, out.size(), st);
            for (int k = 0; k < g; k++) {
                out.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double d = a.checkdouble(arg++);
                    long v = d < 0 ? (long) d : (d >= 9.223372036854775807E18 ? (long) (d - 1.8446744073709552E19) : (long) d);
                    putInt(out, v, size, st.little);
                }
                case 'x' -> out.write(0);
                case 'f' -> putInt(out, Float.floatToIntBits((float) a.checkdouble(arg++)) & 0xffffffffL, 4, st.little);
                case 'd' -> putInt(out, Double.doubleToLongBits(a.checkdouble(arg++)), 8, st.little);
                case 'c', 's' -> {
                    LuaString s = a.checkstring(arg++);
                    int len = s.length();
                    if (opt == 'c' && size == 0 && n[0] == 0) {
                        size = len;
                    } else if (opt == 's') {
                        size = len;
                    }
                    if (opt == 'c' && size > len) {
                        throw new LuaError("bad argument #" + (arg - 1) + " to 'pack' (string too short)");
                    }
                    out.write(s.m_bytes, s.m_offset, size);
                    if (opt == 's') {
                        out.write(0);
                    }
                }
                default -> controls(opt, n[0], st);
            }
        }
        return out.toByteArray();
    }

    static Varargs unpack(String fmt, LuaString data, int start) {
        State st = new State();
        List<LuaValue> out = new ArrayList<>();
        int pos = start - 1;
        if (pos < 0) {
            throw new LuaError("bad argument #3 to 'unpack' (offset must be 1 or greater)");
        }
        int len = data.length();
        for (int i = 0; i < fmt.length(); i++) {
            char opt = fmt.charAt(i);
            int[] n = {0};
            i = number(fmt, i, n);
            int size = optSize(opt, n[0]);
            pos += gap(opt, size, pos, st);
            if (size > 0 && pos + size > len && opt != 'c') {
                throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    long v = 0;
                    for (int k = 0; k < size; k++) {
                        int b = data.luaByte(pos + (st.little ? size - 1 - k : k));
                        v = (v << 8) | b;
                    }
                    boolean signed = Character.isLowerCase(opt);
                    if (signed && size < 8) {
                        long mask = 1L << (size * 8 - 1);
                        v = (v ^ mask) - mask;
                    }
                    out.add(LuaValue.valueOf(signed || v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1)));
                    pos += size;
                }
                case 'x' -> pos += 1;
                case 'f', 'd' -> {
                    long v = 0;
                    for (int k = 0; k < size; k++) {
                        v = (v << 8) | data.luaByte(pos + (st.little ? size - 1 - k : k));
                    }
                    out.add(LuaValue.valueOf(opt == 'f' ? Float.intBitsToFloat((int) v) : Double.longBitsToDouble(v)));
                    pos += size;
                }
                case 'c' -> {
                    if (size == 0 && n[0] == 0) {
                        if (out.isEmpty() || !out.get(out.size() - 1).isnumber()) {
                            throw new LuaError("format 'c0' needs a previous size");
                        }
                        size = out.remove(out.size() - 1).toint();
                    }
                    if (pos + size > len) {
                        throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
                    }
                    out.add(data.substring(pos, pos + size));
                    pos += size;
                }
                case 's' -> {
                    int e = pos;
                    while (e < len && data.luaByte(e) != 0) {
                        e++;
                    }
                    if (e >= len) {
                        throw new LuaError("bad argument #2 to 'unpack' (unfinished string in data)");
                    }
                    out.add(data.substring(pos, e));
                    pos = e + 1;
                }
                default -> controls(opt, n[0], st);
            }
        }
        out.add(LuaValue.valueOf(pos + 1));
        return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
    }
}
