package dev.quokka.server;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Reads a channel's socket without its event loop, for the event loop's own thread while a long
 * script holds it (Redis's processEventsWhileBlocked): the native epoll transport's file
 * descriptor, or NIO's SocketChannel (a protected accessor, reached by reflection).
 */
final class DirectRead {
    private static final Method NIO_CHANNEL = nioAccessor();

    private DirectRead() {
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
