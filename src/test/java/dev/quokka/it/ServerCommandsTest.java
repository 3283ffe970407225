package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ServerCommandsTest extends QuokkaTest {
    @Test
    void infoHasRedisFieldsAndSections() {
        String info = jedis.info();
        for (String field : List.of("# Server", "redis_version:7.0.15", "redis_mode:standalone", "tcp_port:" + port(),
            "# Clients", "connected_clients:", "blocked_clients:0", "# Memory", "used_memory:", "maxmemory:0",
            "maxmemory_policy:noeviction", "# Persistence", "loading:0", "aof_enabled:0", "# Stats",
            "total_commands_processed:", "expired_keys:", "keyspace_hits:", "# Replication", "role:master", "# CPU",
            "# Errorstats", "# Cluster", "cluster_enabled:0", "# Keyspace", "quokka_version:", "quokka_build_type:jvm")) {
            assertTrue(info.contains(field), "INFO lacks " + field);
        }
        assertTrue(!info.contains("# Commandstats"));
        jedis.set("k", "v");
        jedis.setex("t", 100, "v");
        assertTrue(jedis.info("keyspace").contains("db0:keys=2,expires=1,avg_ttl="));
        assertTrue(jedis.info("commandstats").contains("cmdstat_set:calls="));
        assertEquals("", jedis.info("nosuchsection"));
    }

    /** Rates are sampled every 100 ms over 16 samples, as Redis does; a busy second shows up. */
    @Test
    void instantaneousOpsPerSec() throws Exception {
        long deadline = System.currentTimeMillis() + 2000;
        while (System.currentTimeMillis() < deadline) {
            call("PING");
        }
        long ops = 0;
        for (String line : jedis.info("stats").split("\r\n")) {
            if (line.startsWith("instantaneous_ops_per_sec:")) {
                ops = Long.parseLong(line.substring(line.indexOf(':') + 1));
            }
        }
        assertTrue(ops > 100, "instantaneous_ops_per_sec " + ops);
        assertTrue(!jedis.info("stats").contains("total_reads_processed:0\r\n"));
    }

    @Test
    void errorstatsCountErrorCodes() throws Exception {
        call("CONFIG", "RESETSTAT");
        call("nosuch");
        call("GET");
        assertTrue(jedis.info("errorstats").contains("errorstat_ERR:count=2"));
        assertTrue(jedis.info("stats").contains("total_error_replies:2"));
    }

    @Test
    void configGetSet() throws Exception {
        assertEquals("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", call("CONFIG", "GET", "maxmemory"));
        assertEquals(OK, call("CONFIG", "SET", "maxmemory", "1mb"));
        assertEquals("*2\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n", call("CONFIG", "GET", "maxmemory"));
        assertEquals(OK, call("CONFIG", "SET", "maxmemory", "0"));
        assertEquals(err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"), call("CONFIG", "SET", "foo", "bar"));
        assertEquals(err("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
            call("CONFIG", "SET", "databases", "4"));
        assertEquals(err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"),
            call("CONFIG", "SET", "maxmemory", "lots"));
        assertEquals(err("ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no"),
            call("CONFIG", "SET", "appendfsync", "sometimes"));
        assertEquals("*4\r\n$22\r\nlist-max-listpack-size\r\n$2\r\n-2\r\n$21\r\nlist-max-ziplist-size\r\n$2\r\n-2\r\n",
            call("CONFIG", "GET", "list-max-*-size"));
        assertEquals(OK, call("CONFIG", "SET", "hz", "1000"));
        assertEquals("*2\r\n$2\r\nhz\r\n$3\r\n500\r\n", call("CONFIG", "GET", "hz"));
        assertEquals(OK, call("CONFIG", "SET", "hz", "10"));
        assertEquals(OK, call("CONFIG", "SET", "save", ""));
    }

    @Test
    void commandIntrospection() throws Exception {
        assertTrue(Integer.parseInt(call("COMMAND", "COUNT").trim().substring(1)) > 60);
        String get = call("COMMAND", "INFO", "get");
        assertTrue(get.startsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"), get);
        assertEquals("*1\r\n$-1\r\n", call("COMMAND", "INFO", "nosuch"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nc\r\n", call("COMMAND", "GETKEYS", "MSET", "a", "b", "c", "d"));
        assertEquals(err("ERR Invalid command specified"), call("COMMAND", "GETKEYS", "nosuch", "a"));
        assertEquals(err("ERR The command has no key arguments"), call("COMMAND", "GETKEYS", "ping", "a"));
        String docs = call("COMMAND", "DOCS", "set");
        assertTrue(docs.contains("$7\r\nsummary\r\n") && docs.contains("$9\r\narguments\r\n") && docs.contains("+optional\r\n"), docs);
        assertTrue(call("COMMAND", "LIST").contains("$10\r\nconfig|get\r\n"));
        assertTrue(call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string").contains("$6\r\nappend\r\n"));
    }

    @Test
    void debugIsDisabledFunctionFlushSucceeds() throws Exception {
        assertTrue(call("DEBUG", "LOG", "x").startsWith("-ERR DEBUG command not allowed."));
        assertEquals(OK, call("FUNCTION", "FLUSH"));
        assertEquals(OK, call("FUNCTION", "FLUSH", "ASYNC"));
        String time = call("TIME");
        assertTrue(time.startsWith("*2\r\n$10\r\n"), time);
    }
}
