package dev.quokka.command.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;

/**
 * Lua CJSON as Redis loads it: {@code cjson.encode}, {@code cjson.decode}, {@code cjson.null},
 * with its encoding choices (numbers as {@code %.14g}, {@code /} escaped, arrays for tables whose
 * keys are 1..n, {@code {}} for an empty table, excessively sparse arrays refused) and the nesting
 * limit of 1000.
 */
final class LuaCjson {
    static final LuaUserdata NULL = new LuaUserdata(new Object());

    /** The settings a script may change, kept by the interpreter as Lua CJSON keeps them. */
    private int encodeMaxDepth = 1000;
    private int decodeMaxDepth = 1000;
    private int encodeNumberPrecision = 14;
    /** encode_invalid_numbers: 0 refuses NaN and infinities, 1 writes them as C prints them, 2 as null. */
    private int encodeInvalidNumbers;

    private LuaCjson() {
    }

    /** {@code cjson.encode_max_depth(n)} and the like: sets the value when given (within bounds), returns it. */
    private VarArgFunction option(java.util.function.IntSupplier get, java.util.function.IntConsumer set, int max) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (!a.isnoneornil(1)) {
                    int v = a.checkint(1);
                    if (v < 1 || v > max) {
                        throw new LuaError("bad argument #1 to '?' (expected integer between 1 and " + max + ")");
                    }
                    set.accept(v);
                }
                return LuaValue.valueOf(get.getAsInt());
            }
        };
    }

    static ProtectedTable library() {
        return new LuaCjson().table();
    }

    private ProtectedTable table() {
        ProtectedTable t = new ProtectedTable();
        t.rawset("null", NULL);
        t.rawset("encode", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() != 1) {
                    throw new LuaError("bad argument #1 to 'encode' (expected 1 argument)");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                encode(a.arg1(), out, 0);
                return LuaString.valueUsing(out.toByteArray());
            }
        });
        t.rawset("decode", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() != 1) {
                    throw new LuaError("bad argument #1 to 'decode' (expected 1 argument)");
                }
                LuaString s = a.checkstring(1);
                Decoder d = new Decoder(s);
                LuaValue v = d.value(0);
                d.skipSpace();
                if (d.pos < s.length()) {
                    throw d.error("the end", d.token());
                }
                return v;
            }
        });
        t.rawset("encode_max_depth", option(() -> encodeMaxDepth, v -> encodeMaxDepth = v, Integer.MAX_VALUE));
        t.rawset("decode_max_depth", option(() -> decodeMaxDepth, v -> decodeMaxDepth = v, Integer.MAX_VALUE));
        t.rawset("encode_number_precision", option(() -> encodeNumberPrecision, v -> encodeNumberPrecision = v, 14));
        t.rawset("encode_invalid_numbers", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaValue v = a.arg1();
                if (v.isstring() && !v.isnumber() && v.tojstring().equals("null")) {
                    encodeInvalidNumbers = 2;
                } else if (v.isboolean()) {
                    encodeInvalidNumbers = v.toboolean() ? 1 : 0;
                } else if (!v.isnil()) {
                    throw new LuaError("bad argument #1 to 'encode_invalid_numbers' (invalid option '" + v.tojstring() + "')");
                }
                return encodeInvalidNumbers == 2 ? LuaValue.valueOf("null") : LuaValue.valueOf(encodeInvalidNumbers == 1);
            }
        });
        for (String knob : new String[] {"encode_keep_buffer", "decode_invalid_numbers", "encode_sparse_array"}) {
            t.rawset(knob, new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    return a;
                }
            });
        }
        return t;
    }

    private void encode(LuaValue v, ByteArrayOutputStream out, int depth) {
        switch (v.type()) {
            case LuaValue.TSTRING -> string((LuaString) v.checkstring(), out);
            case LuaValue.TNUMBER -> {
                double d = v.todouble();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    if (encodeInvalidNumbers == 0) {
                        throw new LuaError("Cannot serialise number: must not be NaN or Inf");
                    }
                    ascii(encodeInvalidNumbers == 2 ? "null" : Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf", out);
                    return;
                }
                ascii(encodeNumberPrecision == 14 ? LuaFormat.number(d) : dev.quokka.protocol.Numbers.formatG(d, encodeNumberPrecision), out);
            }
            case LuaValue.TBOOLEAN -> ascii(v.toboolean() ? "true" : "false", out);
            case LuaValue.TNIL -> ascii("null", out);
            case LuaValue.TUSERDATA -> {
                if (v != NULL) {
                    throw new LuaError("Cannot serialise userdata: type not supported");
                }
                ascii("null", out);
            }
            case LuaValue.TTABLE -> table((LuaTable) v, out, depth + 1);
            default -> throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
        }
    }

    private void table(LuaTable t, ByteArrayOutputStream out, int depth) {
        if (depth > encodeMaxDepth) {
            throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        }
        int max = 0;
        int items = 0;
        boolean array = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (k.type() == LuaValue.TNUMBER && k.todouble() == Math.floor(k.todouble()) && k.todouble() >= 1) {
                max = (int) Math.max(max, k.todouble());
                items++;
            } else {
                array = false;
                break;
            }
        }
        if (array && max > 0 && max > items * 2 && max > 10) {
            throw new LuaError("Cannot serialise table: excessively sparse array");
        }
        if (array && max > 0) {
            out.write('[');
            for (int i = 1; i <= max; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(t.rawget(i), out, depth);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string((LuaString) k, out);
            } else if (k.type() == LuaValue.TNUMBER) {
                out.write('"');
                ascii(LuaFormat.number(k.todouble()), out);
                out.write('"');
            } else {
                throw new LuaError("Cannot serialise " + k.typename() + ": table key must be a number or string");
            }
            out.write(':');
            encode(n.arg(2), out, depth);
        }
        out.write('}');
    }

    private static void ascii(String s, ByteArrayOutputStream out) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }

    private static void string(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            int c = s.luaByte(i);
            switch (c) {
                case '"' -> ascii("\\\"", out);
                case '\\' -> ascii("\\\\", out);
                case '/' -> ascii("\\/", out);
                case '\b' -> ascii("\\b", out);
                case '\f' -> ascii("\\f", out);
                case '\n' -> ascii("\\n", out);
                case '\r' -> ascii("\\r", out);
                case '\t' -> ascii("\\t", out);
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        ascii(String.format("\\u%04x", c), out);
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private final class Decoder {
        final LuaString s;
        int pos;

        Decoder(LuaString s) {
            this.s = s;
        }

        void skipSpace() {
            while (pos < s.length()) {
                int c = s.luaByte(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                pos++;
            }
        }

        String token() {
            if (pos >= s.length()) {
                return "'end'";
            }
            return "'" + (char) s.luaByte(pos) + "'";
        }

        LuaError error(String expected, String found) {
            return new LuaError("Expected " + expected + " but found invalid token at character " + (pos + 1));
        }

        LuaValue value(int depth) {
            if (depth >= decodeMaxDepth) {
                throw new LuaError("Found too many nested data structures (" + (depth + 1) + ") at character " + (pos + 1));
            }
            skipSpace();
            if (pos >= s.length()) {
                throw new LuaError("Expected value but found T_END at character " + (pos + 1));
            }
            int c = s.luaByte(pos);
            switch (c) {
                case '{' -> {
                    pos++;
                    LuaTable t = new LuaTable();
                    skipSpace();
                    if (pos < s.length() && s.luaByte(pos) == '}') {
                        pos++;
                        return t;
                    }
                    while (true) {
                        skipSpace();
                        if (pos >= s.length() || s.luaByte(pos) != '"') {
                            throw new LuaError("Expected object key string but found invalid token at character " + (pos + 1));
                        }
                        LuaValue key = string();
                        skipSpace();
                        if (pos >= s.length() || s.luaByte(pos) != ':') {
                            throw new LuaError("Expected colon but found invalid token at character " + (pos + 1));
                        }
                        pos++;
                        t.rawset(key, value(depth + 1));
                        skipSpace();
                        if (pos < s.length() && s.luaByte(pos) == ',') {
                            pos++;
                            continue;
                        }
                        if (pos < s.length() && s.luaByte(pos) == '}') {
                            pos++;
                            return t;
                        }
                        throw new LuaError("Expected comma or object end but found invalid token at character " + (pos + 1));
                    }
                }
                case '[' -> {
                    pos++;
                    LuaTable t = new LuaTable();
                    skipSpace();
                    if (pos < s.length() && s.luaByte(pos) == ']') {
                        pos++;
                        return t;
                    }
                    for (int i = 1; ; i++) {
                        t.rawset(i, value(depth + 1));
                        skipSpace();
                        if (pos < s.length() && s.luaByte(pos) == ',') {
                            pos++;
                            continue;
                        }
                        if (pos < s.length() && s.luaByte(pos) == ']') {
                            pos++;
                            return t;
                        }
                        throw new LuaError("Expected comma or array end but found invalid token at character " + (pos + 1));
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (match("true")) {
                        return LuaValue.TRUE;
                    }
                    if (match("false")) {
                        return LuaValue.FALSE;
                    }
                    if (match("null")) {
                        return NULL;
                    }
                    int start = pos;
                    while (pos < s.length() && "+-0123456789.eE".indexOf(s.luaByte(pos)) >= 0) {
                        pos++;
                    }
                    try {
                        return LuaValue.valueOf(Double.parseDouble(s.substring(start, pos).tojstring()));
                    } catch (NumberFormatException e) {
                        pos = start;
                        throw new LuaError("Expected value but found invalid token at character " + (pos + 1));
                    }
                }
            }
        }

        boolean match(String word) {
            if (pos + word.length() > s.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (s.luaByte(pos + i) != word.charAt(i)) {
                    return false;
                }
            }
            pos += word.length();
            return true;
        }

        LuaValue string() {
            int start = pos;
            pos++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (pos >= s.length()) {
                    pos = start;
                    throw new LuaError("Expected value but found invalid token at character " + (pos + 1));
                }
                int c = s.luaByte(pos++);
                if (c == '"') {
                    return LuaString.valueUsing(out.toByteArray());
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (pos >= s.length()) {
                    continue;
                }
                int e = s.luaByte(pos++);
                switch (e) {
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new LuaError("Expected value but found invalid unicode escape code at character " + (start + 1));
                        }
                        int cp = Integer.parseInt(s.substring(pos, pos + 4).tojstring(), 16);
                        pos += 4;
                        if (cp >= 0xd800 && cp <= 0xdbff && pos + 6 <= s.length() && s.luaByte(pos) == '\\' && s.luaByte(pos + 1) == 'u') {
                            int lo = Integer.parseInt(s.substring(pos + 2, pos + 6).tojstring(), 16);
                            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                            pos += 6;
                        }
                        byte[] utf8 = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        out.write(utf8, 0, utf8.length);
                    }
                    default -> out.write(e);
                }
            }
        }
    }
}
