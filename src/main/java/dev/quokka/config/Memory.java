package dev.quokka.config;

import java.util.Locale;

/** Redis's memory values ({@code memtoull}): {@code 1k}=1000, {@code 1kb}=1024, ... up to {@code gb}. */
public final class Memory {
    private Memory() {
    }

    /** The value in bytes, or -1 when {@code s} is not a memory value. */
    public static long parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"},
            {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        if (t.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return -1;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), mul);
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }
}
