package dev.quokka.server;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What the event loop's own thread does while a long script holds it (Redis's
 * processEventsWhileBlocked): it reads sockets directly (the native epoll transport's file
 * descriptor, or NIO's SocketChannel, a protected accessor reached by reflection), and runs the
 * tasks queued on the loop, among them the registration of connections accepted meanwhile (the
 * acceptor is another thread), so that new clients are answered too.
 */
final class WhileBusy {
    private static final Method NIO_CHANNEL = nioAccessor();
    private static final Method RUN_ALL_TASKS = runAllTasks();

    private WhileBusy() {
    }

    private static Method runAllTasks() {
        try {
            Method m = io.netty.util.concurrent.SingleThreadEventExecutor.class.getDeclaredMethod("runAllTasks");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Runs the tasks queued on {@code loop}, when called on that loop's thread. */
    static void runQueuedTasks(io.netty.channel.EventLoop loop) {
        if (RUN_ALL_TASKS != null && loop.inEventLoop() && loop instanceof io.netty.util.concurrent.SingleThreadEventExecutor) {
            try {
                RUN_ALL_TASKS.invoke(loop);
            } catch (ReflectiveOperationException e) {
                // the tasks run when the loop is free again
            }
        }
    }

    private static Method nioAccessor() {
        try {
            Method m = io.netty.channel.socket.nio.NioSocketChannel.class.getDeclaredMethod("javaChannel");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Bytes read into {@code buf} (non-blocking), 0 when none are waiting, -1 at the end of the stream. */
    static int read(Channel channel, ByteBuffer buf) throws IOException {
        if (channel instanceof EpollSocketChannel epoll) {
            return epoll.fd().read(buf, buf.position(), buf.limit());
        }
        if (NIO_CHANNEL != null && channel instanceof io.netty.channel.socket.nio.NioSocketChannel) {
            try {
                return ((SocketChannel) NIO_CHANNEL.invoke(channel)).read(buf);
            } catch (ReflectiveOperationException e) {
                return 0;
            }
        }
        return 0;
    }
}
