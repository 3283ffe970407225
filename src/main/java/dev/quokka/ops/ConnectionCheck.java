package dev.quokka.ops;

import dev.quokka.persistence.CommandBuffer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code quokka --check HOST PORT}: the launcher as a small client, for the Helm chart's
 * {@code helm test} (the image checks its own Service, so that the test pulls no other image).
 * It checks what a client needs: with a password ({@code REDISCLI_AUTH}, as redis-cli reads it),
 * that a command without AUTH is refused with -NOAUTH and that AUTH is accepted; then PING, and a
 * SET/GET/DEL round trip on a key of its own. Each step is printed; the exit status is 0 when
 * all passed, 1 otherwise.
 */
final class ConnectionCheck {
    private final PrintStream out;

    private ConnectionCheck(PrintStream out) {
        this.out = out;
    }

    static int run(String host, int port, String password, PrintStream out) {
        return new ConnectionCheck(out).check(host, port, password);
    }

    private int check(String host, int port, String password) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5_000);
            s.setSoTimeout(5_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream os = s.getOutputStream();
            out.println("connected to " + host + ":" + port);
            if (password != null && !password.isEmpty()) {
                String refused = call(os, in, "PING");
                if (!refused.startsWith("-NOAUTH")) {
                    return fail("PING without AUTH answered " + refused + ", not -NOAUTH: the server takes clients without a password");
                }
                out.println("ok: PING without AUTH is refused (" + refused + ")");
                if (!expect(os, in, "+OK", "AUTH", password)) {
                    return 1;
                }
            }
            String key = "quokka-check:" + UUID.randomUUID();
            String value = UUID.randomUUID().toString();
            if (!expect(os, in, "+PONG", "PING") || !expect(os, in, "+OK", "SET", key, value, "EX", "60")
                || !expect(os, in, "$" + value.length() + "\r\n" + value, "GET", key) || !expect(os, in, ":1", "DEL", key)) {
                return 1;
            }
            out.println("all checks passed");
            return 0;
        } catch (IOException e) {
            return fail(host + ":" + port + ": " + e);
        }
    }

    private boolean expect(OutputStream os, InputStream in, String want, String... command) throws IOException {
        String got = call(os, in, command);
        String shown = command[0].equals("AUTH") ? "AUTH ***" : command[0];
        if (!got.equals(want)) {
            fail(shown + " answered " + got.replace("\r\n", " ") + ", expected " + want.replace("\r\n", " "));
            return false;
        }
        out.println("ok: " + shown);
        return true;
    }

    private int fail(String why) {
        out.println("FAILED: " + why);
        return 1;
    }

    /** Sends one command and reads its reply: a line, or a bulk string with its header. */
    private static String call(OutputStream os, InputStream in, String... command) throws IOException {
        byte[][] argv = new byte[command.length][];
        for (int i = 0; i < command.length; i++) {
            argv[i] = command[i].getBytes(StandardCharsets.UTF_8);
        }
        CommandBuffer req = new CommandBuffer(256);
        req.command(argv);
        os.write(req.take());
        os.flush();
        String line = line(in);
        if (line.startsWith("$") && !line.equals("$-1")) {
            int n = Integer.parseInt(line.substring(1));
            if (n > 1 << 20) {
                throw new IOException("a bulk reply of " + n + " bytes");
            }
            byte[] body = in.readNBytes(n + 2);
            return line + "\r\n" + new String(body, 0, Math.min(n, body.length), StandardCharsets.UTF_8);
        }
        return line;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (sb.length() > 4096) {
                throw new IOException("a reply line over 4 KB");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
