package dev.quokka.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * The bytes of a primary's RDB image on their way from the replication link (the event loop,
 * which offers what the socket delivers) to the thread that parses them (which reads this as a
 * stream): a replica's diskless load. Bounded: once {@code limit} bytes wait, {@link #full} tells
 * the link to pause its socket, and {@code onDrained} runs (on the reading thread) when the reader
 * has taken them down to half, for the link to resume it.
 */
final class ImagePipe extends InputStream {
    private final long limit;
    private final Runnable onDrained;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] current;
    private int position;
    private long queued;
    private boolean ended;
    private IOException failure;
    private boolean starving;
    /** {@link #full} said so: {@code onDrained} is owed once the reader has taken half. */
    private boolean throttled;

    ImagePipe(long limit, Runnable onDrained) {
        this.limit = limit;
        this.onDrained = onDrained;
    }

    /** Bytes the socket delivered. */
    synchronized void offer(byte[] bytes) {
        if (bytes.length == 0 || ended || failure != null) {
            return;
        }
        chunks.add(bytes);
        queued += bytes.length;
        notifyAll();
    }

    /** Whether the socket should wait for the reader. */
    synchronized boolean full() {
        if (queued >= limit) {
            throttled = true;
        }
        return throttled;
    }

    /** Whether the reader is waiting for bytes that have not arrived (for the link's timeout). */
    synchronized boolean starving() {
        return starving;
    }

    /** The image's last byte was offered: the reader sees the end of the stream after what waits. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** The transfer broke off (link lost, timed out, abandoned): the reader's next read throws {@code why}. */
    synchronized void fail(IOException why) {
        if (failure == null) {
            failure = why;
        }
        notifyAll();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean drained = false;
        int n;
        synchronized (this) {
            while (true) {
                if (failure != null) {
                    throw failure;
                }
                if (current != null && position < current.length) {
                    break;
                }
                byte[] next = chunks.poll();
                if (next != null) {
                    queued -= next.length;
                    if (throttled && queued < limit / 2) {
                        throttled = false;
                        drained = true;
                    }
                    current = next;
                    position = 0;
                    break;
                }
                if (ended) {
                    return -1;
                }
                starving = true;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EOFException("interrupted");
                } finally {
                    starving = false;
                }
            }
            n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
        }
        if (drained) {
            onDrained.run();
        }
        return n;
    }

    /** Exactly {@code n} bytes, or fewer when the stream ends first. */
    byte[] readUpTo(int n) throws IOException {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            int r = read(out, got, n - got);
            if (r < 0) {
                return java.util.Arrays.copyOf(out, got);
            }
            got += r;
        }
        return out;
    }

    /** What was offered and not read, in order (the bytes after the image, for the link's stream). */
    synchronized byte[] rest() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (current != null && position < current.length) {
            out.write(current, position, current.length - position);
        }
        for (byte[] c : chunks) {
            out.write(c, 0, c.length);
        }
        current = null;
        chunks.clear();
        queued = 0;
        return out.toByteArray();
    }
}
