package dev.quokka.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A minimal RESP client for tests that must see replies byte for byte: commands go out as
 * multibulk, and each reply comes back as its exact wire text (e.g. {@code "$5\r\nhello\r\n"}).
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Encodes a command as a RESP multibulk. */
    public static byte[] encode(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    /** Sends a command and returns its reply's wire text. */
    /**
     * Waits until a server on {@code port} answers PING with PONG (not -LOADING); fails when
     * {@code process} dies or {@code timeoutMs} pass, with {@code what} in the message.
     */
    public static void awaitPong(int port, Process process, long timeoutMs, String what) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (RawClient c = new RawClient(port)) {
                if (c.call("PING").equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(what + " did not start", e);
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(what + " did not become ready within " + timeoutMs + " ms");
            }
            Thread.sleep(20);
        }
    }

    public String call(String... args) throws IOException {
        send(encode(args));
        return readReply();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one whole reply (nested aggregates included) and returns its wire text. */
    public String readReply() throws IOException {
        return new String(readReplyBytes(), StandardCharsets.UTF_8);
    }

    /** Reads one whole reply and returns its exact wire bytes (for replies that are not UTF-8). */
    public byte[] readReplyBytes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        readInto(b);
        return b.toByteArray();
    }

    /** Sends a command of raw byte arguments and returns its reply's exact wire bytes. */
    public byte[] callBytes(byte[]... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        send(b.toByteArray());
        return readReplyBytes();
    }

    private void readInto(ByteArrayOutputStream b) throws IOException {
        String line = readLine();
        b.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    b.writeBytes(in.readNBytes(n + 2));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readInto(b);
                }
            }
            case '%' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n * 2; i++) {
                    readInto(b);
                }
            }
            default -> {
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (prev == '\r' && c == '\n') {
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            prev = c;
        }
    }

    /** Whether the server closed the connection (reads until EOF or a short timeout). */
    public boolean closedByServer() throws IOException {
        socket.setSoTimeout(2000);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
