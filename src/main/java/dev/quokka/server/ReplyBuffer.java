package dev.quokka.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The buffer that the read batches of one event loop write their replies into, lent to one batch
 * at a time. Replies the socket takes at once leave from it with one {@code write(2)}
 * ({@link ClientConnection}), as Redis writes a client's reply buffer: no buffer of their own is
 * allocated and released per batch. What must outlive the batch (bytes the socket did not take,
 * replies held for the append-only file) becomes a buffer of its own: a few bytes are copied out,
 * more keep the shared buffer itself, and the next batch takes a new one. A batch that runs
 * inside another (a client served while a script is busy) gets a buffer of its own instead.
 * One per event loop; not thread-safe.
 */
final class ReplyBuffer {
    /** Capacity kept between batches; a larger one (a batch with a large reply) is given back to the pool. */
    private static final int KEEP = 4 * ClientConnection.CHUNK;
    /** Up to this many bytes that must outlive a batch are copied out; more take the shared buffer with them. */
    private static final int COPY_MAX = 4096;

    private ByteBuf buf;
    private boolean lent;

    /** The shared buffer, empty, or null when a batch holds it already. */
    ByteBuf lend(ByteBufAllocator alloc) {
        if (lent) {
            return null;
        }
        lent = true;
        if (buf == null) {
            buf = alloc.directBuffer(ClientConnection.CHUNK + 1024);
        }
        buf.clear();
        return buf;
    }

    /** Whether {@code b} is the shared buffer, lent out. */
    boolean holds(ByteBuf b) {
        return lent && b == buf;
    }

    /** Returns the shared buffer (its bytes are dropped). */
    void giveBack() {
        lent = false;
        if (buf.capacity() > KEEP) {
            buf.release();
            buf = null;
        }
    }

    /**
     * The readable bytes of {@code b} in a buffer the caller owns: {@code b} itself unless it is the
     * shared one; a copy of them when few (the shared buffer is given back); else the shared
     * buffer, which this one lets go of.
     */
    ByteBuf own(ByteBuf b, ByteBufAllocator alloc) {
        if (!holds(b)) {
            return b;
        }
        if (b.readableBytes() > COPY_MAX) {
            lent = false;
            buf = null;
            return b;
        }
        ByteBuf copy = alloc.ioBuffer(b.readableBytes());
        copy.writeBytes(b);
        giveBack();
        return copy;
    }

    /** Gives {@code b} back when it is the shared buffer, else releases it. */
    void done(ByteBuf b) {
        if (holds(b)) {
            giveBack();
        } else {
            b.release();
        }
    }
}
