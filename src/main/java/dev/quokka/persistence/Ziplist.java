package dev.quokka.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's ziplist (ziplist.c), read only: the encoding of lists, hashes and sorted sets in RDB
 * files and DUMP payloads written before 7.0, which a 7.0 server still loads. A 10-byte header
 * (total bytes, tail offset, count), entries of previous-entry length, encoding and data, and a
 * 0xFF end.
 */
final class Ziplist {
    private Ziplist() {
    }

    static List<byte[]> read(byte[] zl) {
        if (zl.length < 11 || Listpack.readLittle(zl, 0, 4) != zl.length || (zl[zl.length - 1] & 0xFF) != 0xFF) {
            throw new IllegalArgumentException("ziplist header or end");
        }
        int declared = (int) Listpack.readLittle(zl, 8, 2);
        int end = zl.length - 1;
        int p = 10;
        List<byte[]> out = new ArrayList<>();
        while (p < end) {
            int prev = zl[p] & 0xFF;
            p += prev == 0xFE ? 5 : 1;
            Listpack.need(p + 1, end);
            int b = zl[p] & 0xFF;
            byte[] value;
            switch (b >> 6) {
                case 0 -> {
                    int len = b & 0x3F;
                    value = Listpack.slice(zl, p + 1, len, end);
                    p += 1 + len;
                }
                case 1 -> {
                    Listpack.need(p + 2, end);
                    int len = ((b & 0x3F) << 8) | (zl[p + 1] & 0xFF);
                    value = Listpack.slice(zl, p + 2, len, end);
                    p += 2 + len;
                }
                case 2 -> {
                    Listpack.need(p + 5, end);
                    long len = (zl[p + 1] & 0xFFL) << 24 | (zl[p + 2] & 0xFFL) << 16 | (zl[p + 3] & 0xFFL) << 8
                        | (zl[p + 4] & 0xFFL);
                    if (len > end) {
                        throw new IllegalArgumentException("ziplist string length");
                    }
                    value = Listpack.slice(zl, p + 5, (int) len, end);
                    p += 5 + (int) len;
                }
                default -> {
                    int bytes;
                    switch (b) {
                        case 0xC0 -> bytes = 2;
                        case 0xD0 -> bytes = 4;
                        case 0xE0 -> bytes = 8;
                        case 0xF0 -> bytes = 3;
                        case 0xFE -> bytes = 1;
                        default -> {
                            if (b >= 0xF1 && b <= 0xFD) {
                                value = Listpack.number((b & 0x0F) - 1);
                                p += 1;
                                out.add(value);
                                continue;
                            }
                            throw new IllegalArgumentException("ziplist entry encoding " + b);
                        }
                    }
                    Listpack.need(p + 1 + bytes, end);
                    long v = Listpack.readLittle(zl, p + 1, bytes);
                    int shift = 64 - 8 * bytes;
                    value = Listpack.number((v << shift) >> shift);
                    p += 1 + bytes;
                }
            }
            out.add(value);
        }
        if (declared != 65535 && declared != out.size()) {
            throw new IllegalArgumentException("ziplist count");
        }
        return out;
    }
}
