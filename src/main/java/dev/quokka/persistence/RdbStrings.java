package dev.quokka.persistence;

import java.io.ByteArrayOutputStream;

/**
 * RDB's length-prefixed strings (rdb.c's rdbSaveRawString / rdbGenericLoadStringObject): lengths in
 * 6, 14, 32 or 64 bits, and the special encodings a reader meets (8/16/32-bit integers, LZF).
 * Strings longer than 20 bytes are written LZF-compressed when that saves at least four bytes and
 * the output asks for it ({@code rdbcompression}), as rdbSaveRawString does.
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

    /** Where RDB bytes are written: a buffer that knows whether strings are compressed. */
    public static class Output extends ByteArrayOutputStream {
        final boolean compress;
        private Lzf.Compressor compressor;

        Lzf.Compressor compressor() {
            if (compressor == null) {
                compressor = new Lzf.Compressor();
            }
            return compressor;
        }

        public Output(boolean compress) {
            this.compress = compress;
        }

        Output(int size, boolean compress) {
            super(size);
            this.compress = compress;
        }

        /** The bytes written so far, in place (with {@link #size()}). */
        byte[] buffer() {
            return buf;
        }
    }

    public static void writeString(ByteArrayOutputStream out, byte[] s) {
        if (s.length > 20 && out instanceof Output o && o.compress) {
            byte[] packed = o.compressor().compress(s, s.length - 4);
            if (packed != null) {
                out.write(0xC3);
                writeLength(out, packed.length);
                writeLength(out, s.length);
                out.write(packed, 0, packed.length);
                return;
            }
        }
        writeLength(out, s.length);
        out.write(s, 0, s.length);
    }

    /**
     * A cursor over RDB bytes, in memory (a DUMP payload) or streamed from a file or a socket in
     * chunks, with the CRC64 of what it has read; reads throw {@link IllegalArgumentException} on
     * truncated or bad input. A declared length reserves memory only as the bytes arrive.
     */
    public static final class Reader {
        private byte[] b;
        private int pos;
        private int end;
        private final java.io.InputStream src;
        private long consumed;
        private long crc;
        private int crcFrom;

        public Reader(byte[] b, int from, int end) {
            this.b = b;
            this.pos = from;
            this.end = end;
            this.src = null;
        }

        /** Streams from {@code src}; I/O errors surface as {@link java.io.UncheckedIOException}. */
        public Reader(java.io.InputStream src) {
            this.b = new byte[64 * 1024];
            this.src = src;
        }

        public int position() {
            return pos;
        }

        /** Bytes read so far (streamed or not). */
        public long offset() {
            return consumed + pos;
        }

        /** The CRC64 of everything read so far. */
        public long crc() {
            return Crc64.crc(crc, b, crcFrom, pos);
        }

        /** The bytes read ahead from a streamed input and not yet consumed (what followed the image). */
        public byte[] unread() {
            return java.util.Arrays.copyOfRange(b, pos, end);
        }

        /** The next chunk of a streamed input; false at its end (or in memory). */
        private boolean fill() {
            if (src == null) {
                return false;
            }
            crc = Crc64.crc(crc, b, crcFrom, end);
            crcFrom = 0;
            consumed += end;
            pos = 0;
            end = 0;
            try {
                int n = src.read(b, 0, b.length);
                while (n == 0) {
                    n = src.read(b, 0, b.length);
                }
                if (n < 0) {
                    return false;
                }
                end = n;
                return true;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public int readByte() {
            if (pos >= end && !fill()) {
                throw new IllegalArgumentException("truncated");
            }
            return b[pos++] & 0xff;
        }

        /** The next byte without reading it, or -1 at the end. */
        private int peek() {
            if (pos >= end && !fill()) {
                return -1;
            }
            return b[pos] & 0xff;
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
            if (peek() == 0x81) {
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
                    return Lzf.decompress(in, (int) ulen);
                }
                default -> throw new IllegalArgumentException("unknown string encoding " + enc);
            }
        }

        private byte[] bytes(long len) {
            if (len <= end - pos) {
                byte[] out = new byte[(int) len];
                System.arraycopy(b, pos, out, 0, (int) len);
                pos += (int) len;
                return out;
            }
            if (src == null) {
                throw new IllegalArgumentException("truncated");
            }
            if (len > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("string too long");
            }
            byte[] out = new byte[(int) Math.min(len, 1 << 20)];
            int have = 0;
            while (have < len) {
                if (pos >= end && !fill()) {
                    throw new IllegalArgumentException("truncated");
                }
                int k = (int) Math.min(end - pos, len - have);
                if (have + k > out.length) {
                    out = java.util.Arrays.copyOf(out, (int) Math.min(len, Math.max(have + k, 2L * out.length)));
                }
                System.arraycopy(b, pos, out, have, k);
                pos += k;
                have += k;
            }
            return out;
        }
    }
}
