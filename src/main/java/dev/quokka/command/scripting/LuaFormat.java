package dev.quokka.command.scripting;

import dev.quokka.protocol.Numbers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Lua 5.1's {@code string.format} and number-to-string conversion as C's printf does them (the
 * pure-Java Lua prints {@code %5.2f} of 3.14159 as {@code 3.14159} and numbers with its own
 * rules): {@code %d %i %u %c %o %x %X %e %E %f %g %G %q %s %%} with flags, width and precision,
 * doubles from their exact binary value as glibc rounds them.
 */
final class LuaFormat extends VarArgFunction {
    /** Lua 5.1's {@code LUA_NUMBER_FMT}: how {@code tostring} and concatenation print numbers. */
    static String number(double d) {
        if (d == (long) d && Math.abs(d) < 1e14) {
            return Long.toString((long) d);
        }
        return Numbers.formatG(d, 14);
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaString fmt = args.checkstring(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(fmt.length() + 16);
        int arg = 1;
        int n = fmt.length();
        for (int i = 0; i < n; i++) {
            int ch = fmt.luaByte(i);
            if (ch != '%') {
                out.write(ch);
                continue;
            }
            if (++i >= n) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (fmt.luaByte(i) == '%') {
                out.write('%');
                continue;
            }
            int start = i;
            while (i < n && "-+ #0".indexOf(fmt.luaByte(i)) >= 0) {
                i++;
            }
            if (i - start > 5) {
                throw new LuaError("invalid format (repeated flags)");
            }
            String flags = fmt.substring(start, i).tojstring();
            int width = -1;
            int digits = 0;
            while (i < n && Character.isDigit(fmt.luaByte(i))) {
                width = (width < 0 ? 0 : width * 10) + fmt.luaByte(i++) - '0';
                digits++;
            }
            int precision = -1;
            if (i < n && fmt.luaByte(i) == '.') {
                i++;
                precision = 0;
                int pd = 0;
                while (i < n && Character.isDigit(fmt.luaByte(i))) {
                    precision = precision * 10 + fmt.luaByte(i++) - '0';
                    pd++;
                }
                if (pd > 2) {
                    throw new LuaError("invalid format (width or precision too long)");
                }
            }
            if (digits > 2) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            if (i >= n) {
                throw new LuaError("invalid option '" + fmt.substring(start - 1, n).tojstring() + "' to 'format'");
            }
            char conv = (char) fmt.luaByte(i);
            arg++;
            String body;
            switch (conv) {
                case 'c' -> body = String.valueOf((char) (args.checkint(arg) & 0xff));
                case 'd', 'i' -> body = integer(args.checkdouble(arg), flags, precision, 10, false);
                case 'u' -> body = integer(args.checkdouble(arg), flags, precision, 10, true);
                case 'o' -> body = integer(args.checkdouble(arg), flags, precision, 8, true);
                case 'x' -> body = integer(args.checkdouble(arg), flags, precision, 16, true);
                case 'X' -> body = integer(args.checkdouble(arg), flags, precision, 16, true).toUpperCase();
                case 'e', 'E', 'f', 'g', 'G' -> body = floating(args.checkdouble(arg), conv, flags, precision);
                case 'q' -> {
                    quoted(args.checkstring(arg), out);
                    continue;
                }
                case 's' -> {
                    LuaString s = args.arg(arg).isstring() ? args.arg(arg).checkstring() : tostring(args.arg(arg));
                    if (precision >= 0 && precision < s.length()) {
                        s = s.substring(0, precision);
                    }
                    int padding = Math.max(0, width - s.length());
                    if (flags.indexOf('-') < 0) {
                        spaces(out, padding);
                    }
                    out.write(s.m_bytes, s.m_offset, s.m_length);
                    if (flags.indexOf('-') >= 0) {
                        spaces(out, padding);
                    }
                    continue;
                }
                default -> throw new LuaError("invalid option '%" + conv + "' to 'format'");
            }
            byte[] b = pad(body, flags, width, conv != 'c').getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            out.write(b, 0, b.length);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static LuaString tostring(LuaValue v) {
        LuaValue s = v.tostring();
        if (!s.isstring()) {
            throw new LuaError("'tostring' must return a string to 'format'");
        }
        return s.checkstring();
    }

    private static void spaces(ByteArrayOutputStream out, int n) {
        for (int k = 0; k < n; k++) {
            out.write(' ');
        }
    }

    private static String integer(double v, String flags, int precision, int radix, boolean unsigned) {
        long x = (long) v;
        String digits;
        boolean negative = false;
        if (unsigned) {
            digits = radix == 10 ? Long.toUnsignedString(x) : radix == 8 ? Long.toOctalString(x) : Long.toHexString(x);
        } else {
            negative = x < 0;
            digits = negative ? Long.toString(x).substring(1) : Long.toString(x);
        }
        if (precision >= 0) {
            if (precision == 0 && x == 0) {
                digits = "";
            }
            while (digits.length() < precision) {
                digits = "0" + digits;
            }
        }
        if (flags.indexOf('#') >= 0 && x != 0) {
            if (radix == 16) {
                digits = "0x" + digits;
            } else if (radix == 8 && !digits.startsWith("0")) {
                digits = "0" + digits;
            }
        }
        return sign(negative, flags, unsigned) + digits;
    }

    private static String sign(boolean negative, String flags, boolean unsigned) {
        if (negative) {
            return "-";
        }
        if (unsigned) {
            return "";
        }
        return flags.indexOf('+') >= 0 ? "+" : flags.indexOf(' ') >= 0 ? " " : "";
    }

    private static String floating(double d, char conv, String flags, int precision) {
        boolean upper = Character.isUpperCase(conv);
        boolean negative = d < 0 || (d == 0 && 1 / d < 0);
        String body;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            body = Double.isNaN(d) ? "nan" : "inf";
            negative = !Double.isNaN(d) && d < 0;
        } else {
            double a = Math.abs(d);
            int p = precision < 0 ? 6 : precision;
            boolean alt = flags.indexOf('#') >= 0;
            switch (Character.toLowerCase(conv)) {
                case 'f' -> body = fixed(a, p, alt);
                case 'e' -> body = exponent(a, p, alt);
                default -> {
                    int gp = p == 0 ? 1 : p;
                    int x = a == 0 ? 0 : new BigDecimal(a).round(new MathContext(gp, RoundingMode.HALF_EVEN)).precision()
                        - new BigDecimal(a).round(new MathContext(gp, RoundingMode.HALF_EVEN)).scale() - 1;
                    body = gp > x && x >= -4 ? fixed(a, gp - 1 - x, alt) : exponent(a, gp - 1, alt);
                    if (!alt) {
                        body = stripZeros(body);
                    }
                }
            }
        }
        if (upper) {
            body = body.toUpperCase();
        }
        return sign(negative, flags, false) + body;
    }

    private static String fixed(double a, int p, boolean alt) {
        String s = new BigDecimal(a).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        return alt && p == 0 ? s + "." : s;
    }

    private static String exponent(double a, int p, boolean alt) {
        if (a == 0) {
            return (p > 0 ? "0." + "0".repeat(p) : alt ? "0." : "0") + "e+00";
        }
        BigDecimal bd = new BigDecimal(a).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        String digits = bd.unscaledValue().toString();
        while (digits.length() < p + 1) {
            digits += "0";
        }
        String mantissa = digits.substring(0, 1) + (p > 0 || alt ? "." : "") + digits.substring(1, p + 1);
        String e = Integer.toString(Math.abs(exp));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    private static String stripZeros(String s) {
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        String rest = e < 0 ? "" : s.substring(e);
        if (mantissa.indexOf('.') >= 0) {
            int end = mantissa.length();
            while (mantissa.charAt(end - 1) == '0') {
                end--;
            }
            if (mantissa.charAt(end - 1) == '.') {
                end--;
            }
            mantissa = mantissa.substring(0, end);
        }
        return mantissa + rest;
    }

    private static String pad(String body, String flags, int width, boolean zeroAllowed) {
        if (body.length() >= width) {
            return body;
        }
        int padding = width - body.length();
        if (flags.indexOf('-') >= 0) {
            return body + " ".repeat(padding);
        }
        if (flags.indexOf('0') >= 0 && zeroAllowed && !body.endsWith("inf") && !body.endsWith("nan")) {
            int signLength = body.startsWith("-") || body.startsWith("+") || body.startsWith(" ") ? 1 : 0;
            if (body.startsWith("0x", signLength) || body.startsWith("0X", signLength)) {
                signLength += 2;
            }
            return body.substring(0, signLength) + "0".repeat(padding) + body.substring(signLength);
        }
        return " ".repeat(padding) + body;
    }

    /** {@code %q}: Lua 5.1's quoting (newline as a backslash-newline, \r as \r, NUL as \000). */
    private static void quoted(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int k = 0; k < s.length(); k++) {
            int c = s.luaByte(k);
            switch (c) {
                case '"', '\\' -> {
                    out.write('\\');
                    out.write(c);
                }
                case '\n' -> {
                    out.write('\\');
                    out.write('\n');
                }
                case '\r' -> {
                    out.write('\\');
                    out.write('r');
                }
                case 0 -> {
                    out.write('\\');
                    out.write('0');
                    out.write('0');
                    out.write('0');
                }
                default -> out.write(c);
            }
        }
        out.write('"');
    }
}
