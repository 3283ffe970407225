package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives Debian's redis-cli through the README's session. */
@QuarkusTest
class RedisCliTest extends QuokkaTest {
    private String cli(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void readmeSession() throws Exception {
        assertEquals("PONG\n", cli(null, "PING"));
        assertEquals("OK\n", cli(null, "SET", "greeting", "hello"));
        assertEquals("hello\n", cli(null, "GET", "greeting"));
        assertEquals("OK\n", cli(null, "SET", "session", "abc", "EX", "10"));
        assertEquals("10\n", cli(null, "TTL", "session"));
        assertEquals("2\n", cli(null, "EXISTS", "greeting", "session", "missing"));
        assertEquals("1\n", cli(null, "DEL", "greeting"));
        String info = cli(null, "INFO");
        assertTrue(info.contains("redis_version:7.0.15"), info);
        assertTrue(info.contains("db0:keys=1,expires=1"), info);
    }

    @Test
    void pipedCommandsAndErrors() throws Exception {
        String out = cli("SET a 1\nINCR a\nGET a\nNOSUCH x\nGET\n");
        // redis-cli follows an error with an empty line, as it does against redis-server
        assertEquals("OK\n2\n2\nERR unknown command 'NOSUCH', with args beginning with: 'x' \n\n"
            + "ERR wrong number of arguments for 'get' command\n\n", out);
    }

    /** redis-cli reads COMMAND DOCS to build its help; the help text comes from our command table. */
    @Test
    void helpFromCommandDocs() throws Exception {
        String out = cli("HELP SET\n").replaceAll("\u001b\\[[0-9;]*m", "");
        assertTrue(out.contains("SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|"
            + "PXAT unix-time-milliseconds|KEEPTTL]"), out);
        assertTrue(out.contains("summary: Set the string value of a key"), out); // Redis 7.0's wording
        assertTrue(!out.contains("Unknown type"), out);
        assertTrue(out.contains("group: string"), out);
    }
}
