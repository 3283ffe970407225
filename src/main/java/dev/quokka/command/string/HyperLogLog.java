package dev.quokka.command.string;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Redis's HyperLogLog, byte for byte ({@code hyperloglog.c} is the specification): a string
 * value with a 16-byte header ({@code HYLL}, encoding, three unused bytes, the cached cardinality
 * little-endian with bit 63 marking it stale) followed by 16384 six-bit registers, either dense
 * (12288 bytes, registers packed from the least significant bit) or sparse (ZERO, XZERO and VAL
 * run-length opcodes, edited in place as Redis edits them, so that the same insertions give the
 * same bytes). Elements are hashed with MurmurHash64A (seed {@code 0xadc83b19}); cardinality is
 * Ertl's improved estimator, as Redis 7.0 computes it.
 *
 * <p>An instance edits one value copy-on-write: it copies the array only when a register really
 * changes, so adding elements already counted costs no copy.
 */
final class HyperLogLog {
    static final int HDR_SIZE = 16;
    static final int P = 14;
    static final int Q = 64 - P;
    static final int REGISTERS = 1 << P;
    private static final int P_MASK = REGISTERS - 1;
    private static final int BITS = 6;
    private static final int REGISTER_MAX = (1 << BITS) - 1;
    static final int DENSE_SIZE = HDR_SIZE + (REGISTERS * BITS + 7) / 8;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    private static final int SPARSE_VAL_MAX_VALUE = 32;
    private static final int SPARSE_VAL_MAX_LEN = 4;
    private static final int SPARSE_ZERO_MAX_LEN = 64;
    private static final int SPARSE_XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;

    /** The value being edited: {@code b[0..len)}; {@code owned} once it is this instance's own copy. */
    byte[] b;
    int len;
    private boolean owned;

    HyperLogLog(byte[] value) {
        this(value, false);
    }

    /** Edits {@code value} in place when {@code own} (the key's own array: Keyspace.editableInPlace). */
    HyperLogLog(byte[] value, boolean own) {
        this.b = value;
        this.len = value.length;
        this.owned = own;
    }

    /** A new, empty HLL: sparse, one XZERO opcode covering every register. */
    static byte[] create() {
        int sparseLen = HDR_SIZE + ((REGISTERS + (SPARSE_XZERO_MAX_LEN - 1)) / SPARSE_XZERO_MAX_LEN) * 2;
        byte[] s = new byte[sparseLen];
        s[0] = 'H';
        s[1] = 'Y';
        s[2] = 'L';
        s[3] = 'L';
        s[4] = SPARSE;
        int p = HDR_SIZE;
        int aux = REGISTERS;
        while (aux > 0) {
            int xzero = Math.min(SPARSE_XZERO_MAX_LEN, aux);
            xzeroSet(s, p, xzero);
            p += 2;
            aux -= xzero;
        }
        return s;
    }

    /** Redis's isHLLObjectOrReply check (the string type is the caller's): magic, encoding, dense length. */
    static boolean isValid(byte[] v) {
        if (v.length < HDR_SIZE || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') {
            return false;
        }
        int encoding = v[4] & 0xff;
        return encoding <= SPARSE && (encoding != DENSE || v.length == DENSE_SIZE);
    }

    int encoding() {
        return b[4] & 0xff;
    }

    /** The edited value, trimmed to its length. */
    byte[] value() {
        return b.length == len ? b : Arrays.copyOf(b, len);
    }

    boolean changed() {
        return owned;
    }

    /** Makes {@code b} this instance's own copy with room for {@code extra} more bytes. */
    private void writable(int extra) {
        if (!owned || b.length < len + extra) {
            b = Arrays.copyOf(b, Math.max(len + extra, owned ? len * 2 : len + Math.max(extra, 64)));
            owned = true;
        }
    }

    // ---- the cached cardinality ----

    boolean validCache() {
        return (b[15] & 0x80) == 0;
    }

