package dev.quokka.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The buffer that the socket reads of one event loop's connections share: Netty reads a
 * connection's bytes into it, {@link ClientConnection#onData} copies them into the client's parser
 * and releases it, and the next read, of any connection, reuses it (as Redis reads into each
 * client's query buffer), instead of taking a buffer from the pool and returning it per read.
 * It is lent only while no one else holds it (its reference count is its own one): a reader that
 * keeps it (a TLS decoder accumulating a record) makes the next reads take pooled buffers as
 * before. Reads are sized by Netty's adaptive sizing when they take a pooled buffer, and are up
 * to {@link #CAPACITY} bytes when they use this one. One per event loop; not thread-safe.
 */
final class ReadBuffer implements RecvByteBufAllocator {
    /** The most one read takes: the largest read Netty's adaptive sizing makes. */
    static final int CAPACITY = 64 * 1024;

    private final RecvByteBufAllocator sizing = new AdaptiveRecvByteBufAllocator();
    private ByteBuf buf;

    @Override
    public Handle newHandle() {
        return new Lending((ExtendedHandle) sizing.newHandle());
    }

    /** The shared buffer, empty and retained for the reader, or null while another reader holds it. */
    private ByteBuf lend(ByteBufAllocator alloc) {
        if (buf == null) {
            buf = alloc.directBuffer(CAPACITY, CAPACITY);
        } else if (buf.refCnt() != 1) {
            return null;
        }
        return buf.clear().retain();
    }

    /** Netty's per-channel read sizing, whose reads take the shared buffer when it is free. */
    private final class Lending extends DelegatingHandle implements ExtendedHandle {
        Lending(ExtendedHandle sizing) {
            super(sizing);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuf b = lend(alloc);
            return b != null ? b : delegate().allocate(alloc);
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
        }
    }
}
