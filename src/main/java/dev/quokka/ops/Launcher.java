package dev.quokka.ops;

import dev.quokka.config.LaunchArguments;
import dev.quokka.config.ServerConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -jar quarkus-run.jar [redis.conf] [--name value ...]}: takes redis-server's
 * arguments, then runs Quarkus until SIGTERM or SHUTDOWN. Before Quarkus starts it does what
 * redis-server does before it listens, so that tools written for redis-server (Redis's own test
 * harness among them) can start Quokka the same way: the {@code pidfile} (removed at exit). The
 * logo comes once the port is bound ({@code RespServer}), as in Redis. {@code --check HOST PORT}
 * makes it a client that checks a server instead ({@link ConnectionCheck}).
 */
@QuarkusMain
public final class Launcher {
    private Launcher() {
    }

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("--check")) {
            // A client, not a server: quokka --check HOST PORT (password in REDISCLI_AUTH).
            if (args.length != 3 || !args[2].matches("[0-9]{1,5}")) {
                System.err.println("Usage: quokka --check HOST PORT (the password, if any, in REDISCLI_AUTH)");
                System.exit(2);
            }
            System.exit(ConnectionCheck.run(args[1], Integer.parseInt(args[2]), System.getenv("REDISCLI_AUTH"), System.out));
            return;
        }
        Map<String, String> parsed;
        try {
            parsed = LaunchArguments.parse(args);
            ServerConfig.check(parsed);
            LaunchArguments.set(parsed, LaunchArguments.configFileOf(args));
        } catch (Exception e) {
            System.err.println("*** FATAL CONFIG FILE ERROR (Quokka) ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        writePidFile(parsed, ProcessHandle.current().pid());
        keepManagementPortFree();
        Quarkus.run(args);
    }

    /**
     * Writes the process id where {@code pidfile} says (relative to {@code dir}, as redis-server
     * resolves it after changing into {@code dir}). As in Redis, a file that cannot be written is
     * a warning, not a reason to stop.
     */
    private static void writePidFile(Map<String, String> parsed, long pid) {
        String name = parsed.get("pidfile");
        if (name == null || name.isEmpty()) {
            return;
        }
        Path file = Path.of(parsed.getOrDefault("dir", ".")).resolve(name);
        try {
            Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // best effort, as Redis's unlink at shutdown
                }
            }));
        } catch (IOException e) {
            System.err.println("Failed to write PID file: " + e);
        }
    }

    /**
     * The health and metrics endpoints listen on 8080 unless configured otherwise. When that port
     * is taken (a second server on the same host, started as one starts a second redis-server with
     * another port) they move to a free port instead of stopping the server; the log names it.
     */
    private static void keepManagementPortFree() {
        if (System.getProperty("quarkus.http.port") != null || System.getenv("QUARKUS_HTTP_PORT") != null) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 8080));
        } catch (IOException busy) {
            System.setProperty("quarkus.http.port", "0");
            System.err.println("Port 8080 (health and metrics) is in use: serving them on a free port instead");
        }
    }
}
