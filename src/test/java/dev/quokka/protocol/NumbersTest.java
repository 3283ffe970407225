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
}
