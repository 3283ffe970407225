package dev.quokka.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
            return strtod(b, 0).end() == b.length ? hexDecimal(t) : null;
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
     * The exact value of a hexadecimal float ({@code 0x1.8p3}, already checked by {@link #strtod}),
     * null outside long double's range (overflow, or underflow to zero), as strtold.
     */
    private static BigDecimal hexDecimal(String t) {
        boolean negative = t.startsWith("-");
        String body = t.substring(t.indexOf('x') + 1);
        int p = body.indexOf('p');
        long exp2 = 0;
        if (p >= 0) {
            String e = body.substring(p + 1).replace("+", "");
            String digits = e.replace("-", "").replaceFirst("^0+(?=.)", "");
            if (digits.length() > 6) {
                boolean zero = body.substring(0, p).replace("0", "").replace(".", "").isEmpty();
                return zero ? BigDecimal.ZERO : null; // beyond any long double exponent
            }
            exp2 = Long.parseLong(e);
        }
        String mantissa = p < 0 ? body : body.substring(0, p);
        int dot = mantissa.indexOf('.');
        if (dot >= 0) {
            exp2 -= 4L * (mantissa.length() - dot - 1);
            mantissa = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        }
        java.math.BigInteger m = new java.math.BigInteger(mantissa.isEmpty() ? "0" : mantissa, 16);
        if (m.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long top = m.bitLength() + exp2; // the value is below 2^top
        if (top > 16384 || top < -16444) {
            return null;
        }
        BigDecimal v = exp2 >= 0 ? new BigDecimal(m.shiftLeft((int) exp2))
            : new BigDecimal(m.multiply(java.math.BigInteger.valueOf(5).pow((int) -exp2))).scaleByPowerOfTen((int) exp2);
        return negative ? v.negate() : v;
    }

    /**
     * Redis's {@code getDoubleFromObject} ({@code string2d}, C's strtod): a decimal, exponent or
     * hexadecimal form, or inf/infinity with an optional sign; no blank at the start, nothing
     * after the number, no NaN, no overflow, no underflow to zero. Returns NaN when invalid.
     */
    public static double parseDouble(byte[] b) {
        if (b.length == 0 || isSpace(b[0])) {
            return Double.NaN;
        }
        Strtod r = strtod(b, 0);
        if (r.end() != b.length || (r.outOfRange() && (Double.isInfinite(r.value()) || r.value() == 0))) {
            return Double.NaN;
        }
        return r.value();
    }

    /**
     * What C's {@code strtod} reads at {@code from}: the value of the longest prefix that is a
     * number (blanks before it skipped), where it ends ({@code from} when nothing is a number, with
     * value 0), and whether it was out of range (ERANGE: overflow to infinity or a non-zero
     * number rounded to zero or to a subnormal). Overflow gives the infinity strtod gives,
     * underflow zero.
     */
    public record Strtod(double value, int end, boolean outOfRange) {
    }

    /**
     * The longest number {@link #strtod} converts (Redis's MAX_LONG_DOUBLE_CHARS); a longer one
     * reads as NaN, which every caller refuses, so a huge argument is scanned once and never
     * copied into a String and Java's parser on the event loop.
     */
    private static final int MAX_NUMBER_CHARS = 5 * 1024;

    public static Strtod strtod(byte[] b, int from) {
        int n = b.length;
        int i = from;
        while (i < n && isSpace(b[i])) {
            i++;
        }
        int start = i;
        boolean negative = i < n && b[i] == '-';
        if (i < n && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        if (matchesWord(b, i, "inf")) {
            int end = matchesWord(b, i, "infinity") ? i + 8 : i + 3;
            return new Strtod(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, end, false);
        }
        if (matchesWord(b, i, "nan")) {
            int end = i + 3;
            if (end < n && b[end] == '(') {
                int j = end + 1;
                while (j < n && (Character.isLetterOrDigit(b[j]) || b[j] == '_') && b[j] > 0) {
                    j++;
                }
                if (j < n && b[j] == ')') {
                    end = j + 1;
                }
            }
            return new Strtod(Double.NaN, end, false);
        }
        if (i + 1 < n && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            int j = i + 2;
            int digits = 0;
            while (j < n && Character.digit(b[j], 16) >= 0) {
                j++;
                digits++;
            }
            if (j < n && b[j] == '.') {
                j++;
                while (j < n && Character.digit(b[j], 16) >= 0) {
                    j++;
                    digits++;
                }
            }
            if (digits > 0) {
                int end = exponentEnd(b, j, 'p');
                boolean exponent = end > j;
                j = end;
                if (j - start > MAX_NUMBER_CHARS) {
                    return new Strtod(Double.NaN, j, false);
                }
                String text = new String(b, start, j - start, StandardCharsets.ISO_8859_1);
                return finish(Double.parseDouble(exponent ? text : text + "p0"), j, nonZeroHex(b, i + 2, j));
            }
            // "0x" without a hex digit: strtod reads the 0 and stops at the x.
            return new Strtod(negative ? -0.0 : 0.0, i + 1, false);
        }
        int j = i;
        int digits = 0;
        boolean nonZero = false;
        while (j < n && b[j] >= '0' && b[j] <= '9') {
            nonZero |= b[j] != '0';
            j++;
            digits++;
        }
        if (j < n && b[j] == '.') {
            j++;
            while (j < n && b[j] >= '0' && b[j] <= '9') {
                nonZero |= b[j] != '0';
                j++;
                digits++;
            }
        }
        if (digits == 0) {
            return new Strtod(0, from, false);
        }
        j = exponentEnd(b, j, 'e');
        if (j - start > MAX_NUMBER_CHARS) {
            return new Strtod(Double.NaN, j, false);
        }
        return finish(Double.parseDouble(new String(b, start, j - start, StandardCharsets.ISO_8859_1)), j, nonZero);
    }

    /**
     * Where an exponent at {@code j} ({@code marker} in either case, an optional sign, decimal
     * digits) ends; {@code j} itself when there is none (strtod then stops before the marker).
     */
    private static int exponentEnd(byte[] b, int j, char marker) {
        int n = b.length;
        if (j >= n || (b[j] | 0x20) != marker) {
            return j;
        }
        int k = j + 1;
        if (k < n && (b[k] == '+' || b[k] == '-')) {
            k++;
        }
        if (k >= n || b[k] < '0' || b[k] > '9') {
            return j;
        }
        while (k < n && b[k] >= '0' && b[k] <= '9') {
            k++;
        }
        return k;
    }

    private static Strtod finish(double d, int end, boolean nonZeroMantissa) {
        // glibc sets ERANGE on overflow, on underflow to zero and on a subnormal result.
        return new Strtod(d, end, Double.isInfinite(d) || (d == 0 && nonZeroMantissa)
            || (d != 0 && Math.abs(d) < Double.MIN_NORMAL));
    }

    private static boolean nonZeroHex(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 'p' || b[i] == 'P') {
                return false;
            }
            if (b[i] != '0' && b[i] != '.') {
                return true;
            }
        }
        return false;
    }

    /**
     * C's {@code printf("%f")}: the double's exact binary value rounded to six decimals (Java's
     * %f rounds to 17 significant digits first: -9223372036854775808 would print ...776000),
     * {@code inf}, {@code -inf}, {@code nan}.
     */
    public static String printfF(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
        return d == 0 && 1 / d < 0 ? "-" + s : s;
    }

    /** C's isspace in the "C" locale. */
    public static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean matchesWord(byte[] b, int at, String word) {
        if (at + word.length() > b.length) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) (b[at + k] & 0xff)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
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
        return formatG(d, 17);
    }

    /**
     * C's {@code %.<precision>g} of the double's exact binary value (Lua 5.1 prints numbers with
     * {@code %.14g}), with inf/-inf/nan spelled as glibc does.
     */
    public static String formatG(double d, int precision) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < INTEGRAL_LIMITS[Math.min(precision, 15)]) {
            return Long.toString((long) d); // an integer of fewer digits than the precision prints as itself
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= precision) {
            String digits = bd.unscaledValue().abs().toString();
            digits = stripZeros(digits.substring(0, 1) + "." + digits.substring(1));
            String e = Integer.toString(Math.abs(exp));
            return (bd.signum() < 0 ? "-" : "") + digits + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return stripZeros(bd.setScale(Math.max(0, precision - 1 - exp), RoundingMode.HALF_EVEN).toPlainString());
    }

    private static final double[] INTEGRAL_LIMITS = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15};

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
