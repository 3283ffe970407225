package dev.quokka.differential;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte-exact RESP connection for the generative differential test: arguments are raw bytes
 * (binary, NUL, invalid UTF-8 all go out as they are) and each reply is read into a {@link Reply}
 * tree that keeps its wire bytes, so replies can be compared exactly or with an order-insensitive
 * or shape-only rule.
 */
final class Resp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder pushes = new StringBuilder();

    Resp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    void send(List<byte[]> args) throws IOException {
        out.write(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    /** Sends raw bytes as they are (protocol cases). */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Everything the server sends until it closes the connection or stays silent for
     * {@code idleMillis}; the text ends with {@code <closed>} when it closed.
     */
    String drain(int idleMillis) throws IOException {
        socket.setSoTimeout(idleMillis);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return b.toString(StandardCharsets.ISO_8859_1) + "<closed>";
                }
                b.write(c);
            }
        } catch (java.net.SocketTimeoutException e) {
            return b.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return b.toString(StandardCharsets.ISO_8859_1) + "<closed>";
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    Reply call(List<byte[]> args) throws IOException {
        send(args);
        flush();
        return read();
    }

    Reply call(String... args) throws IOException {
        return call(bytes(args));
    }

    static List<byte[]> bytes(String... args) {
        List<byte[]> list = new ArrayList<>(args.length);
        for (String a : args) {
            list.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return list;
    }

    /** Reads one reply; RESP3 push messages (tracking, pub/sub) are not replies: they are set aside. */
    Reply read() throws IOException {
        while (true) {
            Reply r = readAny();
            if (r.type() != '>') {
                return r;
            }
            pushes.append(r.wire());
        }
    }

    /** The push messages read so far (in arrival order), forgotten once taken. */
    String takePushes() {
        String s = pushes.toString();
        pushes.setLength(0);
        return s;
    }

    private Reply readAny() throws IOException {
        byte[] line = readLine();
        char type = (char) line[0];
        String header = new String(line, 1, line.length - 1, StandardCharsets.ISO_8859_1);
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(header);
                byte[] body = null;
                if (n >= 0) {
                    body = in.readNBytes(n + 2);
                    if (body.length < n + 2) {
                        throw new IOException("connection closed");
                    }
                }
                return new Reply(type, line, body, List.of());
            }
            case '*', '~', '>', '%', '|' -> {
                int n = Integer.parseInt(header);
                if (type == '%' || type == '|') {
                    n *= 2;
                }
                List<Reply> children = new ArrayList<>(Math.max(n, 0));
                for (int i = 0; i < n; i++) {
                    children.add(readAny());
                }
                if (type == '|') {
                    // An attribute precedes the reply it describes; keep it as that reply's first child.
                    Reply described = readAny();
                    children.add(described);
                }
                return new Reply(type, line, null, children);
            }
            default -> {
                return new Reply(type, line, null, List.of());
            }
        }
    }

    private byte[] readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(32);
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (prev == '\r' && c == '\n') {
                byte[] all = b.toByteArray();
                return java.util.Arrays.copyOf(all, all.length - 1);
            }
            b.write(c);
            prev = c;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One reply: its header line (type byte included), its bulk body with CRLF, its elements. */
    record Reply(char type, byte[] line, byte[] body, List<Reply> children) {
        boolean isError() {
            return type == '-' || type == '!';
        }

        /** The exact wire bytes as text (ISO-8859-1, so every byte is one char). */
        String wire() {
            StringBuilder s = new StringBuilder();
            appendWire(s);
            return s.toString();
        }

        private void appendWire(StringBuilder s) {
            s.append(new String(line, StandardCharsets.ISO_8859_1)).append("\r\n");
            if (body != null) {
                s.append(new String(body, StandardCharsets.ISO_8859_1));
            }
            for (Reply c : children) {
                c.appendWire(s);
            }
        }

        /** The reply with its top-level elements (or map entries) sorted: for unordered replies. */
        String unordered() {
            if (children.isEmpty() || type == '|') {
                return wire();
            }
            List<String> parts = new ArrayList<>();
            int step = type == '%' ? 2 : 1;
            for (int i = 0; i < children.size(); i += step) {
                String part = children.get(i).unorderedInner();
                if (step == 2) {
                    part += children.get(i + 1).unorderedInner();
                }
                parts.add(part);
            }
            java.util.Collections.sort(parts);
            return new String(line, StandardCharsets.ISO_8859_1) + "\r\n" + String.join("", parts);
        }

        /** Inner aggregates (e.g. SMEMBERS inside EXEC, SCAN's element list) are unordered too. */
        private String unorderedInner() {
            return children.isEmpty() ? wire() : unordered();
        }

        /** Shape only: the type and, for aggregates, the element count; errors stay exact. */
        String shape() {
            if (isError()) {
                return wire();
            }
            return switch (type) {
                case '*', '~', '%', '>' -> type + Integer.toString(children.size());
                case '$' -> body == null ? "$-1" : "$";
                default -> Character.toString(type);
            };
        }

        /** A printable, bounded rendering for reports (escapes non-printable bytes). */
        String show() {
            String w = wire();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < w.length() && s.length() < 300; i++) {
                char c = w.charAt(i);
                if (c == '\r' && i + 1 < w.length() && w.charAt(i + 1) == '\n') {
                    s.append("⏎");
                    i++;
                } else if (c < 32 || c > 126) {
                    s.append(String.format("\\x%02x", (int) c));
                } else {
                    s.append(c);
                }
            }
            if (s.length() >= 300) {
                s.append("…");
            }
            return s.toString();
        }
    }
}
