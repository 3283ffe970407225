package dev.quokka.persistence;

/**
 * LZF, the compression of RDB strings (liblzf's format): literal runs {@code 000LLLLL} followed by
 * L+1 bytes, and back-references {@code LLLooooo oooooooo} (L+2 bytes at distance o+1) or
 * {@code 111ooooo LLLLLLLL oooooooo} (L+9 bytes). Any reader of the format reads what
 * {@link #compress} writes; its choices of matches need not be liblzf's.
 */
final class Lzf {
    private static final int HASH_BITS = 14;
    private static final int MAX_LITERAL = 32;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private Lzf() {
    }

    /**
     * One writer's compressor: its hash table and output buffer are kept from string to string, so
     * that compressing a small string allocates only its result (a table made and zeroed per string
     * cost more than the compression, and the first save after a start paid for each fresh page of
     * heap it churned through: 3M values of 300 bytes, 21 s, against 4.5 s once warm). The table is
     * never cleared: an entry left by an earlier string is only a candidate, used when it points
     * before the current position and the bytes there match, so any match is a real one.
     */
    static final class Compressor {
        private final int[] table = new int[1 << HASH_BITS];
        private byte[] out = new byte[256];

        /**
         * Compresses {@code in} into at most {@code limit} bytes; returns the compressed bytes, or null
         * when they would not fit (Redis asks for a saving of at least four bytes).
         */
        byte[] compress(byte[] in, int limit) {
            int n = in.length;
            if (n < 3 || limit <= 0) {
                return null;
            }
            if (out.length < limit + 6) {
                out = new byte[Math.max(limit + 6, out.length * 2)]; // a step writes at most 4 bytes past a checked position
            }
            byte[] out = this.out;
            int[] table = this.table;
            int bits = HASH_BITS;
            int ip = 0;
            int op = 1; // out[0] is the header of the first literal run
            int lit = 0;
            while (ip < n) {
                int ref = -1;
                int off = 0;
                if (ip < n - 2) { // a match needs three bytes
                    int h = hash(in, ip, bits);
                    ref = table[h] - 1; // position + 1 of the last 3 bytes with this hash, in this or an earlier string
                    table[h] = ip + 1;
                    off = ip - ref - 1;
                }
                if (ref >= 0 && ref < ip && off < MAX_OFFSET && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]
                    && in[ref + 2] == in[ip + 2]) {
                    int maxLen = Math.min(n - ip, MAX_REF); // at most 264 bytes: 7 + 255 in the length fields, plus 2
                    int len = 3;
                    while (len < maxLen && in[ref + len] == in[ip + len]) {
                        len++;
                    }
                    // close the literal run (or drop its empty header), then write the back-reference
                    if (lit > 0) {
                        out[op - lit - 1] = (byte) (lit - 1);
                    } else {
                        op--;
                    }
                    int l = len - 2;
                    if (l < 7) {
                        out[op++] = (byte) ((off >> 8) + (l << 5));
                    } else {
                        out[op++] = (byte) ((off >> 8) + (7 << 5));
                        out[op++] = (byte) (l - 7);
                    }
                    out[op++] = (byte) off;
                    lit = 0;
                    op++; // the next run's header
                    int end = ip + len;
                    for (int p = ip + 1; p < end && p < n - 2; p++) {
                        table[hash(in, p, bits)] = p + 1;
                    }
                    ip = end;
                } else {
                    lit++;
                    out[op++] = in[ip++];
                    if (lit == MAX_LITERAL) {
                        out[op - lit - 1] = (byte) (lit - 1);
                        lit = 0;
                        op++;
                    }
                }
                if (op > limit + 1) {
                    return null; // the output, less at most one empty header, is already over the limit
                }
            }
            if (lit > 0) {
                out[op - lit - 1] = (byte) (lit - 1);
            } else {
                op--;
            }
            if (op > limit) {
                return null;
            }
            return java.util.Arrays.copyOf(out, op);
        }
    }

    private static int hash(byte[] b, int p, int bits) {
        int v = (b[p] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff);
        return (v * 0x9E3779B1) >>> (32 - bits);
    }

    /** Decompresses into exactly {@code length} bytes; IllegalArgumentException on bad data. */
    static byte[] decompress(byte[] in, int length) {
        byte[] out = new byte[length];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int n = ctrl + 1;
                if (op + n > length || ip + n > in.length) {
                    throw new IllegalArgumentException("bad LZF data");
                }
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
            } else {
                int len = ctrl >> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (len == 7) {
                    if (ip >= in.length) {
                        throw new IllegalArgumentException("bad LZF data");
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) {
                    throw new IllegalArgumentException("bad LZF data");
                }
                ref -= in[ip++] & 0xff;
                len += 2;
                if (ref < 0 || op + len > length) {
                    throw new IllegalArgumentException("bad LZF data");
                }
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != length) {
            throw new IllegalArgumentException("bad LZF data");
        }
        return out;
    }
}