    long cachedCardinality() {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (b[8 + i] & 0xff);
        }
        return card;
    }

    void invalidateCache() {
        if ((b[15] & 0x80) == 0) {
            writable(0);
            b[15] |= (byte) 0x80;
        }
    }

    void cacheCardinality(long card) {
        writable(0);
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ---- hashing ----

    /** MurmurHash2, 64-bit (MurmurHash64A), reading words little-endian as Redis does on every platform. */
    static long murmurHash64A(byte[] key, int seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int length = key.length;
        long h = (seed & 0xffffffffL) ^ (length * m);
        int end = length - (length & 7);
        for (int i = 0; i < end; i += 8) {
            long k = (key[i] & 0xffL) | (key[i + 1] & 0xffL) << 8 | (key[i + 2] & 0xffL) << 16 | (key[i + 3] & 0xffL) << 24
                | (key[i + 4] & 0xffL) << 32 | (key[i + 5] & 0xffL) << 40 | (key[i + 6] & 0xffL) << 48
                | (key[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        switch (length & 7) {
            case 7: h ^= (key[end + 6] & 0xffL) << 48; // fall through
            case 6: h ^= (key[end + 5] & 0xffL) << 40; // fall through
            case 5: h ^= (key[end + 4] & 0xffL) << 32; // fall through
            case 4: h ^= (key[end + 3] & 0xffL) << 24; // fall through
            case 3: h ^= (key[end + 2] & 0xffL) << 16; // fall through
            case 2: h ^= (key[end + 1] & 0xffL) << 8; // fall through
            case 1:
                h ^= key[end] & 0xffL;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** Redis's hllPatLen: the register index in the low 32 bits, the run length of 0...1 above them. */
    static long patLen(byte[] element) {
        long hash = murmurHash64A(element, 0xadc83b19);
        int index = (int) (hash & P_MASK);
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return (long) count << 32 | index;
    }

    // ---- registers ----

    static int denseGet(byte[] p, int regnum) {
        int off = HDR_SIZE + regnum * BITS / 8;
        int fb = regnum * BITS & 7;
        int b0 = p[off] & 0xff;
        int b1 = off + 1 < DENSE_SIZE ? p[off + 1] & 0xff : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
    }

    static void denseSet(byte[] p, int regnum, int val) {
        int off = HDR_SIZE + regnum * BITS / 8;
        int fb = regnum * BITS & 7;
        int fb8 = 8 - fb;
        p[off] = (byte) ((p[off] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (off + 1 < DENSE_SIZE) {
            p[off + 1] = (byte) ((p[off + 1] & ~(REGISTER_MAX >> fb8)) | (val >> fb8));
        }
    }

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXZero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static int zeroLen(int op) {
        return (op & 0x3f) + 1;
    }

    private static int xzeroLen(byte[] s, int p) {
        return (((s[p] & 0x3f) << 8) | (s[p + 1] & 0xff)) + 1;
    }

    private static int valValue(int op) {
        return ((op >> 2) & 0x1f) + 1;
    }

    private static int valLen(int op) {
        return (op & 0x3) + 1;
    }

    private static byte valOp(int val, int len) {
        return (byte) (((val - 1) << 2 | (len - 1)) | 0x80);
    }

    private static void xzeroSet(byte[] s, int p, int len) {
        int l = len - 1;
        s[p] = (byte) ((l >> 8) | 0x40);
        s[p + 1] = (byte) (l & 0xff);
    }

    /** Adds an element: 1 when a register grew, 0 when not, -1 for a corrupted sparse value. */
    int add(byte[] element, long sparseMaxBytes) {
        long pl = patLen(element);
        return set((int) pl, (int) (pl >>> 32), sparseMaxBytes);
    }

    /** Raises register {@code index} to {@code count}: Redis's hllDenseSet / hllSparseSet. */
    int set(int index, int count, long sparseMaxBytes) {
        if (encoding() == DENSE) {
            if (count > denseGet(b, index)) {
                writable(0);
                denseSet(b, index, count);
                return 1;
            }
            return 0;
        }
        return sparseSet(index, count, sparseMaxBytes);
    }

    private int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > SPARSE_VAL_MAX_VALUE) {
            return promote(index, count);
        }
        // Step 1: the opcode covering the register.
        int p = HDR_SIZE;
        int end = len;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int op = b[p] & 0xff;
            int oplen = 1;
            if (isZero(op)) {
                span = zeroLen(op);
            } else if ((op & 0x80) != 0) {
                span = valLen(op);
            } else {
                if (p + 1 >= end) {
                    return -1;
                }
                span = xzeroLen(b, p);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int op = b[p] & 0xff;
        boolean zero = isZero(op);
        boolean xzero = isXZero(op);
        int runlen = zero ? zeroLen(op) : xzero ? xzeroLen(b, p) : valLen(op);
        // Step 2: cases A, B, C.
        if (!zero && !xzero) {
            int oldcount = valValue(op);
            if (oldcount >= count) {
                return 0;
            }
            if (runlen == 1) {
                writable(3);
                b[p] = valOp(count, 1);
                return merge(prev, end);
            }
        }
        if (zero && runlen == 1) {
            writable(3);
            b[p] = valOp(count, 1);
            return merge(prev, end);
        }
        // Case D: split the opcode into up to three.
        byte[] seq = new byte[5];
        int n = 0;
        int last = first + span - 1;
        if (zero || xzero) {
            if (index != first) {
                int l = index - first;
                if (l > SPARSE_ZERO_MAX_LEN) {
                    xzeroSet(seq, n, l);
                    n += 2;
                } else {
                    seq[n++] = (byte) (l - 1);
                }
            }
            seq[n++] = valOp(count, 1);
            if (index != last) {
                int l = last - index;
                if (l > SPARSE_ZERO_MAX_LEN) {
                    xzeroSet(seq, n, l);
                    n += 2;
                } else {
                    seq[n++] = (byte) (l - 1);
                }
            }
        } else {
            int curval = valValue(op);
            if (index != first) {
                seq[n++] = valOp(curval, index - first);
            }
            seq[n++] = valOp(count, 1);
            if (index != last) {
                seq[n++] = valOp(curval, last - index);
            }
        }
        // Step 3: put the new sequence in place of the old opcode.
        int oldlen = xzero ? 2 : 1;
        int delta = n - oldlen;
        if (delta > 0 && len + delta > sparseMaxBytes) {
            return promote(index, count);
        }
        writable(3);
        int next = p + oldlen;
        if (delta != 0 && next < end) {
            System.arraycopy(b, next, b, next + delta, end - next);
        }
        len += delta;
        System.arraycopy(seq, 0, b, p, n);
        end += delta;
        return merge(prev, end);
    }

    /** Step 4: merges adjacent VAL opcodes of equal value around the change; invalidates the cache; returns 1. */
    private int merge(int prev, int end) {
        int p = prev >= 0 ? prev : HDR_SIZE;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int op = b[p] & 0xff;
            if (isXZero(op)) {
                p += 2;
                continue;
            } else if (isZero(op)) {
                p++;
                continue;
            }
            if (p + 1 < end && (b[p + 1] & 0x80) != 0) {
                int v1 = valValue(op);
                int v2 = valValue(b[p + 1] & 0xff);
                if (v1 == v2) {
                    int l = valLen(op) + valLen(b[p + 1] & 0xff);
                    if (l <= SPARSE_VAL_MAX_LEN) {
                        b[p + 1] = valOp(v1, l);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        len--;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        b[15] |= (byte) 0x80;
        return 1;
    }

    /** Converts to dense, then sets the register (which must grow); -1 when the sparse value is corrupted. */
    private int promote(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        denseSet(b, index, count);
        return 1;
    }

    /** Redis's hllSparseToDense; false when the sparse value does not cover exactly every register. */
    boolean toDense() {
        if (encoding() == DENSE) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, dense, 0, HDR_SIZE);
        dense[4] = DENSE;
        int covered = forEachRun(b, len, (index, run, value) -> {
            for (int i = 0; i < run && value > 0; i++) {
                denseSet(dense, index + i, value);
            }
        });
        if (covered != REGISTERS) {
            return false;
        }
        b = dense;
        len = DENSE_SIZE;
        owned = true;
        return true;
    }

    /** Raises {@code max[i]} to each register of a valid HLL value (Redis's hllMerge); false when corrupted. */
    static boolean mergeInto(byte[] max, byte[] v) {
        if ((v[4] & 0xff) == DENSE) {
            // Four 6-bit registers in every three bytes, least significant bits first.
            for (int i = 0, p = HDR_SIZE; i < REGISTERS; i += 4, p += 3) {
                int b0 = v[p] & 0xff;
                int b1 = v[p + 1] & 0xff;
                int b2 = v[p + 2] & 0xff;
                raise(max, i, b0 & 63);
                raise(max, i + 1, ((b0 >> 6) | (b1 << 2)) & 63);
                raise(max, i + 2, ((b1 >> 4) | (b2 << 4)) & 63);
                raise(max, i + 3, b2 >> 2);
            }
            return true;
        }
        return forEachRun(v, v.length, (index, run, value) -> {
            for (int i = index; i < index + run && value > 0; i++) {
                if (value > max[i]) {
                    max[i] = (byte) value;
                }
            }
        }) == REGISTERS;
    }

    private static void raise(byte[] max, int i, int val) {
        if (val > max[i]) {
            max[i] = (byte) val;
        }
    }

    /** The register histogram of this value; null when a sparse value does not cover every register. */
    int[] histogram() {
        int[] h = new int[64];
        if (encoding() == DENSE) {
            for (int p = HDR_SIZE; p < DENSE_SIZE; p += 3) {
                int b0 = b[p] & 0xff;
                int b1 = b[p + 1] & 0xff;
                int b2 = b[p + 2] & 0xff;
                h[b0 & 63]++;
                h[((b0 >> 6) | (b1 << 2)) & 63]++;
                h[((b1 >> 4) | (b2 << 4)) & 63]++;
                h[b2 >> 2]++;
            }
            return h;
        }
        int covered = forEachRun(b, len, (index, run, value) -> h[value] += run);
        return covered == REGISTERS ? h : null;
    }

    /** Receives the runs of a sparse value: {@code run} registers from {@code index} hold {@code value}. */
    @FunctionalInterface
    interface RunVisitor {
        void run(int index, int run, int value);
    }

    /**
     * Walks the opcodes of a sparse value ({@code v[0..len)}), as Redis's hllSparseToDense,
     * hllMerge and hllSparseRegHisto walk them; returns the number of registers covered, which is
     * 16384 for a valid value (a VAL run past the end stops the walk short; a cut XZERO gives -1).
     */
    static int forEachRun(byte[] v, int len, RunVisitor visitor) {
        int idx = 0;
        int p = HDR_SIZE;
        while (p < len) {
            int op = v[p] & 0xff;
            if (isZero(op)) {
                int run = zeroLen(op);
                visitor.run(idx, run, 0);
                idx += run;
                p++;
            } else if (isXZero(op)) {
                if (p + 1 >= len) {
                    return -1;
                }
                int run = xzeroLen(v, p);
                visitor.run(idx, run, 0);
                idx += run;
                p += 2;
            } else {
                int run = valLen(op);
                if (run + idx > REGISTERS) {
                    break;
                }
                visitor.run(idx, run, valValue(op));
                idx += run;
                p++;
            }
        }
        return idx;
    }

    static int[] histogramOfRegisters(byte[] registers) {
        int[] h = new int[64];
        for (byte r : registers) {
            h[r]++;
        }
        return h;
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (zPrime != z);
        return z / 3;
    }

    /** Redis's hllCount over a register histogram (Ertl's estimator). */
    static long count(int[] reghisto) {
        double m = REGISTERS;
        double z = m * tau((m - reghisto[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += reghisto[j];
            z *= 0.5;
        }
        z += m * sigma(reghisto[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    /** PFDEBUG DECODE's text of a sparse value. */
    String decode() {
        StringBuilder sb = new StringBuilder();
        int p = HDR_SIZE;
        while (p < len) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                sb.append("z:").append(zeroLen(op)).append(' ');
                p++;
            } else if (isXZero(op)) {
                sb.append("Z:").append(p + 1 < len ? xzeroLen(b, p) : 0).append(' ');
                p += 2;
            } else {
                sb.append("v:").append(valValue(op)).append(',').append(valLen(op)).append(' ');
                p++;
            }
        }
        return sb.toString().trim();
    }

    static final byte[] MAGIC = "HYLL".getBytes(StandardCharsets.US_ASCII);
}
