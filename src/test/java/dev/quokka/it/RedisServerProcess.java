package dev.quokka.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real redis-server (Debian's 7.0.15) started on a free loopback port for comparison tests. */
public final class RedisServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    public RedisServerProcess() throws Exception {
        this(Files.createTempDirectory("redis-ref"), "--appendonly", "no");
    }

    /** A redis-server working in {@code dir}, with more directives (they override the defaults). */
    public RedisServerProcess(Path dir, String... directives) throws Exception {
        port = freePort();
        this.dir = dir;
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("redis-server", "--port",
            Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString()));
        cmd.addAll(java.util.List.of(directives));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("redis.log").toFile());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is needed for the differential tests "
                + "(apt-get install redis-server; .ci/run installs it)", e);
        }
        RawClient.awaitPong(port, process, 60_000, "redis-server (see " + dir.resolve("redis.log") + ")");
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
    }
}
