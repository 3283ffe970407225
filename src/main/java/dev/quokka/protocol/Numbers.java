package dev.quokka.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Number parsing and formatting with Redis's exact rules ({@code util.c}).
 */
public final class Numbers {
    /** Returned by the parse methods for "not a valid integer". */
    public static final long INVALID = Long.MIN_VALUE;

    private static final byte[][] SMALL = new byte[10000][];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Numbers() {
    }

    /**
     * Redis's {@code string2ll}: optional '-', no '+', no leading zeros, no blanks, at most 20
     * characters, within a signed 64-bit range. Returns {@link #INVALID} otherwise; the one valid
     * input that also equals it, "-9223372036854775808", is told apart by {@link #isLong}.
     */
    public static long parseLong(byte[] b, int from, int to) {
        int len = to - from;
        if (len == 0 || len > 20) {
            return INVALID;
        }
        if (len == 1 && b[from] == '0') {
            return 0;
        }
        int p = from;
        boolean negative = false;
        if (b[p] == '-') {
            negative = true;
            p++;
            if (p == to) {
                return INVALID;
            }
        }
        if (b[p] < '1' || b[p] > '9') {
            return INVALID;
        }
        long v = 0; // accumulated as a negative number so that Long.MIN_VALUE fits
        for (; p < to; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return INVALID;
            }
            // v * 10 - d >= Long.MIN_VALUE, with v <= 0 (Java's division rounds toward zero)
            if (v < (Long.MIN_VALUE + d) / 10) {
                return INVALID;
            }
            long nv = v * 10 - d;
            v = nv;
        }
        if (negative) {
            return v;
        }
        if (v == Long.MIN_VALUE) {
            return INVALID;
        }
        return -v;
    }

    public static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    /** Whether {@code b} is a valid Redis integer (including Long.MIN_VALUE itself). */
    public static boolean isLong(byte[] b) {
        return parseLong(b) != INVALID || isMinLong(b);
    }

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    static boolean isMinLong(byte[] b) {
        return Arrays.equals(b, MIN_LONG);
    }

    /** The decimal form of {@code v}, shared for 0..9999. */
    public static byte[] toBytes(long v) {
        if (v >= 0 && v < SMALL.length) {
            return SMALL[(int) v];
        }
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the decimal digits of {@code v} into {@code dst} ending before {@code end}; returns the start. */
    public static int digitsInto(long v, byte[] dst, int end) {
        int p = end;
        boolean neg = v < 0;
        if (v == 0) {
            dst[--p] = '0';
            return p;
        }
        if (!neg) {
            v = -v;
        }
        while (v != 0) {
            dst[--p] = (byte) ('0' - (v % 10));
            v /= 10;
        }
        if (neg) {
            dst[--p] = '-';
        }
        return p;
    }

    /**
     * Redis's {@code string2ld}/{@code strtold} acceptance for INCRBYFLOAT: a decimal or
     * exponent form, or inf/infinity; no leading blank, no NaN. Returns null when invalid,
     * {@link #POSITIVE_INFINITY}/{@link #NEGATIVE_INFINITY} for infinities.
     */
    public static BigDecimal parseDecimal(byte[] b) {
        if (b.length == 0 || b.length > 5000) {
            return null;
        }
        String s = new String(b, StandardCharsets.US_ASCII);
        if (Character.isWhitespace(s.charAt(0))) {
            return null;
        }
        String t = s.toLowerCase();
        String unsigned = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return t.startsWith("-") ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (t.startsWith("0x") || t.startsWith("-0x") || t.startsWith("+0x")) {
            return null; // hex floats: strtold accepts them, but they are rare enough to refuse
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == '-' || c == '+')) {
                return null;
            }
        }
        BigDecimal v;
        try {
            v = new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
        // strtold's range: an overflow (beyond about 1.19e4932) or an underflow to zero (below the
        // smallest subnormal long double, about 3.65e-4951) is an error, as in Redis's string2ld.
        int exp10 = v.precision() - v.scale() - 1;
        if (v.signum() != 0 && (exp10 > 4932 || exp10 < -4951)) {
            return null;
        }
        return v;
    }

    /**
     * Redis's {@code getDoubleFromObject} ({@code strtod}): a decimal or exponent form, or
     * inf/infinity with an optional sign; no blank at the start, nothing after the number, no
     * NaN, no overflow, no underflow to zero. Returns NaN when invalid.
     */
    public static double parseDouble(byte[] b) {
        int len = b.length;
        if (len == 0 || len > 400) {
            return Double.NaN;
        }
        int i = b[0] == '-' || b[0] == '+' ? 1 : 0;
        if (len - i == 3 || len - i == 8) {
            String t = new String(b, i, len - i, StandardCharsets.US_ASCII);
            if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity")) {
                return b[0] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        if (len - i > 2 && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            return parseHexDouble(b);
        }
        // Only digits, '.', an exponent and its sign (Java's parser would also take "1d" or "NaN");
        // whether the mantissa has a digit, and a non-zero one, for the range checks below.
        boolean nonZeroMantissa = false;
        boolean digits = false;
        boolean exponent = false;
        for (int j = i; j < len; j++) {
            byte c = b[j];
            if (c >= '0' && c <= '9') {
                digits |= !exponent;
                nonZeroMantissa |= !exponent && c != '0';
            } else if (c == 'e' || c == 'E') {
                exponent = true;
            } else if (c != '.' && !(exponent && (c == '-' || c == '+'))) {
                return Double.NaN;
            }
        }
        if (!digits) {
            return Double.NaN;
        }
        double d;
        try {
            d = Double.parseDouble(new String(b, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
        if (Double.isInfinite(d) || (d == 0 && nonZeroMantissa)) {
            return Double.NaN; // ERANGE
        }
        return d;
    }

    private static final Pattern HEX_DOUBLE =
        Pattern.compile("[+-]?0[xX](?=[0-9a-fA-F.]*[0-9a-fA-F])[0-9a-fA-F]*\\.?[0-9a-fA-F]*([pP][+-]?[0-9]+)?");

    /** {@code strtod}'s hexadecimal form ({@code 0x10}, {@code 0x1.8p3}), which Java wants with an exponent. */
    private static double parseHexDouble(byte[] b) {
        String t = new String(b, StandardCharsets.US_ASCII);
        if (!HEX_DOUBLE.matcher(t).matches()) {
            return Double.NaN;
        }
        boolean exponent = t.indexOf('p') >= 0 || t.indexOf('P') >= 0;
        double d = Double.parseDouble(exponent ? t : t + "p0");
        return Double.isInfinite(d) ? Double.NaN : d;
    }

    /** Marker values for infinities in {@link #parseDecimal}; compared by identity. */
    public static final BigDecimal POSITIVE_INFINITY = new BigDecimal("1E+5000");
    public static final BigDecimal NEGATIVE_INFINITY = new BigDecimal("-1E+5000");

    /**
     * Redis's {@code ld2string(..., LD_STR_HUMAN)}: {@code %.17Lf} with trailing zeros (and a
     * trailing dot) removed, and "-0" printed as "0".
     */
    public static String formatHuman(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        if (s.equals("-0")) {
            s = "0";
        }
        return s;
    }

    /**
     * Redis 7.0's reply formatting of a double ({@code addReplyDouble}: C's {@code %.17g}),
     * with inf/-inf/nan spelled as Redis does. Java's own {@code %g} prints the shortest
     * representation instead of the exact binary expansion, so this rounds the exact value.
     */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d); // an integer prints as itself under %.17g
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(17, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 17) {
            String digits = bd.unscaledValue().abs().toString();
            digits = stripZeros(digits.substring(0, 1) + "." + digits.substring(1));
            String e = Integer.toString(Math.abs(exp));
            return (bd.signum() < 0 ? "-" : "") + digits + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return stripZeros(bd.setScale(Math.max(0, 16 - exp), RoundingMode.HALF_EVEN).toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
