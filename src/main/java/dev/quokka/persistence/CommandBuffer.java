package dev.quokka.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * A growable byte buffer of commands in the append-only file's format (RESP arrays of bulk
 * strings, as Redis's {@code catAppendOnlyGenericCommand} writes them).
 */
public final class CommandBuffer {
    private static final byte[] CRLF = {'\r', '\n'};
    private byte[] buf;
    private int len;

    public CommandBuffer(int capacity) {
        buf = new byte[capacity];
    }

    int length() {
        return len;
    }

    void clear() {
        len = 0;
    }

    /** Appends {@code *argc} and the first {@code argc} arguments as bulk strings. */
    void command(byte[][] argv, int argc) {
        header('*', argc);
        for (int i = 0; i < argc; i++) {
            byte[] a = argv[i];
            header('$', a.length);
            bytes(a, a.length);
            bytes(CRLF, 2);
        }
    }

    public void command(byte[]... argv) {
        command(argv, argv.length);
    }

    private void header(char type, long n) {
        ensure(24);
        buf[len++] = (byte) type;
        if (n == 0) {
            buf[len++] = '0';
        } else {
            int start = len;
            for (long v = n; v > 0; v /= 10) {
                buf[len++] = (byte) ('0' + v % 10);
            }
            for (int i = start, j = len - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
        }
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void bytes(byte[] b, int n) {
        ensure(n);
        System.arraycopy(b, 0, buf, len, n);
        len += n;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            long cap = Math.max((long) buf.length * 2, (long) len + extra);
            if (cap > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("append-only buffer over 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) cap);
        }
    }

    /** Writes the whole buffer at {@code position} of {@code ch}. */
    void writeTo(FileChannel ch, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        long pos = position;
        while (bb.hasRemaining()) {
            pos += ch.write(bb, pos);
        }
    }

    /** The bytes so far, and an empty buffer (the replication stream encodes an effect at a time). */
    public byte[] take() {
        byte[] out = Arrays.copyOf(buf, len);
        len = 0;
        return out;
    }

    /** Gives back memory after a burst (a rewrite's base or a large pending buffer). */
    void trim(int keep) {
        if (len == 0 && buf.length > keep) {
            buf = new byte[keep];
        }
    }
}
