package dev.quokka.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server as users run it: {@code bin/quokka} (the launcher the README names) with
 * redis-server style arguments, in its own working directory, its output in {@code server.log}
 * (appended across restarts). For the integration tests, which run after {@code package}.
 */
final class QuokkaProcess implements AutoCloseable {
    final Path dir;
    final int port;
    private final Process process;

    private QuokkaProcess(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts the server without waiting for it (port is -1 when the arguments don't set it). */
    static QuokkaProcess launch(Path dir, String... args) throws IOException {
        return launch(dir, java.util.Map.of(), args);
    }

    /** As {@link #launch(Path, String...)}, with more environment variables. */
    static QuokkaProcess launch(Path dir, java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("quokka.launcher", "bin/quokka")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        // -Dquokka.extraJavaOpts on the Maven command line adds flags to every server a test starts,
        // e.g. "-Xlog:gc:file=/tmp/gc%p.log:time" to see which collection a latency probe met.
        pb.environment().put("QUOKKA_JAVA_OPTS", "-Dquarkus.http.port=0 -Xmx512m " + System.getProperty("quokka.extraJavaOpts", ""));
        pb.environment().putAll(env);
        int port = cmd.indexOf("--port") > 0 ? Integer.parseInt(cmd.get(cmd.indexOf("--port") + 1)) : -1;
        return new QuokkaProcess(dir, port, pb.start());
    }

    /** Starts the server on a free port with these arguments and waits until it answers PING. */
    static QuokkaProcess start(Path dir, String... args) throws Exception {
        return start(dir, java.util.Map.of(), args);
    }

    /** As {@link #start(Path, String...)}, with more environment variables. */
    static QuokkaProcess start(Path dir, java.util.Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(RedisServerProcess.freePort())));
        all.addAll(List.of(args));
        QuokkaProcess q = launch(dir, env, all.toArray(new String[0]));
        q.awaitPing();
        return q;
    }

    /** GETs a path of the HTTP listener (its port read from the log: tests start it on port 0). */
    java.net.http.HttpResponse<String> health(String path) throws Exception {
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("Listening on: http://[^:]+:(\\d+)");
        long deadline = System.currentTimeMillis() + 30_000;
        java.util.regex.Matcher m = listening.matcher(log());
        while (!m.find()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no HTTP port in the log");
            }
            Thread.sleep(10);
            m = listening.matcher(log());
        }
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + m.group(1) + path)).build();
        return java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until PING gets PONG (not -LOADING). */
    void awaitPing() throws Exception {
        try {
            RawClient.awaitPong(port, process, 60_000, "quokka");
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + ":\n" + log(), e);
        }
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("server.log"));
    }

    Process process() {
        return process;
    }

    /** kill -9: no shutdown hook, no flush (and of bin/quokka's training start, if it is still in it). */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit. */
    boolean terminate(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
