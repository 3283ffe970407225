package dev.quokka.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Redis's zipmap (zipmap.c), read only: small hashes in RDB files of Redis 2.6 and earlier, which a
 * 7.0 server still loads. A count byte, then per field its length, bytes, the value's length, a
 * byte of free space after the value, the value and that free space; 0xFF at the end. A length
 * is one byte below 254, else 254 and four bytes, little endian.
 */
final class Zipmap {
    private static final int BIGLEN = 254;
    private static final int END = 255;

    private Zipmap() {
    }

    /** The fields and values, alternating. */
    static List<byte[]> read(byte[] zm) {
        List<byte[]> out = new ArrayList<>();
        int p = 1;
        while (true) {
            Listpack.need(p + 1, zm.length);
            if ((zm[p] & 0xFF) == END) {
                if (p != zm.length - 1) {
                    throw new IllegalArgumentException("bytes after the zipmap's end");
                }
                break;
            }
            int[] at = {p};
            byte[] field = string(zm, at, false);
            byte[] value = string(zm, at, true);
            out.add(field);
            out.add(value);
            p = at[0];
        }
        return out;
    }

    private static byte[] string(byte[] zm, int[] at, boolean withFree) {
        int p = at[0];
        Listpack.need(p + 1, zm.length);
        long len = zm[p] & 0xFF;
        p++;
        if (len == END) {
            throw new IllegalArgumentException("zipmap ends inside an entry");
        }
        if (len == BIGLEN) {
            Listpack.need(p + 4, zm.length);
            len = Listpack.readLittle(zm, p, 4);
            p += 4;
        }
        int free = 0;
        if (withFree) {
            Listpack.need(p + 1, zm.length);
            free = zm[p] & 0xFF;
            p++;
        }
        if (len > zm.length - p - free) {
            throw new IllegalArgumentException("zipmap entry past its end");
        }
        byte[] s = Arrays.copyOfRange(zm, p, p + (int) len);
        at[0] = p + (int) len + free;
        return s;
    }
}
