package dev.quokka.command;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MIGRATE's connections to target servers (Redis's migrate_cached_sockets): one per host:port,
 * reused while used, closed 10 seconds after the last use, at most 64. Reads and writes are
 * blocking with MIGRATE's timeout, on the keyspace context, as Redis's connSyncWrite and
 * connSyncReadLine: MIGRATE holds the server while it talks to the target, as it does in Redis.
 */
public final class MigrateSockets {
    private static final int MAX = 64;
    private static final long TTL_MILLIS = 10_000;

    /** A connection to a target, with the database it last selected. */
    public static final class Conn implements AutoCloseable {
        private final SocketChannel ch;
        private final Selector selector;
        private final ByteBuffer in = ByteBuffer.allocate(16 * 1024).flip();
        public long lastDb = -1;
        long lastUse;

        private Conn(SocketChannel ch, Selector selector) {
            this.ch = ch;
            this.selector = selector;
        }

        /** Writes everything within {@code timeoutMs}, else throws {@link SocketTimeoutException}. */
        public void write(byte[] b, long timeoutMs) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b);
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (buf.hasRemaining()) {
                if (ch.write(buf) == 0) {
                    await(SelectionKey.OP_WRITE, deadline);
                }
            }
        }

        /** One reply line without its CRLF, at most 1 KiB, within {@code timeoutMs}. */
        public String readLine(long timeoutMs) throws IOException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            StringBuilder line = new StringBuilder();
            while (true) {
                while (in.hasRemaining()) {
                    char b = (char) (in.get() & 0xff);
                    if (b == '\n') {
                        int n = line.length();
                        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
                    }
                    if (line.length() < 1024) {
                        line.append(b);
                    }
                }
                in.clear();
                int n = ch.read(in);
                in.flip();
                if (n < 0) {
                    throw new IOException("connection closed by the target");
                }
                if (n == 0) {
                    await(SelectionKey.OP_READ, deadline);
                }
            }
        }

        private void await(int op, long deadline) throws IOException {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new SocketTimeoutException("timeout");
            }
            SelectionKey key = ch.keyFor(selector);
            key.interestOps(op);
            selector.selectedKeys().clear();
            if (selector.select(left) == 0) {
                throw new SocketTimeoutException("timeout");
            }
        }

        @Override
        public void close() {
            try {
                selector.close();
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private final Map<String, Conn> cached = new LinkedHashMap<>();

    /** The cached connection to {@code host:port}, or a new one made within {@code timeoutMs}. */
    public Conn get(String host, int port, long timeoutMs) throws IOException {
        String name = host + ":" + port;
        Conn c = cached.get(name);
        if (c != null) {
            c.lastUse = System.currentTimeMillis();
            return c;
        }
        if (cached.size() == MAX) {
            Iterator<Conn> it = cached.values().iterator();
            it.next().close();
            it.remove();
        }
        SocketChannel ch = SocketChannel.open();
        Selector selector = Selector.open();
        try {
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_CONNECT);
            c = new Conn(ch, selector);
            if (!ch.connect(new InetSocketAddress(host, port))) {
                c.await(SelectionKey.OP_CONNECT, System.currentTimeMillis() + timeoutMs);
                ch.finishConnect();
            }
            ch.socket().setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) {
            selector.close();
            ch.close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
        c.lastUse = System.currentTimeMillis();
        cached.put(name, c);
        return c;
    }

    /** Drops the connection to {@code host:port} after an error, so the next MIGRATE connects again. */
    public void close(String host, int port) {
        Conn c = cached.remove(host + ":" + port);
        if (c != null) {
            c.close();
        }
    }

    /** Closes the connections unused for 10 seconds (migrateCloseTimedoutSockets). */
    public void closeIdle() {
        long now = System.currentTimeMillis();
        for (Iterator<Conn> it = cached.values().iterator(); it.hasNext(); ) {
            Conn c = it.next();
            if (now - c.lastUse > TTL_MILLIS) {
                c.close();
                it.remove();
            }
        }
    }

    /** INFO's migrate_cached_sockets. */
    public int size() {
        return cached.size();
    }
}
