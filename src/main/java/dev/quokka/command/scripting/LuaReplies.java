package dev.quokka.command.scripting;

import dev.quokka.protocol.RespWriter;
import io.netty.buffer.ByteBuf;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;

/**
 * Redis's conversions between RESP and Lua values (script_lua.c): a command's reply, as the
 * script's client wrote it, becomes a Lua value for {@code redis.call}; a script's return value
 * becomes the reply to EVAL or FCALL.
 */
final class LuaReplies {
    static final LuaString ERR = LuaString.valueOf("err");
    static final LuaString OK = LuaString.valueOf("ok");
    static final LuaString DOUBLE = LuaString.valueOf("double");
    static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
    static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
    static final LuaString FORMAT = LuaString.valueOf("format");
    static final LuaString STRING = LuaString.valueOf("string");
    static final LuaString MAP = LuaString.valueOf("map");
    static final LuaString SET = LuaString.valueOf("set");
    /** Marks an error table whose error was already counted in INFO errorstats (by the command that replied it). */
    static final LuaString COUNTED = LuaString.valueOf("ignore_error_stats_update");

    private LuaReplies() {
    }

    /** Reads one reply from {@code in} (RESP2 or RESP3, written by the server itself) as Redis's {@code redisProtocolToLuaType}. */
    static LuaValue toLua(ByteBuf in) {
        byte type = in.readByte();
        switch (type) {
            case '+' -> {
                LuaTable t = new LuaTable();
                t.rawset(OK, line(in));
                return t;
            }
            case '-' -> {
                return errorTable("-" + latin1(line(in)), true);
            }
            case ':' -> {
                return LuaValue.valueOf((double) Long.parseLong(line(in).tojstring()));
            }
            case '$' -> {
                int n = (int) Long.parseLong(line(in).tojstring());
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                byte[] b = new byte[n];
                in.readBytes(b);
                in.skipBytes(2);
                return LuaString.valueUsing(b);
            }
            case '*', '~', '%', '>' -> {
                int n = (int) Long.parseLong(line(in).tojstring());
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                LuaTable t = new LuaTable();
                if (type == '*' || type == '>') {
                    for (int i = 1; i <= n; i++) {
                        t.rawset(i, toLua(in));
                    }
                    return t;
                }
                LuaTable inner = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = toLua(in);
                    inner.rawset(k, type == '%' ? toLua(in) : LuaValue.TRUE);
                }
                t.rawset(type == '%' ? MAP : SET, inner);
                return t;
            }
            case '_' -> {
                in.skipBytes(2);
                return LuaValue.NIL;
            }
            case '#' -> {
                boolean b = in.readByte() == 't';
                in.skipBytes(2);
                return LuaValue.valueOf(b);
            }
            case ',' -> {
                LuaTable t = new LuaTable();
                t.rawset(DOUBLE, LuaValue.valueOf(parseDouble(line(in).tojstring())));
                return t;
            }
            case '(' -> {
                LuaTable t = new LuaTable();
                t.rawset(BIG_NUMBER, line(in));
                return t;
            }
            case '=' -> {
                int n = (int) Long.parseLong(line(in).tojstring());
                byte[] b = new byte[n];
                in.readBytes(b);
                in.skipBytes(2);
                LuaTable v = new LuaTable();
                v.rawset(STRING, LuaString.valueUsing(b, 4, n - 4));
                v.rawset(FORMAT, LuaString.valueUsing(b, 0, 3));
                LuaTable t = new LuaTable();
                t.rawset(VERBATIM, v);
                return t;
            }
            case '|' -> {
                int n = (int) Long.parseLong(line(in).tojstring());
                for (int i = 0; i < 2 * n; i++) {
                    toLua(in);
                }
                return toLua(in);
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static LuaString line(ByteBuf in) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
        byte[] b = new byte[end - in.readerIndex()];
        in.readBytes(b);
        in.skipBytes(2);
        return LuaString.valueUsing(b);
    }

    /**
     * Redis's {@code luaPushErrorBuff}: {@code -CODE msg} keeps its code, a text without one gets
     * {@code ERR}; trailing CR/LF are trimmed. {@code counted}: the error was already counted.
     */
    static LuaTable errorTable(String text, boolean counted) {
        String code;
        String msg;
        if (text.startsWith("-")) {
            int space = text.indexOf(' ');
            if (space < 0) {
                code = "ERR";
                msg = text.substring(1);
            } else {
                code = text.substring(1, space);
                msg = text.substring(space + 1);
            }
        } else {
            code = "ERR";
            msg = text;
        }
        int end = msg.length();
        while (end > 0 && (msg.charAt(end - 1) == '\r' || msg.charAt(end - 1) == '\n')) {
            end--;
        }
        int start = 0;
        while (start < end && (msg.charAt(start) == '\r' || msg.charAt(start) == '\n')) {
            start++;
        }
        LuaTable t = new LuaTable();
        t.rawset(ERR, LuaString.valueUsing((code + " " + msg.substring(start, end)).getBytes(StandardCharsets.ISO_8859_1)));
        if (counted) {
            t.rawset(COUNTED, LuaValue.TRUE);
        }
        return t;
    }

    /**
     * Writes a script's return value as Redis's {@code luaReplyToRedisReply}: strings as bulk
     * strings, numbers truncated to integers, booleans (true as 1, false as null in RESP2),
     * {@code {err=}} and {@code {ok=}} tables, RESP3's double, big number, verbatim, map and set
     * tables, arrays up to their first nil; anything else is a null. {@code scriptResp}: the
     * protocol the script chose with {@code redis.setresp}.
     */
    static void write(LuaValue v, RespWriter out, int scriptResp, int depth) {
        if (depth > 1000) {
            out.error("ERR reached lua stack limit");
            return;
        }
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                out.bulk(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
            }
            case LuaValue.TBOOLEAN -> {
                if (scriptResp == 2) {
                    if (v.toboolean()) {
                        out.integer(1);
                    } else {
                        out.nullBulk();
                    }
                } else {
                    out.bool(v.toboolean());
                }
            }
            case LuaValue.TNUMBER -> out.integer(toLong(v.todouble()));
            case LuaValue.TTABLE -> writeTable((LuaTable) v, out, scriptResp, depth);
            default -> out.nullBulk();
        }
    }

