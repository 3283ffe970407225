package dev.quokka.replication;

/**
 * The replication backlog (Redis's repl_backlog): the last {@code size} bytes of the replication
 * stream, so that a replica that lost its link can continue from its offset (PSYNC's +CONTINUE)
 * instead of loading the whole dataset again. A ring of bytes; offsets are those of the stream
 * (master_repl_offset counts every byte ever fed).
 */
final class Backlog {
    private byte[] ring;
    /** Where the next byte goes in the ring. */
    private int head;
    /** Bytes held (repl_backlog_histlen), at most the ring's size. */
    private long histlen;
    /** The stream offset just after the last byte held. */
    private long endOffset;

    Backlog(int size, long offset) {
        ring = new byte[Math.max(size, 16 * 1024)];
        endOffset = offset;
    }

    void append(byte[] b, int off, int len) {
        int n = ring.length;
        if (len >= n) {
            System.arraycopy(b, off + len - n, ring, 0, n);
            head = 0;
        } else {
            int first = Math.min(len, n - head);
            System.arraycopy(b, off, ring, head, first);
            System.arraycopy(b, off + first, ring, 0, len - first);
            head = (head + len) % n;
        }
        histlen = Math.min(n, histlen + len);
        endOffset += len;
    }

    /** repl_backlog_first_byte_offset: the offset of the first byte held (Redis counts from 1). */
    long firstByteOffset() {
        return endOffset - histlen + 1;
    }

    long histlen() {
        return histlen;
    }

    int size() {
        return ring.length;
    }

    /** Whether the bytes after stream offset {@code offset} (the replica's next is offset + 1) are all held. */
    boolean holdsFrom(long offset) {
        return offset >= endOffset - histlen && offset <= endOffset;
    }

    /** The bytes after stream offset {@code offset} up to the end, for a continuing replica. */
    byte[] from(long offset) {
        int len = (int) (endOffset - offset);
        byte[] out = new byte[len];
        int n = ring.length;
        int start = (int) (((head - len) % n + n) % n);
        int first = Math.min(len, n - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, len - first);
        return out;
    }

    /** CONFIG SET repl-backlog-size: a new ring keeps what still fits. */
    void resize(int size) {
        size = Math.max(size, 16 * 1024);
        if (size == ring.length) {
            return;
        }
        long keep = Math.min(histlen, size);
        byte[] kept = from(endOffset - keep);
        ring = new byte[size];
        head = 0;
        long end = endOffset;
        histlen = 0;
        endOffset = end - keep;
        append(kept, 0, kept.length);
    }
}
