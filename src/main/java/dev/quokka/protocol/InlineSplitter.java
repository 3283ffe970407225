package dev.quokka.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline request into arguments the way Redis's {@code sdssplitargs} does: blanks
 * separate arguments; {@code "..."} takes C escapes ({@code \n \r \t \b \a \\ \" \xHH});
 * {@code '...'} takes only {@code \'}; a closing quote must be followed by a blank or the end.
 */
public final class InlineSplitter {
    private InlineSplitter() {
    }

    /** @return the arguments, or null on unbalanced quotes */
    public static byte[][] split(byte[] b, int from, int to) {
        List<byte[]> out = new ArrayList<>(4);
        int p = from;
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        while (true) {
            while (p < to && isSpace(b[p])) {
                p++;
            }
            if (p >= to) {
                return out.toArray(new byte[0][]);
            }
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            cur.reset();
            while (!done) {
                if (inq) {
                    if (p >= to) {
                        return null;
                    }
                    byte c = b[p];
                    if (c == '\\' && p + 3 < to && b[p + 1] == 'x' && isHex(b[p + 2]) && isHex(b[p + 3])) {
                        cur.write(hex(b[p + 2]) * 16 + hex(b[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < to) {
                        p++;
                        byte e = b[p];
                        switch (e) {
                            case 'n' -> cur.write('\n');
                            case 'r' -> cur.write('\r');
                            case 't' -> cur.write('\t');
                            case 'b' -> cur.write('\b');
                            case 'a' -> cur.write(7);
                            default -> cur.write(e);
                        }
                    } else if (c == '"') {
                        if (p + 1 < to && !isSpace(b[p + 1])) {
                            return null; // closing quote must be followed by a space or nothing
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (insq) {
                    if (p >= to) {
                        return null;
                    }
                    byte c = b[p];
                    if (c == '\\' && p + 1 < to && b[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < to && !isSpace(b[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else {
                    if (p >= to) {
                        done = true;
                        continue;
                    }
                    byte c = b[p];
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> cur.write(c);
                    }
                }
                if (p < to) {
                    p++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }

    /** Redis's sdscatrepr, the quoting this splitter reads back: a double-quoted string with C escapes and \xHH for what is not printable. */
    public static void repr(StringBuilder sb, byte[] b) {
        sb.append('"');
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        sb.append((char) c);
                    } else {
                        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    }
                }
            }
        }
        sb.append('"');
    }
}