    /** C's {@code (long long)} cast of a double, as x86-64 does it (out of range and NaN: the minimum). */
    static long toLong(double d) {
        if (Double.isNaN(d) || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    private static void writeTable(LuaTable t, RespWriter out, int scriptResp, int depth) {
        LuaValue err = t.rawget(ERR);
        if (err.isstring() && err.type() == LuaValue.TSTRING) {
            if (t.rawget(COUNTED).toboolean()) {
                out.errorUncounted(latin1(err)); // a command's error, counted when the command failed
            } else {
                out.error(latin1(err));
            }
            return;
        }
        LuaValue ok = t.rawget(OK);
        if (ok.type() == LuaValue.TSTRING) {
            out.simple(latin1(ok).replace('\r', ' ').replace('\n', ' '));
            return;
        }
        LuaValue dbl = t.rawget(DOUBLE);
        if (dbl.type() == LuaValue.TNUMBER) {
            out.dbl(dbl.todouble());
            return;
        }
        LuaValue big = t.rawget(BIG_NUMBER);
        if (big.type() == LuaValue.TSTRING) {
            out.bigNumber(latin1(big).replace('\r', ' ').replace('\n', ' '));
            return;
        }
        LuaValue verbatim = t.rawget(VERBATIM);
        if (verbatim.type() == LuaValue.TTABLE) {
            LuaValue format = verbatim.rawget(FORMAT);
            LuaValue text = verbatim.rawget(STRING);
            if (format.type() == LuaValue.TSTRING && text.type() == LuaValue.TSTRING) {
                out.verbatim(latin1(format), text.checkstring().m_bytes, text.checkstring().m_offset, text.checkstring().m_length);
                return;
            }
        }
        LuaValue map = t.rawget(MAP);
        if (map.type() == LuaValue.TTABLE) {
            LuaTable m = (LuaTable) map;
            out.map(count(m));
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = m.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                write(k, out, scriptResp, depth + 1);
                write(n.arg(2), out, scriptResp, depth + 1);
            }
            return;
        }
        LuaValue set = t.rawget(SET);
        if (set.type() == LuaValue.TTABLE) {
            LuaTable m = (LuaTable) set;
            out.set(count(m));
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = m.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                write(k, out, scriptResp, depth + 1);
            }
            return;
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) {
            n++;
        }
        out.array(n);
        for (int i = 1; i <= n; i++) {
            write(t.rawget(i), out, scriptResp, depth + 1);
        }
    }

    private static int count(LuaTable t) {
        int n = 0;
        LuaValue k = LuaValue.NIL;
        while (!(k = t.next(k).arg1()).isnil()) {
            n++;
        }
        return n;
    }

    /** A Lua string's bytes as a String of one char per byte (error and status texts are written back byte for byte). */
    static String latin1(LuaValue v) {
        LuaString s = v.checkstring();
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }
}
