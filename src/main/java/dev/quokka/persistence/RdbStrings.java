package dev.quokka.persistence;

import java.io.ByteArrayOutputStream;

/**
 * RDB's length-prefixed strings (rdb.c's rdbSaveRawString / rdbGenericLoadStringObject): lengths in
 * 6, 14, 32 or 64 bits, and the special encodings a reader meets (8/16/32-bit integers, LZF).
 * Writing is uncompressed, which every reader accepts.
 */
public final class RdbStrings {
    private RdbStrings() {
    }

    /** A length, unsigned (a stream group's unknown read counter, -1, is 2^64 - 1). */
    public static void writeLength(ByteArrayOutputStream out, long len) {
        if (len >= 0 && len < 64) {
            out.write((int) len);
        } else if (len >= 0 && len < 16384) {
            out.write(0x40 | (int) (len >>> 8));
            out.write((int) len & 0xff);
        } else if (len >= 0 && len <= 0xffffffffL) {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)) & 0xff);
            }
        } else {
            out.write(0x81);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)) & 0xff);
            }
        }
    }

    public static void writeString(ByteArrayOutputStream out, byte[] s) {
        writeLength(out, s.length);
        out.write(s, 0, s.length);
    }

    /** A cursor over RDB bytes; reads throw {@link IllegalArgumentException} on truncated or bad input. */
    public static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        public Reader(byte[] b, int from, int end) {
            this.b = b;
            this.pos = from;
            this.end = end;
        }

        public int position() {
            return pos;
        }

        public int readByte() {
            if (pos >= end) {
                throw new IllegalArgumentException("truncated");
            }
            return b[pos++] & 0xff;
        }

        private long bigEndian(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | readByte();
            }
            return v;
        }

        /** A fixed-width little-endian field of {@code n} bytes (RDB's millisecond times, binary doubles). */
        public long littleEndian(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) readByte() << (8 * i);
            }
            return v;
        }

        /** A length, or -(1 + encoding type) for the special string encodings (11xxxxxx). */
        private long length() {
            int first = readByte();
            return switch (first >> 6) {
                case 0 -> first & 0x3f;
                case 1 -> ((first & 0x3f) << 8) | readByte();
                case 2 -> first == 0x80 ? bigEndian(4) : first == 0x81 ? bigEndian(8) : bad();
                default -> -1 - (first & 0x3f);
            };
        }

        /**
         * A length field that holds a 64-bit unsigned number (a stream id's parts, a read
         * counter that is -1 when unknown), as its bits.
         */
        public long readUnsigned() {
            if (pos < end && (b[pos] & 0xff) == 0x81) {
                pos++;
                return bigEndian(8);
            }
            return readLength();
        }

        /** A plain length (an element count); the string encodings are an error here. */
        public long readLength() {
            long len = length();
            if (len < 0) {
                throw new IllegalArgumentException("encoded length");
            }
            return len;
        }

        private static long bad() {
            throw new IllegalArgumentException("unknown length encoding");
        }

        public byte[] readString() {
            long len = length();
            if (len >= 0) {
                return bytes(len);
            }
            int enc = (int) (-1 - len);
            switch (enc) {
                case 0 -> {
                    return Long.toString((byte) littleEndian(1)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                }
                case 1 -> {
                    return Long.toString((short) littleEndian(2)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                }
                case 2 -> {
                    return Long.toString((int) littleEndian(4)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                }
                case 3 -> {
                    long clen = length();
                    long ulen = length();
                    // A declared length is allocated only if the compressed bytes could produce it
                    // (LZF's best case: a 3-byte back-reference yields 264 bytes).
                    if (clen < 0 || ulen < 0 || ulen > Integer.MAX_VALUE || ulen > clen * 88 + 32) {
                        throw new IllegalArgumentException("bad LZF lengths");
                    }
                    byte[] in = bytes(clen);
                    return lzfDecompress(in, (int) ulen);
                }
                default -> throw new IllegalArgumentException("unknown string encoding " + enc);
            }
        }

        private byte[] bytes(long len) {
            if (len > end - pos) {
                throw new IllegalArgumentException("truncated");
            }
            byte[] out = new byte[(int) len];
            System.arraycopy(b, pos, out, 0, (int) len);
            pos += (int) len;
            return out;
        }
    }

    /** LZF (liblzf's lzf_decompress) into exactly {@code length} bytes. */
    static byte[] lzfDecompress(byte[] in, int length) {
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
