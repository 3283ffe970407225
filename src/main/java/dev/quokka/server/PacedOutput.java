package dev.quokka.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Hands a connection's output to Netty at most {@link #PACE} bytes per turn of the event loop, as
 * redis-server writes at most about 64 KiB to one client per event ({@code NET_MAX_WRITES_PER_EVENT}).
 *
 * <p>Netty's flush writes everything queued for a socket until the socket stops taking it: for a
 * client reading megabytes of replies over loopback, tens of megabytes in one call, during which
 * the event loop serves no one else (measured: 60–140 ms PING stalls behind one client reading
 * 1 MB GETs). Here what is written while Netty already holds {@code PACE} bytes waits in this
 * handler's queue, and a large buffer is handed over in slices of {@code PACE}; when Netty has
 * written what it was given, the next portion goes on the next turn, after the other connections'
 * events. Output that fits passes straight through (the common case: nothing is queued here).
 *
 * <p>The order of everything written to the channel is kept: this handler sits next to the
 * pipeline's head, so all writes pass it, and it holds back all of them once it holds one. Its
 * queued bytes count as the connection's unsent output, with Netty's ({@link #unsentBytes}), and
 * the channel is reported unwritable while it holds any, so that Vert.x's drain handler fires when
 * they are gone. Event-loop thread only.
 */
final class PacedOutput extends ChannelOutboundHandlerAdapter {
    /** What Netty is given for one connection before the rest waits for the next turn. */
    static final int PACE = 256 * 1024;
    /** The user-defined writability bit this handler holds while it queues output. */
    private static final int WRITABILITY_BIT = 1;

    private final ArrayDeque<Object> messages = new ArrayDeque<>();
    private final ArrayDeque<ChannelPromise> promises = new ArrayDeque<>();
    private long queuedBytes;
    private boolean refillScheduled;
    private ChannelHandlerContext ctx;
    private final Runnable refill = this::refill;
    /** Runs a task on the event loop's next turn (a test gives its own turns). */
    private final BiConsumer<ChannelHandlerContext, Runnable> nextTurn;
    /**
     * Netty has sent what it was given: the next portion goes on the event loop's next turn. A
     * scheduled task, not an executed one: Netty runs tasks added while it runs tasks in the same
     * pass, which would write portion after portion without the other connections' events between.
     */
    private final ChannelFutureListener handedOver;

    PacedOutput() {
        this((c, task) -> c.executor().schedule(task, 0, TimeUnit.NANOSECONDS));
    }

    PacedOutput(BiConsumer<ChannelHandlerContext, Runnable> nextTurn) {
        this.nextTurn = nextTurn;
        this.handedOver = f -> {
            if (f.isSuccess() && !messages.isEmpty() && !refillScheduled) {
                refillScheduled = true;
                nextTurn.accept(ctx, refill);
            }
        };
    }

    /** Bytes written to the channel and not yet handed to Netty. */
    long queuedBytes() {
        return queuedBytes;
    }

    /** Bytes written to the channel and not yet sent: what Netty holds and what waits here. */
    long unsentBytes() {
        return inNetty() + queuedBytes;
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long size = size(msg);
        if (messages.isEmpty() && size <= PACE && inNetty() < PACE) {
            ctx.write(msg, promise);
            return;
        }
        if (messages.isEmpty()) {
            setWritable(false);
        }
        messages.add(msg);
        promises.add(promise);
        queuedBytes += size;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!messages.isEmpty()) {
            handOver();
        }
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        drop();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        drop();
    }

    private void refill() {
        refillScheduled = false;
        if (!messages.isEmpty() && ctx.channel().isActive()) {
            handOver();
            ctx.flush();
        }
    }

    /**
     * Gives Netty queued output until it holds {@link #PACE} bytes, slicing a large buffer; when
     * more remains, an empty marker written behind it tells when Netty has sent all it was given.
     */
    private void handOver() {
        while (!messages.isEmpty()) {
            long room = PACE - inNetty();
            if (room <= 0) {
                break;
            }
            Object msg = messages.peek();
            if (msg instanceof ByteBuf buf && buf.readableBytes() > room) {
                queuedBytes -= room;
                ctx.write(buf.readRetainedSlice((int) room), ctx.voidPromise());
                break;
            }
            messages.poll();
            queuedBytes -= size(msg);
            ctx.write(msg, promises.poll());
        }
        if (messages.isEmpty()) {
            setWritable(true);
        } else {
            ChannelPromise marker = ctx.newPromise();
            marker.addListener(handedOver);
            ctx.write(Unpooled.EMPTY_BUFFER, marker);
        }
    }

    /** Releases what was never handed over (the connection closed) and fails its promises. */
    private void drop() {
        if (messages.isEmpty()) {
            return;
        }
        ClosedChannelException closed = new ClosedChannelException();
        while (!messages.isEmpty()) {
            ReferenceCountUtil.safeRelease(messages.poll());
            ChannelPromise p = promises.poll();
            if (!p.isVoid()) {
                p.tryFailure(closed);
            }
        }
        queuedBytes = 0;
    }

    private long inNetty() {
        ChannelOutboundBuffer pending = ctx == null ? null : ctx.channel().unsafe().outboundBuffer();
        return pending == null ? 0 : pending.totalPendingWriteBytes();
    }

    private void setWritable(boolean writable) {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        if (pending != null) {
            pending.setUserDefinedWritability(WRITABILITY_BIT, writable);
        }
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        if (msg instanceof ByteBufHolder h) {
            return h.content().readableBytes();
        }
        if (msg instanceof FileRegion f) {
            return f.count() - f.transferred();
        }
        return 0;
    }
}
