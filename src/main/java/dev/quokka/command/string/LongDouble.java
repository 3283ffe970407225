package dev.quokka.command.string;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Emulation of the x86 80-bit {@code long double} that redis-server uses for INCRBYFLOAT:
 * values are rounded to a 64-bit significand (round half to even), the way {@code strtold}
 * parses and {@code fadd} adds. Working on exact {@link BigDecimal}s and rounding at the same
 * points gives the same digits Redis prints, e.g. {@code 10.6 + 5000 = 5005.60000000000000009}.
 * Subnormal values are not modelled (they are far below anything a counter holds).
 */
public final class LongDouble {
    private static final int SIGNIFICAND_BITS = 64;

    private LongDouble() {
    }

    /** The long double nearest to {@code v}. */
    public static BigDecimal round(BigDecimal v) {
        if (v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal abs = v.abs();
        int e = exponent(abs);
        int shift = SIGNIFICAND_BITS - 1 - e;
        BigDecimal scaled = shift >= 0 ? abs.multiply(new BigDecimal(BigInteger.TWO.pow(shift)))
            : abs.divide(new BigDecimal(BigInteger.TWO.pow(-shift)));
        BigInteger m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        BigDecimal r = shift >= 0 ? new BigDecimal(m).divide(new BigDecimal(BigInteger.TWO.pow(shift)))
            : new BigDecimal(m).multiply(new BigDecimal(BigInteger.TWO.pow(-shift)));
        return v.signum() < 0 ? r.negate() : r;
    }

    /** floor(log2(v)) for v > 0. */
    private static int exponent(BigDecimal v) {
        int e;
        double d = v.doubleValue();
        if (Double.isInfinite(d) || d == 0) {
            // Outside double's range: estimate from the decimal exponent and the leading digits, so
            // that the corrections below take a step or two (one at a time from -1074 down to a
            // value near 1e-4900 took minutes).
            int exp10 = v.precision() - v.scale() - 1;
            double lead = v.movePointLeft(exp10).doubleValue();
            e = (int) Math.floor((exp10 + Math.log10(lead)) * (Math.log(10) / Math.log(2)));
        } else {
            e = Math.getExponent(d);
        }
        // Correct the estimate so that 2^e <= v < 2^(e+1).
        while (pow2(e).compareTo(v) > 0) {
            e--;
        }
        while (pow2(e + 1).compareTo(v) <= 0) {
            e++;
        }
        return e;
    }

    private static BigDecimal pow2(int e) {
        return e >= 0 ? new BigDecimal(BigInteger.TWO.pow(e)) : BigDecimal.ONE.divide(new BigDecimal(BigInteger.TWO.pow(-e)));
    }
}
