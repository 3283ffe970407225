package dev.quokka.command.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** LuaBitOp's {@code bit} library as Redis loads it: 32-bit operations on Lua numbers. */
final class LuaBit {
    private LuaBit() {
    }

    /** A number's low 32 bits after rounding, as LuaBitOp's barg does. */
    static int bits(Varargs args, int i) {
        LuaValue v = args.arg(i);
        if (!v.isnumber()) {
            throw new LuaError("bad argument #" + i + " to '?' (number expected, got " + v.typename() + ")");
        }
        double d = v.todouble();
        return (int) (long) Math.rint(d % 4294967296.0);
    }

    static ProtectedTable library() {
        ProtectedTable t = new ProtectedTable();
        t.rawset("tobit", f(a -> bits(a, 1)));
        t.rawset("bnot", f(a -> ~bits(a, 1)));
        t.rawset("band", f(a -> {
            int r = bits(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r &= bits(a, i);
            }
            return r;
        }));
        t.rawset("bor", f(a -> {
            int r = bits(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r |= bits(a, i);
            }
            return r;
        }));
        t.rawset("bxor", f(a -> {
            int r = bits(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r ^= bits(a, i);
            }
            return r;
        }));
        t.rawset("lshift", f(a -> bits(a, 1) << (bits(a, 2) & 31)));
        t.rawset("rshift", f(a -> bits(a, 1) >>> (bits(a, 2) & 31)));
        t.rawset("arshift", f(a -> bits(a, 1) >> (bits(a, 2) & 31)));
        t.rawset("rol", f(a -> Integer.rotateLeft(bits(a, 1), bits(a, 2) & 31)));
        t.rawset("ror", f(a -> Integer.rotateRight(bits(a, 1), bits(a, 2) & 31)));
        t.rawset("bswap", f(a -> Integer.reverseBytes(bits(a, 1))));
        t.rawset("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                int b = bits(a, 1);
                int n = a.isnoneornil(2) ? 8 : bits(a, 2);
                boolean upper = n < 0;
                if (upper) {
                    n = -n;
                }
                if (n > 8) {
                    n = 8;
                }
                StringBuilder s = new StringBuilder();
                for (int i = n - 1; i >= 0; i--) {
                    int nibble = (b >>> (i * 4)) & 15;
                    s.append((upper ? "0123456789ABCDEF" : "0123456789abcdef").charAt(nibble));
                }
                return LuaValue.valueOf(s.toString());
            }
        });
        return t;
    }

    private interface IntOp {
        int apply(Varargs a);
    }

    private static VarArgFunction f(IntOp op) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaValue.valueOf(op.apply(a));
            }
        };
    }
}
