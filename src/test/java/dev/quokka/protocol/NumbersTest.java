package dev.quokka.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumbersTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void string2llRules() {
        assertEquals(0, Numbers.parseLong(b("0")));
        assertEquals(-5, Numbers.parseLong(b("-5")));
        assertEquals(Long.MAX_VALUE, Numbers.parseLong(b("9223372036854775807")));
        assertTrue(Numbers.isLong(b("-9223372036854775808")));
        for (String bad : new String[] {"", "-", "+1", "01", "-0", " 1", "1 ", "1a", "9223372036854775808",
            "-9223372036854775809", "123456789012345678901"}) {
            assertFalse(Numbers.isLong(b(bad)), bad);
        }
    }

    @Test
    void humanFloatFormatting() {
        assertEquals("10.6", Numbers.formatHuman(Numbers.parseDecimal(b("10.5")).add(Numbers.parseDecimal(b("0.1")))));
        assertEquals("0", Numbers.formatHuman(Numbers.parseDecimal(b("-0.0"))));
        assertEquals("5000", Numbers.formatHuman(Numbers.parseDecimal(b("5.0e3"))));
    }

    @Test
    void doubleReplyFormatting() {
        assertEquals("inf", Numbers.formatDouble(Double.POSITIVE_INFINITY));
        assertEquals("1.5", Numbers.formatDouble(1.5));
        assertEquals("3", Numbers.formatDouble(3.0));
        assertEquals("0.10000000000000001", Numbers.formatDouble(0.1));
        // expected values printed by C's printf("%.17g") on this machine
        assertEquals("1.0000000000000001e+300", Numbers.formatDouble(1e300));
        assertEquals("1.0000000000000001e-05", Numbers.formatDouble(1e-5));
        assertEquals("-2.5", Numbers.formatDouble(-2.5));
        assertEquals("1.2345678901234568e+17", Numbers.formatDouble(123456789012345678.0));
    }

    @Test
    void strtodReadsWhatCReads() {
        // value, end: glibc's strtod on these inputs
        assertEquals(16.0, Numbers.strtod(b("0x10"), 0).value());
        assertEquals(4, Numbers.strtod(b("0x10"), 0).end());
        assertEquals(1, Numbers.strtod(b("0x"), 0).end()); // reads the 0, stops at x
        assertEquals(0, Numbers.strtod(b(""), 0).end());
        assertEquals(0, Numbers.strtod(b(" "), 0).end()); // nothing converted: end is the start
        assertEquals(2, Numbers.strtod(b(" 1"), 0).end());
        assertEquals(3, Numbers.strtod(b("1e5x"), 0).end());
        assertEquals(2, Numbers.strtod(b("1.e"), 0).end());
        assertEquals(9, Numbers.strtod(b("-Infinity"), 1).end());
        assertTrue(Double.isNaN(Numbers.strtod(b("nan(abc)"), 0).value()));
        assertEquals(8, Numbers.strtod(b("nan(abc)"), 0).end());
        assertEquals(12.0, Numbers.strtod(b("0x1.8p3"), 0).value());
        assertTrue(Numbers.strtod(b("1e400"), 0).outOfRange());
        assertTrue(Numbers.strtod(b("1e-400"), 0).outOfRange());
        assertFalse(Numbers.strtod(b("0e-400"), 0).outOfRange());
        assertEquals(1, Numbers.strtod(new byte[] {'1', 0, '2'}, 0).end()); // a C string ends at NUL
    }

    @Test
    void string2dAndString2ldTakeHexadecimal() {
        assertEquals(16.0, Numbers.parseDouble(b("0x10")));
        assertEquals(-0.5, Numbers.parseDouble(b("-0x.8")));
        assertTrue(Double.isNaN(Numbers.parseDouble(b("0x"))));
        assertTrue(Double.isNaN(Numbers.parseDouble(b(" 1"))));
        assertTrue(Double.isNaN(Numbers.parseDouble(b("1e400"))));
        assertEquals(Double.POSITIVE_INFINITY, Numbers.parseDouble(b("inf")));
        assertEquals("16", Numbers.parseDecimal(b("0x10")).toPlainString());
        assertEquals("0.25", Numbers.parseDecimal(b("0X1P-2")).toPlainString());
        assertEquals(null, Numbers.parseDecimal(b("0x1p99999")));
        assertEquals(null, Numbers.parseDecimal(b("0x1p"))); // strtold stops before the p
    }

    @Test
    void printfFixedIsTheExactBinaryValue() {
        assertEquals("-9223372036854775808.000000", Numbers.printfF(-9223372036854775809.0));
        assertEquals("180.000000", Numbers.printfF(180));
        assertEquals("0.100000", Numbers.printfF(0.1));
        assertEquals("1000000000000000019884624838656.000000", Numbers.printfF(1e30));
        assertEquals("-inf", Numbers.printfF(Double.NEGATIVE_INFINITY));
    }
}
