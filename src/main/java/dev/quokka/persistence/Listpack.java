package dev.quokka.persistence;

import dev.quokka.protocol.Numbers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's listpack (listpack.c) as RDB and DUMP carry it: a 4-byte total length and 2-byte count
 * (little endian), entries each with their encoding, data and back-length, and a 0xFF end. A
 * string that is a canonical 64-bit integer is stored as an integer, as Redis stores it. Written
 * here the way Redis writes it, so redis-server loads it; read with every check a corrupt payload
 * needs (lengths inside the blob, the count and the end byte).
 */
public final class Listpack {
    private Listpack() {
    }

    /** A listpack of these elements. */
    public static byte[] write(List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[6], 0, 6);
        for (byte[] e : elements) {
            entry(out, e);
        }
        out.write(0xFF);
        byte[] b = out.toByteArray();
        int total = b.length;
        b[0] = (byte) total;
        b[1] = (byte) (total >>> 8);
        b[2] = (byte) (total >>> 16);
        b[3] = (byte) (total >>> 24);
        int n = Math.min(elements.size(), 65535);
        b[4] = (byte) n;
        b[5] = (byte) (n >>> 8);
        return b;
    }

    private static void entry(ByteArrayOutputStream out, byte[] e) {
        int start = out.size();
        if (e.length > 0 && e.length <= 20 && Numbers.isLong(e)) {
            long v = Numbers.parseLong(e);
            if (v >= 0 && v <= 127) {
                out.write((int) v);
            } else if (v >= -4096 && v <= 4095) {
                out.write(0xC0 | (int) ((v >> 8) & 0x1F));
                out.write((int) v & 0xFF);
            } else if (v >= -32768 && v <= 32767) {
                out.write(0xF1);
                little(out, v, 2);
            } else if (v >= -8388608 && v <= 8388607) {
                out.write(0xF2);
                little(out, v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write(0xF3);
                little(out, v, 4);
            } else {
                out.write(0xF4);
                little(out, v, 8);
            }
        } else if (e.length < 64) {
            out.write(0x80 | e.length);
            out.write(e, 0, e.length);
        } else if (e.length < 4096) {
            out.write(0xE0 | (e.length >> 8));
            out.write(e.length & 0xFF);
            out.write(e, 0, e.length);
        } else {
            out.write(0xF0);
            little(out, e.length, 4);
            out.write(e, 0, e.length);
        }
        backlen(out, out.size() - start);
    }

    /** {@code v}'s low {@code bytes} bytes, little endian (RDB's fixed-width fields are too). */
    static void little(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    /** lpEncodeBacklen: the entry's length in 7-bit groups, most significant first, read from the right. */
    private static void backlen(ByteArrayOutputStream out, long l) {
        if (l <= 127) {
            out.write((int) l);
        } else if (l < 16383) {
            out.write((int) (l >> 7));
            out.write((int) (l & 127) | 128);
        } else if (l < 2097151) {
            out.write((int) (l >> 14));
            out.write((int) ((l >> 7) & 127) | 128);
            out.write((int) (l & 127) | 128);
        } else if (l < 268435455) {
            out.write((int) (l >> 21));
            out.write((int) ((l >> 14) & 127) | 128);
            out.write((int) ((l >> 7) & 127) | 128);
            out.write((int) (l & 127) | 128);
        } else {
            out.write((int) (l >> 28));
            out.write((int) ((l >> 21) & 127) | 128);
            out.write((int) ((l >> 14) & 127) | 128);
            out.write((int) ((l >> 7) & 127) | 128);
            out.write((int) (l & 127) | 128);
        }
    }

    private static int backlenSize(long l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }

    /** The elements of a listpack; integers come back in decimal. IllegalArgumentException when malformed. */
    public static List<byte[]> read(byte[] lp) {
        if (lp.length < 7) {
            throw new IllegalArgumentException("listpack too short");
        }
        long total = (lp[0] & 0xFFL) | (lp[1] & 0xFFL) << 8 | (lp[2] & 0xFFL) << 16 | (lp[3] & 0xFFL) << 24;
        if (total != lp.length || (lp[lp.length - 1] & 0xFF) != 0xFF) {
            throw new IllegalArgumentException("listpack header or end");
        }
        int declared = (lp[4] & 0xFF) | (lp[5] & 0xFF) << 8;
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        int end = lp.length - 1;
        while (p < end) {
            int start = p;
            int b = lp[p] & 0xFF;
            byte[] value;
            if ((b & 0x80) == 0) {
                value = number(b);
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int len = b & 0x3F;
                value = slice(lp, p + 1, len, end);
                p += 1 + len;
            } else if ((b & 0xE0) == 0xC0) {
                need(p + 2, end);
                int v = ((b & 0x1F) << 8) | (lp[p + 1] & 0xFF);
                value = number(v >= 1 << 12 ? v - (1 << 13) : v);
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(p + 2, end);
                int len = ((b & 0x0F) << 8) | (lp[p + 1] & 0xFF);
                value = slice(lp, p + 2, len, end);
                p += 2 + len;
            } else if (b == 0xF0) {
                need(p + 5, end);
                long len = readLittle(lp, p + 1, 4);
                if (len > end) {
                    throw new IllegalArgumentException("listpack string length");
                }
                value = slice(lp, p + 5, (int) len, end);
                p += 5 + (int) len;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int bytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                need(p + 1 + bytes, end);
                long v = readLittle(lp, p + 1, bytes);
                int shift = 64 - 8 * bytes;
                value = number((v << shift) >> shift);
                p += 1 + bytes;
            } else {
                throw new IllegalArgumentException("listpack entry encoding " + b);
            }
            int entryLen = p - start;
            p += backlenSize(entryLen);
            if (p > end) {
                throw new IllegalArgumentException("listpack entry past the end");
            }
            out.add(value);
        }
        if (declared != 65535 && declared != out.size()) {
            throw new IllegalArgumentException("listpack count");
        }
        return out;
    }

    /** Shared with {@link Ziplist}: an entry must end before the blob's end byte. */
    static void need(int upTo, int end) {
        if (upTo > end) {
            throw new IllegalArgumentException("entry past the end");
        }
    }

    static byte[] slice(byte[] lp, int from, int len, int end) {
        need(from + len, end);
        byte[] v = new byte[len];
        System.arraycopy(lp, from, v, 0, len);
        return v;
    }

    static long readLittle(byte[] b, int from, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (b[from + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    static byte[] number(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
