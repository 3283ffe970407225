package dev.quokka.command.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One Lua interpreter with Redis's environment (script_lua.c's {@code luaRegisterRedisAPI}): the
 * base, table, string and math libraries (no {@code loadfile}, {@code dofile}, {@code print}, no
 * io, os or package, so nothing reaches the host), {@code cjson}, {@code cmsgpack}, {@code bit},
 * {@code struct} and {@code redis}; Lua 5.1's globals that Lua 5.2 dropped ({@code unpack},
 * {@code loadstring}, {@code table.getn}, {@code math.mod}); numbers printed as Lua 5.1 prints
 * them; and, once {@link #lock}ed, every table reachable from the globals read-only, with reads
 * of undeclared globals failing as Redis's do. EVAL has one, the functions engine another.
 */
final class LuaSandbox {
    /** How many Lua instructions run between two checks of the time limit and of SCRIPT KILL. */
    static final int CHECK_EVERY = 1000;

    final ProtectedTable.Sandbox globals = new ProtectedTable.Sandbox();
    private final Scripting scripting;
    final Hook hook = new Hook();

    LuaSandbox(Scripting scripting) {
        this.scripting = scripting;
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new JseMathLib());
        globals.load(new CoroutineLib());
        globals.load(hook);
        LoadState.install(globals);
        LuaC.install(globals);
        globals.rawset("debug", LuaValue.NIL);
        for (String removed : new String[] {"dofile", "loadfile", "print", "rawlen", "require", "package", "module"}) {
            globals.rawset(removed, LuaValue.NIL);
        }
        globals.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        LuaValue table = globals.get("table");
        globals.rawset("unpack", table.get("unpack"));
        table.set("concat", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                // Lua 5.1's table.concat: numbers as tostring prints them
                LuaTable t = args.checktable(1);
                LuaString sep = args.optstring(2, LuaString.valueOf(""));
                int i = args.optint(3, 1);
                int j = args.isnoneornil(4) ? t.length() : args.checkint(4);
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (int k = i; k <= j; k++) {
                    LuaValue v = t.get(k);
                    LuaString s;
                    if (v.type() == LuaValue.TNUMBER) {
                        s = LuaString.valueOf(LuaFormat.number(v.todouble()));
                    } else if (v.type() == LuaValue.TSTRING) {
                        s = (LuaString) v;
                    } else {
                        throw new LuaError("invalid value (at index " + k + ") in table for 'concat'");
                    }
                    out.write(s.m_bytes, s.m_offset, s.m_length);
                    if (k < j) {
                        out.write(sep.m_bytes, sep.m_offset, sep.m_length);
                    }
                }
                return LuaString.valueUsing(out.toByteArray());
            }
        });
        table.set("getn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaValue.valueOf(t.checktable().length());
            }
        });
        table.set("maxn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                double max = 0;
                LuaValue k = LuaValue.NIL;
                LuaTable tt = t.checktable();
                while (!(k = tt.next(k).arg1()).isnil()) {
                    if (k.type() == LuaValue.TNUMBER && k.todouble() > max) {
                        max = k.todouble();
                    }
                }
                return LuaValue.valueOf(max);
            }
        });
        LuaValue math = globals.get("math");
        math.set("mod", math.get("fmod"));
        math.set("random", new Random(scripting));
        math.set("randomseed", new RandomSeed(scripting));
        LuaValue string = globals.get("string");
        string.set("format", new LuaFormat());
        string.set("rep", new Rep());
        globals.rawset("tostring", new ToString());
        globals.rawset("error", new Error());
        globals.rawset("pcall", new Pcall(this));
        globals.rawset("loadstring", new LoadString(globals));
        globals.rawset("load", new LoadString(globals));
        globals.rawset("gcinfo", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.valueOf((int) ((Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024));
            }
        });
        globals.rawset("getfenv", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return globals;
            }
        });
        globals.rawset("setfenv", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("'setfenv' is not supported");
            }
        });
        recordErrorFrames(globals);
        globals.rawset("cjson", LuaCjson.library());
        globals.rawset("cmsgpack", LuaCmsgpack.library());
        globals.rawset("bit", LuaBit.library());
        globals.rawset("struct", LuaStruct.library());
    }

    /**
     * Makes every table reachable from the globals read-only (their metatables too, and the
     * string metatable), and reads of undeclared globals an error (Redis's {@code scriptingInit}).
     */
    void lock() {
        ProtectedTable meta = new ProtectedTable();
        meta.rawset(LuaValue.INDEX, new UndeclaredGlobal());
        globals.setmetatable(meta);
        protect(globals, new IdentityHashMap<>());
        globals.readonly = true;
        meta.readonly = true;
    }

    /** Replaces each plain table under {@code t} by a protected copy, recursively, and marks it read-only. */
    static void protect(LuaTable t, Map<LuaTable, ProtectedTable> seen) {
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            LuaValue v = n.arg(2);
            if (v instanceof LuaTable vt && !(vt instanceof Globals)) {
                ProtectedTable p = protectedCopy(vt, seen);
                if (p != vt) {
                    rawReplace(t, k, p);
                }
            }
        }
        if (t.getmetatable() instanceof LuaTable mt && !(mt instanceof ProtectedTable pm && pm.readonly)) {
            ProtectedTable p = protectedCopy(mt, seen);
            if (p != mt) {
                if (t instanceof ProtectedTable pt) {
                    boolean was = pt.readonly;
                    pt.readonly = false;
                    pt.setmetatable(p);
                    pt.readonly = was;
                } else {
                    t.setmetatable(p);
                }
            }
        }
    }

    private static void rawReplace(LuaTable t, LuaValue k, LuaValue v) {
        if (t instanceof ProtectedTable.Sandbox g) {
            g.force(k, v);
        } else if (t instanceof ProtectedTable p) {
            boolean was = p.readonly;
            p.readonly = false;
            p.rawset(k, v);
            p.readonly = was;
        } else {
            t.rawset(k, v);
        }
    }

    private static ProtectedTable protectedCopy(LuaTable t, Map<LuaTable, ProtectedTable> seen) {
        ProtectedTable p = seen.get(t);
        if (p != null) {
            return p;
        }
        if (t instanceof ProtectedTable pt) {
            p = pt;
            seen.put(t, p);
        } else {
            p = new ProtectedTable();
            seen.put(t, p);
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                p.rawset(k, n.arg(2));
            }
            if (t.getmetatable() != null) {
                p.setmetatable(t.getmetatable());
            }
        }
        if (!p.readonly) {
            protect(p, seen);
            p.readonly = true;
        }
        return p;
    }

    /**
     * Compiles a script or library body (text only: precompiled chunks are refused, as Redis's
     * Lua refuses them) into a function whose globals are {@code env}.
     */
    LuaFunction compile(byte[] body, int from, String chunkName, LuaValue env) {
        if (from < body.length && body[from] == 0x1b) {
            throw new LuaError("Precompiled code is not supported");
        }
        try {
            return (LuaFunction) globals.load(new ByteArrayInputStream(body, from, body.length - from), chunkName, "t", env);
        } catch (LuaError e) {
            throw new LuaError(position(e) + rawMessage(e));
        }
    }

    /**
     * Redis's luaMaskCountHook, counted in instructions: the time limit and SCRIPT KILL. It also
     * keeps the interpreter's call stack, for the line of an error raised by a tail call
     * ({@code return redis.call(...)}), whose frame is gone when the error is raised.
     */
    final class Hook extends DebugLib {
        private int count;
        private org.luaj.vm2.LuaClosure[] closures = new org.luaj.vm2.LuaClosure[32];
        private int[] pcs = new int[32];
        private int depth;
        /** Where the last Lua function that returned (or tail-called) was: {@code @user_script:3}. */
        String lastLine;

        /** The frame that was running when the last error was raised (captured by the error function). */
        private org.luaj.vm2.LuaClosure errorClosure;
        private int errorPc;

        void reset() {
            depth = 0;
            lastLine = null;
            errorClosure = null;
        }

        void captureErrorFrame() {
            errorClosure = depth > 0 ? closures[depth - 1] : null;
            errorPc = depth > 0 ? pcs[depth - 1] : -1;
        }

        /**
         * Lua 5.1 names the value a failed call or index came from ({@code attempt to call field
         * 'x' (a nil value)}); the pure-Java Lua does not, so the name is read from the bytecode
         * of the frame that raised it.
         */
        String named(String m) {
            org.luaj.vm2.LuaClosure c = errorClosure;
            errorClosure = null;
            if (c == null || errorPc < 0 || errorPc >= c.p.code.length) {
                return m;
            }
            int i = c.p.code[errorPc];
            int op = org.luaj.vm2.Lua.GET_OPCODE(i);
            String action;
            int reg;
            if (m.startsWith("attempt to call a ") && (op == org.luaj.vm2.Lua.OP_CALL || op == org.luaj.vm2.Lua.OP_TAILCALL)) {
                action = "call";
                reg = org.luaj.vm2.Lua.GETARG_A(i);
            } else if (m.startsWith("attempt to index a ") && (op == org.luaj.vm2.Lua.OP_GETTABLE || op == org.luaj.vm2.Lua.OP_SELF)) {
                action = "index";
                reg = org.luaj.vm2.Lua.GETARG_B(i);
            } else if (m.startsWith("attempt to index a ") && op == org.luaj.vm2.Lua.OP_SETTABLE) {
                action = "index";
                reg = org.luaj.vm2.Lua.GETARG_A(i);
            } else {
                return m;
            }
            Object nameWhat = DebugLib.getobjname(c.p, errorPc, reg);
            if (nameWhat == null || NAME == null) {
                return m;
            }
            try {
                String name = (String) NAME.get(nameWhat);
                String what = (String) NAMEWHAT.get(nameWhat);
                String type = m.substring(m.indexOf(" a ") + 3, m.length() - " value".length());
                return "attempt to " + action + " " + what + " '" + name + "' (a " + type + " value)";
            } catch (IllegalAccessException | RuntimeException e) {
                return m;
            }
        }

        @Override
        public void onCall(org.luaj.vm2.LuaClosure c, Varargs varargs, LuaValue[] stack) {
            push(c);
        }

        @Override
        public void onCall(LuaFunction f) {
            push(null);
        }

        private void push(org.luaj.vm2.LuaClosure c) {
            if (depth == closures.length) {
                closures = java.util.Arrays.copyOf(closures, depth * 2);
                pcs = java.util.Arrays.copyOf(pcs, depth * 2);
            }
            closures[depth] = c;
            pcs[depth++] = 0;
        }

        @Override
        public void onReturn() {
            if (depth > 0) {
                org.luaj.vm2.LuaClosure c = closures[--depth];
                if (c != null) {
                    int[] lines = c.p.lineinfo;
                    int pc = pcs[depth];
                    if (lines != null && pc >= 0 && pc < lines.length) {
                        lastLine = c.p.source.tojstring() + ":" + lines[pc];
                    }
                }
                closures[depth] = null;
            }
        }

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            if (depth > 0) {
                pcs[depth - 1] = pc;
            }
            if (++count >= CHECK_EVERY) {
                count = 0;
                scripting.checkpoint();
            }
        }
    }

    /** {@code __index} of the globals: Redis's luaProtectedTableError. */
    private static final class UndeclaredGlobal extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue table, LuaValue key) {
            throw new LuaError("Script attempted to access nonexistent global variable '" + key.tojstring() + "'");
        }
    }

    /**
     * Lua 5.1's {@code string.rep(s, n)} with its argument errors; the copies double (the pure-Java
     * Lua copies the string n times one by one: 0.9 ms for {@code string.rep('x', 65536)}).
     */
    private static final class Rep extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (!args.arg1().isstring()) {
                throw argumentError(args, 1, "string");
            }
            if (!args.arg(2).isnumber()) {
                throw argumentError(args, 2, "number");
            }
            LuaString s = args.arg1().strvalue();
            // luaL_checkint: the number truncated to a C int.
            int n = (int) (long) args.arg(2).todouble();
            int len = s.length();
            if (n <= 0 || len == 0) {
                return LuaValue.EMPTYSTRING;
            }
            long total = (long) len * n;
            if (total > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("string.rep of " + total + " bytes");
            }
            byte[] out = new byte[(int) total];
            s.copyInto(0, out, 0, len);
            for (int filled = len; filled < out.length; filled *= 2) {
                System.arraycopy(out, 0, out, filled, Math.min(filled, out.length - filled));
            }
            return LuaString.valueUsing(out);
        }

        private static LuaError argumentError(Varargs args, int i, String expected) {
            String got = args.narg() < i ? "no value" : args.arg(i).typename();
            return new LuaError("bad argument #" + i + " to 'rep' (" + expected + " expected, got " + got + ")");
        }
    }

    /** {@code tostring} printing numbers as Lua 5.1 does ({@code %.14g}). */
    private static final class ToString extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue arg) {
            LuaValue h = arg.metatag(LuaValue.TOSTRING);
            if (!h.isnil()) {
                return h.call(arg);
            }
            if (arg.type() == LuaValue.TNUMBER) {
                return LuaValue.valueOf(LuaFormat.number(arg.todouble()));
            }
            LuaValue v = arg.tostring();
            return v.isnil() ? LuaValue.valueOf(arg.tojstring()) : v;
        }
    }

    /** {@code error(message [, level])}: a string message gets the position of the caller at level 1, none at 0. */
    private static final class Error extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue message, LuaValue level) {
            if (message.type() == LuaValue.TSTRING || message.type() == LuaValue.TNUMBER) {
                throw new LuaError(message.tojstring(), level.optint(1));
            }
            throw message.isnil() ? new LuaError((String) null, 1) : new LuaError(message);
        }
    }

    /**
     * Redis's {@code pcall}: an error raised as a table with an {@code err} string (a failed
     * {@code redis.call}) is caught as that string; SCRIPT KILL cannot be caught.
     */
    private static final class Pcall extends VarArgFunction {
        private final LuaSandbox sandbox;

        Pcall(LuaSandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.checkvalue(1);
            try {
                return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args.subargs(2)));
            } catch (Scripting.Interrupted e) {
                throw e;
            } catch (LuaError e) {
                LuaValue m = sandbox.errorObject(e, null);
                if (m.istable() && m.get(LuaReplies.ERR).type() == LuaValue.TSTRING) {
                    m = m.get(LuaReplies.ERR);
                }
                return LuaValue.varargsOf(LuaValue.FALSE, m);
            } catch (StackOverflowError e) {
                return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("stack overflow"));
            }
        }
    }

    /** {@code loadstring(text [, name])} and {@code load}: text chunks only, returning nil and the error on failure. */
    private final class LoadString extends VarArgFunction {
        private final Globals env;

        LoadString(Globals env) {
            this.env = env;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue chunk = args.arg1();
            byte[] body;
            if (chunk.isfunction()) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                while (true) {
                    LuaValue piece = chunk.call();
                    if (piece.isnil() || piece.checkstring().length() == 0) {
                        break;
                    }
                    LuaString s = piece.checkstring();
                    out.write(s.m_bytes, s.m_offset, s.m_length);
                }
                body = out.toByteArray();
            } else {
                LuaString s = args.checkstring(1);
                body = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, body, 0, s.m_length);
            }
            String name = args.optjstring(2, "=(load)");
            if (!name.startsWith("=") && !name.startsWith("@")) {
                name = "=[string \"" + firstLine(name) + "\"]";
            }
            try {
                return compile(body, 0, name, env);
            } catch (LuaError e) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(rawMessage(e)));
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) + "..." : s;
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }

    /** {@code math.random} on Redis's own generator (the same sequence on every platform). */
    private static final class Random extends VarArgFunction {
        private final Scripting scripting;

        Random(Scripting scripting) {
            this.scripting = scripting;
        }

        @Override
        public Varargs invoke(Varargs args) {
            double r = (scripting.lrand48() % Integer.MAX_VALUE) / (double) Integer.MAX_VALUE;
            switch (args.narg()) {
                case 0:
                    return LuaValue.valueOf(r);
                case 1: {
                    int u = args.checkint(1);
                    if (u < 1) {
                        argerror(1, "interval is empty");
                    }
                    return LuaValue.valueOf(Math.floor(r * u) + 1);
                }
                case 2: {
                    int l = args.checkint(1);
                    int u = args.checkint(2);
                    if (l > u) {
                        argerror(2, "interval is empty");
                    }
                    return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
                }
                default:
                    throw new LuaError("wrong number of arguments");
            }
        }
    }

    private static final class RandomSeed extends OneArgFunction {
        private final Scripting scripting;

        RandomSeed(Scripting scripting) {
            this.scripting = scripting;
        }

        @Override
        public LuaValue call(LuaValue seed) {
            scripting.srand48(seed.checkint());
            return LuaValue.NONE;
        }
    }

    // ------------------------------------------------------------------ errors as Redis reports them

    private static final Field NAME = nameWhatField("name");
    private static final Field NAMEWHAT = nameWhatField("namewhat");

    private static Field nameWhatField(String name) {
        try {
            Field f = Class.forName("org.luaj.vm2.lib.DebugLib$NameWhat").getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Installs the error function that records the frame an error is raised in (see {@link Hook#named}). */
    void recordErrorFrames(Globals g) {
        g.running.errorfunc = new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue message) {
                hook.captureErrorFrame();
                return message;
            }
        };
    }

    /** The error's message as Lua 5.1 words it, naming the value that failed where the bytecode tells. */
    String message(LuaError e) {
        return hook.named(rawMessage(e));
    }

    private static final Field FILELINE = field("fileline");
    private static final Field TRACEBACK = field("traceback");
    private static final Field LEVEL = field("level");

    private static Field field(String name) {
        try {
            Field f = LuaError.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the error was raised, as Lua's {@code source:line} ({@code @user_script:3}), or null. */
    static String fileline(LuaError e) {
        try {
            return (String) FILELINE.get(e);
        } catch (IllegalAccessException x) {
            return null;
        }
    }

    /** The error's message without the position the interpreter prepends. */
    static String rawMessage(LuaError e) {
        try {
            TRACEBACK.set(e, null);
            String fileline = (String) FILELINE.get(e);
            FILELINE.set(e, null);
            String m = e.getMessage();
            FILELINE.set(e, fileline);
            return m == null ? "nil" : translate(m);
        } catch (IllegalAccessException x) {
            return String.valueOf(e.getMessage());
        }
    }

    /**
     * The position prefix C Lua gives a message raised at {@code error}'s level 1 or by the
     * interpreter ({@code user_script:3: }); none for level 0.
     */
    static String position(LuaError e) {
        return position(e, null);
    }

    /** {@link #position(LuaError)}, at {@code fallback} when the interpreter recorded none (a tail call). */
    static String position(LuaError e, String fallback) {
        try {
            int level = LEVEL.getInt(e);
            String fileline = (String) FILELINE.get(e);
            if (fileline == null) {
                fileline = fallback;
            }
            if (level <= 0 || fileline == null) {
                return "";
            }
            return (fileline.startsWith("@") || fileline.startsWith("=") ? fileline.substring(1) : fileline) + ": ";
        } catch (IllegalAccessException x) {
            return "";
        }
    }

    /** The error's value as a script's pcall sees it: the raised table, or its message with the position. */
    LuaValue errorObject(LuaError e, String fallbackPosition) {
        LuaValue m = e.getMessageObject();
        if (m != null && m.istable()) {
            return m;
        }
        return LuaValue.valueOf(position(e, fallbackPosition) + message(e));
    }

    /** Lua 5.1's wording of the interpreter's errors where the pure-Java Lua words them otherwise. */
    private static String translate(String m) {
        if (m.startsWith("attempt to call ") && !m.contains("(a ")) {
            return "attempt to call a " + m.substring("attempt to call ".length()) + " value";
        }
        if (m.startsWith("attempt to index ? (a ")) {
            return "attempt to index a " + m.substring("attempt to index ? (a ".length(), m.length() - 1);
        }
        if (m.startsWith("index expected, got ")) {
            return "attempt to index a " + m.substring("index expected, got ".length()) + " value";
        }
        if (m.startsWith("attempt to get length of ") && !m.endsWith(" value")) {
            return "attempt to get length of a " + m.substring("attempt to get length of ".length()) + " value";
        }
        if (m.startsWith("attempt to concatenate ") && m.contains(" and ")) {
            String[] types = m.substring("attempt to concatenate ".length()).split(" and ", 2);
            String bad = types[0].equals("string") || types[0].equals("number") ? types[1] : types[0];
            return "attempt to concatenate a " + bad + " value";
        }
        if (m.startsWith("attempt to perform arithmetic ")) {
            int on = m.lastIndexOf(" and ");
            String type = on >= 0 ? m.substring(on + 5) : "nil";
            return "attempt to perform arithmetic on a " + type + " value";
        }
        return m;
    }
}
