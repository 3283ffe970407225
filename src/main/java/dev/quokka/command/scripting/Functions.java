package dev.quokka.command.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis 7 functions (functions.c, function_lua.c): libraries of named functions loaded with
 * {@code FUNCTION LOAD}, run by FCALL in their own interpreter. While a library's code runs at
 * load time its globals offer only {@code redis.register_function}, {@code redis.log} and the
 * version; when its functions run, the whole environment.
 */
public final class Functions {
    /** A function of a library. */
    record Function(String name, String description, LuaFunction callback, int flags, Library library) {
    }

    /** A loaded library: its name, code and functions in registration order. */
    static final class Library {
        final String name;
        final byte[] code;
        /** Function names are case-insensitive across libraries (Redis's functionDictType). */
    final Map<String, Function> functions = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }
    }

    private final Scripting scripting;
    final LuaSandbox sandbox;
    /** The globals functions see: empty and read-only, reading through to {@link #runtime} or {@link #loadApi}. */
    private final ProtectedTable.Sandbox env = new ProtectedTable.Sandbox();
    private final ProtectedTable envMeta = new ProtectedTable();
    private final LuaTable runtime;
    private final ProtectedTable loadApi = new ProtectedTable();
    final Map<String, Library> libraries = new LinkedHashMap<>();
    /** Function names are case-insensitive across libraries (Redis's functionDictType). */
    final Map<String, Function> functions = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** The library being loaded, which register_function adds to. */
    private Library loading;

    Functions(Scripting scripting) {
        this.scripting = scripting;
        this.sandbox = new LuaSandbox(scripting);
        sandbox.globals.rawset("redis", scripting.redisLibrary(false));
        sandbox.lock();
        this.runtime = sandbox.globals;
        ProtectedTable redis = new ProtectedTable();
        redis.rawset("register_function", new RegisterFunction());
        Scripting.registerLog(redis);
        Scripting.registerVersion(redis);
        ProtectedTable undeclared = new ProtectedTable();
        undeclared.rawset(LuaValue.INDEX, sandbox.globals.getmetatable().rawget(LuaValue.INDEX));
        redis.setmetatable(undeclared);
        loadApi.rawset("redis", redis);
        loadApi.setmetatable(undeclared);
        LuaSandbox.protect(loadApi, new java.util.IdentityHashMap<>());
        loadApi.readonly = true;
        env.debuglib = sandbox.globals.debuglib;
        env.compiler = sandbox.globals.compiler;
        env.loader = sandbox.globals.loader;
        env.undumper = sandbox.globals.undumper;
        envMeta.rawset(LuaValue.INDEX, runtime);
        env.setmetatable(envMeta);
        sandbox.recordErrorFrames(env);
        envMeta.readonly = true;
        env.readonly = true;
    }

    private void index(LuaTable target) {
        envMeta.readonly = false;
        envMeta.rawset(LuaValue.INDEX, target);
        envMeta.readonly = true;
    }

    Function function(byte[] name) {
        return functions.get(new String(name, StandardCharsets.ISO_8859_1));
    }

    /**
     * FUNCTION LOAD: compiles the library, runs its code to register its functions, and links it
     * (replacing a library of the same name when {@code replace}). Returns the library's name;
     * throws the reply's text on an error.
     */
    String load(byte[] code, boolean replace) {
        Library lib = create(code, name -> !replace && libraries.containsKey(name));
        Library old = libraries.get(lib.name);
        for (String f : lib.functions.keySet()) {
            Function existing = functions.get(f);
            if (existing != null && existing.library() != old) {
                throw new Scripting.ScriptError("ERR Function " + f + " already exists");
            }
        }
        if (old != null) {
            unlink(old);
        }
        link(lib);
        return lib.name;
    }

    private void link(Library lib) {
        libraries.put(lib.name, lib);
        functions.putAll(lib.functions);
    }

    /**
     * Reads a library's metadata, compiles it and runs its code to register its functions
     * (Redis's functionsCreateWithLibraryCtx up to linking); {@code taken} says whether its name
     * may not be used.
     */
    private Library create(byte[] code, java.util.function.Predicate<String> taken) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new Scripting.ScriptError("ERR Missing library metadata");
        }
        int end = 0;
        while (end < code.length && code[end] != '\n') {
            end++;
        }
        if (end == code.length) {
            throw new Scripting.ScriptError("ERR Invalid library metadata");
        }
        String[] parts = Shebang.splitArgs(new String(code, 0, end, StandardCharsets.ISO_8859_1));
        if (parts == null || parts.length == 0) {
            throw new Scripting.ScriptError("ERR Invalid library metadata");
        }
        String engine = parts[0].substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new Scripting.ScriptError("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = parts[i].substring(5);
                continue;
            }
            throw new Scripting.ScriptError("ERR Invalid metadata value given: " + parts[i]);
        }
        if (name == null) {
            throw new Scripting.ScriptError("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new Scripting.ScriptError("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (!engine.equalsIgnoreCase("lua")) {
            throw new Scripting.ScriptError("ERR Engine '" + engine + "' not found");
        }
        if (taken.test(name)) {
            throw new Scripting.ScriptError("ERR Library '" + name + "' already exists");
        }
        Library lib = new Library(name, code);
        LuaFunction body;
        try {
            body = sandbox.compile(code, end, "@user_function", env);
        } catch (LuaError e) {
            throw new Scripting.ScriptError("ERR Error compiling function: " + LuaSandbox.rawMessage(e));
        }
        loading = lib;
        sandbox.hook.reset();
        index(loadApi);
        scripting.loading(true);
        try {
            body.call();
        } catch (LuaError e) {
            LuaValue obj = sandbox.errorObject(e, null);
            String msg = obj.istable() ? LuaReplies.latin1(obj.get(LuaReplies.ERR).tostring()) : "ERR " + LuaReplies.latin1(obj.tostring());
            throw new Scripting.ScriptError("ERR Error registering functions: " + msg);
        } catch (StackOverflowError e) {
            throw new Scripting.ScriptError("ERR Error registering functions: stack overflow");
        } finally {
            scripting.loading(false);
            index(runtime);
            loading = null;
        }
        if (lib.functions.isEmpty()) {
            throw new Scripting.ScriptError("ERR No functions registered");
        }
        return lib;
    }

    /** FUNCTION DUMP: each library as RDB's FUNCTION2 opcode and its code, then the RDB version and CRC64. */
    byte[] dump() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Library l : libraries.values()) {
            out.write(RDB_OPCODE_FUNCTION2);
            dev.quokka.persistence.RdbStrings.writeString(out, l.code);
        }
        out.write(RDB_VERSION & 0xff);
        out.write(RDB_VERSION >> 8);
        byte[] body = out.toByteArray();
        long crc = dev.quokka.persistence.Crc64.crc(0, body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    private static final int RDB_OPCODE_FUNCTION2 = 245;
    private static final int RDB_OPCODE_FUNCTION = 246;
    private static final int RDB_VERSION = 10;

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] (policy 0, 1, 2); throws the reply's text. */
    void restore(byte[] p, int policy) {
        int len = p.length;
        if (len < 10 || (((p[len - 9] & 0xff) << 8) | (p[len - 10] & 0xff)) > RDB_VERSION) {
            throw new Scripting.ScriptError("ERR DUMP payload version or checksum are wrong");
        }
        long crc = dev.quokka.persistence.Crc64.crc(0, p, 0, len - 8);
        for (int i = 0; i < 8; i++) {
            if ((byte) (crc >>> (8 * i)) != p[len - 8 + i]) {
                throw new Scripting.ScriptError("ERR DUMP payload version or checksum are wrong");
            }
        }
        Map<String, Library> loaded = new LinkedHashMap<>();
        Map<String, Function> loadedFunctions = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        dev.quokka.persistence.RdbStrings.Reader in = new dev.quokka.persistence.RdbStrings.Reader(p, 0, len);
        while (len - in.position() > 10) {
            int type = in.readByte();
            if (type != RDB_OPCODE_FUNCTION && type != RDB_OPCODE_FUNCTION2) {
                throw new Scripting.ScriptError("ERR given type is not a function");
            }
            if (type == RDB_OPCODE_FUNCTION) {
                throw new Scripting.ScriptError("ERR Pre-GA function format not supported");
            }
            byte[] code;
            try {
                code = in.readString();
            } catch (IllegalArgumentException e) {
                throw new Scripting.ScriptError("ERR Failed loading library payload");
            }
            Library lib = create(code, loaded::containsKey);
            for (String f : lib.functions.keySet()) {
                if (loadedFunctions.containsKey(f)) {
                    throw new Scripting.ScriptError("ERR Function " + f + " already exists");
                }
            }
            loaded.put(lib.name, lib);
            loadedFunctions.putAll(lib.functions);
        }
        if (policy == 0) {
            flush();
            loaded.values().forEach(this::link);
            return;
        }
        java.util.Set<Library> replaced = new java.util.HashSet<>();
        for (Library lib : loaded.values()) {
            Library old = libraries.get(lib.name);
            if (old != null) {
                if (policy != 2) {
                    throw new Scripting.ScriptError("ERR Library " + lib.name + " already exists");
                }
                replaced.add(old);
            }
        }
        for (Map.Entry<String, Function> f : loadedFunctions.entrySet()) {
            Function existing = functions.get(f.getKey());
            if (existing != null && !replaced.contains(existing.library())) {
                throw new Scripting.ScriptError("ERR Function " + f.getKey() + " already exists");
            }
        }
        replaced.forEach(this::unlink);
        loaded.values().forEach(this::link);
    }

    void unlink(Library lib) {
        libraries.remove(lib.name);
        for (String f : lib.functions.keySet()) {
            functions.remove(f);
        }
    }

    void flush() {
        libraries.clear();
        functions.clear();
    }

    /**
     * Replaces every library with those of an RDB file (DEBUG RELOAD, as emptyData and rdbLoad do);
     * returns null, or the error that stopped a library from loading.
     */
    public String reload(List<byte[]> codes) {
        flush();
        for (byte[] code : codes) {
            try {
                load(code, false);
            } catch (Scripting.ScriptError e) {
                return e.getMessage();
            }
        }
        return null;
    }

    /** The source of every library, for the AOF rewrite's base (FUNCTION LOAD each). */
    public List<byte[]> codes() {
        List<byte[]> out = new ArrayList<>();
        for (Library l : libraries.values()) {
            out.add(l.code);
        }
        return out;
    }

    /** The libraries' source bytes. */
    public long codeBytes() {
        long n = 0;
        for (Library l : libraries.values()) {
            n += l.code.length;
        }
        return n;
    }

    public int libraryCount() {
        return libraries.size();
    }

    public int functionCount() {
        return functions.size();
    }

    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** {@code redis.register_function(name, callback)} or {@code redis.register_function{function_name=, callback=, flags=, description=}}. */
    private final class RegisterFunction extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            Library lib = loading;
            if (lib == null) {
                throw Scripting.scriptError("redis.register_function can only be called on FUNCTION LOAD command");
            }
            if (args.narg() < 1 || args.narg() > 2) {
                throw Scripting.scriptError("wrong number of arguments to redis.register_function");
            }
            String name;
            String description = null;
            LuaFunction callback;
            int flags = 0;
            if (args.narg() == 1) {
                if (!args.arg1().istable()) {
                    throw Scripting.scriptError("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
                }
                LuaTable t = args.arg1().checktable();
                name = null;
                callback = null;
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs n = t.next(k);
                    if ((k = n.arg1()).isnil()) {
                        break;
                    }
                    LuaValue v = n.arg(2);
                    if (!k.isstring()) {
                        throw Scripting.scriptError("named argument key given to redis.register_function is not a string");
                    }
                    String key = k.tojstring();
                    if (key.equalsIgnoreCase("function_name")) {
                        if (!v.isstring()) {
                            throw Scripting.scriptError("function_name argument given to redis.register_function must be a string");
                        }
                        name = LuaReplies.latin1(v.tostring());
                    } else if (key.equalsIgnoreCase("description")) {
                        if (!v.isstring()) {
                            throw Scripting.scriptError("description argument given to redis.register_function must be a string");
                        }
                        description = LuaReplies.latin1(v.tostring());
                    } else if (key.equalsIgnoreCase("callback")) {
                        if (!v.isfunction()) {
                            throw Scripting.scriptError("callback argument given to redis.register_function must be a function");
                        }
                        callback = (LuaFunction) v;
                    } else if (key.equalsIgnoreCase("flags")) {
                        if (!v.istable()) {
                            throw Scripting.scriptError("flags argument to redis.register_function must be a table representing function flags");
                        }
                        for (int i = 1; !v.get(i).isnil(); i++) {
                            LuaValue f = v.get(i);
                            int bit = f.isstring() ? Shebang.flagBit(f.tojstring(), true) : 0;
                            if (bit == 0) {
                                throw Scripting.scriptError("unknown flag given");
                            }
                            flags |= bit;
                        }
                    } else {
                        throw Scripting.scriptError("unknown argument given to redis.register_function");
                    }
                }
                if (name == null) {
                    throw Scripting.scriptError("redis.register_function must get a function name argument");
                }
                if (callback == null) {
                    throw Scripting.scriptError("redis.register_function must get a callback argument");
                }
            } else {
                if (!args.arg1().isstring()) {
                    throw Scripting.scriptError("first argument to redis.register_function must be a string");
                }
                if (!args.arg(2).isfunction()) {
                    throw Scripting.scriptError("second argument to redis.register_function must be a function");
                }
                name = LuaReplies.latin1(args.arg1().tostring());
                callback = (LuaFunction) args.arg(2);
            }
            if (!validName(name)) {
                throw Scripting.scriptError("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
            }
            if (lib.functions.containsKey(name)) {
                throw Scripting.scriptError("Function already exists in the library");
            }
            lib.functions.put(name, new Function(name, description, callback, flags, lib));
            return NONE;
        }
    }
}
