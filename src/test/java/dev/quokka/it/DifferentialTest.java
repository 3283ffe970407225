package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sends the same commands to Debian's redis-server and to Quokka and compares the replies byte
 * for byte, errors included. Each scenario starts from FLUSHALL on both. Commands whose reply is
 * legitimately different (ids, times, hash order) are not in these lists; multi-key listings are
 * compared as unordered sets by prefixing the command with {@code ~}; {@code !} sends a command
 * to both without comparing (e.g. HELLO, whose reply holds the connection id).
 */
@QuarkusTest
class DifferentialTest extends QuokkaTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServerProcess();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    /** Splits on blanks; {@code ''} is the empty string and {@code _} a blank inside a word. */
    private static String[] words(String line) {
        String[] w = line.split(" ");
        for (int i = 0; i < w.length; i++) {
            w[i] = w[i].equals("''") ? "" : w[i].replace('_', ' ');
        }
        return w;
    }

    private void compare(String... script) throws Exception {
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            q.call("FLUSHALL");
            r.call("FLUSHALL");
            for (String line : script) {
                boolean unordered = line.startsWith("~");
                boolean sendOnly = line.startsWith("!");
                String[] cmd = words(unordered || sendOnly ? line.substring(1) : line);
                String expected = r.call(cmd);
                String actual = q.call(cmd);
                if (sendOnly) {
                    continue;
                }
                if (unordered) {
                    expected = sortedElements(expected);
                    actual = sortedElements(actual);
                }
                assertEquals(expected, actual, "reply to: " + line);
            }
        }
    }

    private static String sortedElements(String reply) {
        List<String> lines = new ArrayList<>(List.of(reply.split("\r\n")));
        java.util.Collections.sort(lines);
        return String.join("|", lines);
    }

    @Test
    void set() throws Exception {
        compare("SET k v", "GET k", "SET k v NX", "SET k w XX GET", "SET k v GET NX", "GET k", "SET k v EX 100",
            "TTL k", "SET k v KEEPTTL", "TTL k", "SET k v PX 0", "SET k v EX -1", "SET k v EX 9223372036854775807",
            "SET k v EX abc", "SET k v EXAT 1", "EXISTS k", "SET k v FOO", "SET k v NX XX", "SET k v EX 1 PX 1",
            "SET k v KEEPTTL EX 1", "SET k v PERSIST", "SET k v GET GET", "SET", "SET k", "set K V ex 100", "ttl K",
            "SET k v PXAT 99999999999999 GET", "SETNX k v", "SETNX n v", "SETEX k 0 v", "SETEX k 10 v", "TTL k",
            "PSETEX k -1 v", "PSETEX k abc v", "GETSET k x", "GETSET none x", "GETDEL k", "GETDEL k");
    }

    @Test
    void getex() throws Exception {
        compare("GETEX k", "SET k v", "GETEX k", "GETEX k EX 100", "TTL k", "GETEX k PERSIST", "TTL k",
            "GETEX k EX 0", "GETEX k PX -5", "GETEX k EX 10 PX 10", "GETEX k PERSIST EX 10", "GETEX k FOO",
            "GETEX k EXAT 1", "EXISTS k", "GETEX k KEEPTTL");
    }

    @Test
    void multiKey() throws Exception {
        compare("MSET a 1 b 2", "MGET a b c", "MSET a", "MSET a 1 b", "MSETNX a 1 c 3", "MSETNX c 3 d 4",
            "MGET a b c d", "EXISTS a a b x", "DEL a b x", "UNLINK c d", "MGET a b c d");
    }

    @Test
    void counters() throws Exception {
        compare("INCR n", "INCRBY n 10", "DECR n", "DECRBY n 100", "INCRBY n abc", "INCRBY n 1.5",
            "SET n 9223372036854775807", "INCR n", "SET n -9223372036854775808", "DECR n", "DECRBY n -9223372036854775808",
            "SET n 007", "INCR n", "SET n '_1'", "INCR n", "SET n 1e3", "INCR n", "SET n 12345678901234567890", "INCR n",
            "SET f 10.5", "INCRBYFLOAT f 0.1", "INCRBYFLOAT f -5", "INCRBYFLOAT f 5.0e3", "INCRBYFLOAT f 1e2",
            "INCRBYFLOAT f abc", "INCRBYFLOAT f inf", "INCRBYFLOAT f -inf", "INCRBYFLOAT new 3", "INCRBYFLOAT new -3",
            "SET f 1.5", "INCRBYFLOAT f 1.5", "INCR f", "SET s hello", "INCRBYFLOAT s 1", "INCRBYFLOAT f 0.1",
            "INCRBYFLOAT f 0.2", "SET z 0.1", "INCRBYFLOAT z 0.2", "SET y 17179869184", "INCRBYFLOAT y -1.1",
            "INCRBYFLOAT y 1e-20", "SET x 3", "INCRBYFLOAT x 1e300", "INCRBYFLOAT x -1e300", "SET w -0.5",
            "INCRBYFLOAT w 0.5", "INCRBYFLOAT w 12345678.987654321");
    }

    @Test
    void appendAndRanges() throws Exception {
        compare("APPEND s hello", "APPEND s _world", "STRLEN s", "STRLEN none", "GETRANGE s 0 4", "GETRANGE s -5 -1",
            "GETRANGE s 5 3", "GETRANGE s -100 100", "GETRANGE s -1 -5", "GETRANGE none 0 -1", "GETRANGE s a b",
            "SUBSTR s 1 3", "SETRANGE s 6 WORLD", "GET s", "SETRANGE z 5 abc", "GET z", "SETRANGE s -1 x",
            "SETRANGE e 0 ''", "EXISTS e", "SETRANGE s 0 ''", "SETRANGE s 536870912 x", "SETRANGE s abc x",
            "SET n 123", "APPEND n 4", "GET n", "SETBIT b 7 1", "GETBIT b 7", "GETBIT b 100", "GET b", "SETBIT b 0 2",
            "SETBIT b -1 1", "SETBIT b 4294967296 1", "SETBIT b 1 1", "GET b");
    }

    @Test
    void lcs() throws Exception {
        compare("MSET key1 ohmytext key2 mynewtext", "LCS key1 key2", "LCS key1 key2 LEN", "LCS key1 key2 IDX",
            "LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN", "LCS key1 key2 IDX LEN", "LCS key1 key2 FOO",
            "LCS key1 nokey", "LCS a b", "LCS key1 key2 MINMATCHLEN x");
    }

    @Test
    void keyspace() throws Exception {
        compare("SET a 1", "TYPE a", "TYPE none", "RENAME a b", "RENAME a b", "RENAME b b", "RENAMENX b b",
            "SET c 3", "RENAMENX b c", "RENAMENX b d", "~KEYS *", "KEYS d", "KEYS x*", "COPY d e", "COPY d e",
            "COPY d e REPLACE", "COPY d d", "COPY d f DB 16", "COPY d f DB x", "COPY d f FOO", "COPY d d DB 1",
            "MOVE d 1", "MOVE d 1", "MOVE e 0", "MOVE e 99", "MOVE e x", "SWAPDB 0 1", "~KEYS *", "SWAPDB 0 x",
            "SWAPDB x 0", "SWAPDB 0 16", "DBSIZE", "FLUSHDB FOO", "FLUSHDB ASYNC", "DBSIZE", "FLUSHALL SYNC",
            "RANDOMKEY", "SET only 1", "RANDOMKEY", "SCAN 0", "SCAN abc", "SCAN 0 COUNT 0", "SCAN 0 FOO",
            "SCAN 0 MATCH o* COUNT 10 TYPE string", "SCAN 0 TYPE hash", "SCAN -1 MATCH nomatch", "TOUCH only none",
            "OBJECT ENCODING only", "OBJECT ENCODING none", "OBJECT REFCOUNT only", "OBJECT FREQ only", "OBJECT FOO only",
            "OBJECT", "SET big 12345678901234567890", "OBJECT ENCODING big", "SET e ''", "OBJECT ENCODING e");
    }

    @Test
    void expiry() throws Exception {
        compare("SET k v", "EXPIRE k 100", "TTL k", "EXPIRE k 50 GT", "EXPIRE k 200 GT", "EXPIRE k 300 LT",
            "EXPIRE k 10 NX", "EXPIRE k 10 XX", "PERSIST k", "PERSIST k", "EXPIRE k 10 XX", "EXPIRE k 10 GT",
            "EXPIRE k 10 LT", "EXPIRE k 10 NX XX", "EXPIRE k 10 GT LT", "EXPIRE k 10 FOO", "EXPIRE k abc FOO",
            "EXPIRE k abc", "EXPIRE k 9223372036854775807", "PEXPIRE k 9223372036854775807", "EXPIREAT k 1",
            "EXISTS k", "SET k v", "PEXPIREAT k 99999999999999", "PEXPIRETIME k", "EXPIRETIME k", "TTL none",
            "PTTL none", "EXPIRETIME none", "EXPIRE none 10", "EXPIRE k -1", "EXISTS k", "TTL k");
    }

    @Test
    void connectionAndServer() throws Exception {
        compare("PING", "PING hello", "PING a b", "ECHO", "ECHO x", "SELECT 16", "SELECT -1", "SELECT x", "SELECT 0",
            "AUTH x", "AUTH a b", "AUTH", "HELLO 4", "HELLO abc", "HELLO 2 FOO", "HELLO 2 SETNAME a_b",
            "CLIENT SETNAME a_b", "CLIENT SETNAME ok", "CLIENT GETNAME", "CLIENT SETNAME ''", "CLIENT GETNAME",
            "CLIENT REPLY FOO", "CLIENT KILL 1.2.3.4:5", "CLIENT KILL ID 999999", "CLIENT KILL FOO bar",
            "CLIENT LIST ID abc", "CLIENT LIST TYPE foo", "CLIENT NO-EVICT x", "CLIENT", "CLIENT FOO", "CONFIG",
            "CONFIG FOO", "CONFIG GET", "CONFIG SET a", "CONFIG SET foo bar", "CONFIG SET databases 4",
            "CONFIG SET maxmemory abc", "CONFIG SET hz abc", "CONFIG SET appendfsync foo",
            "CONFIG SET appendfsync foo", "CONFIG GET maxmemory", "CONFIG GET maxmemory-policy",
            "CONFIG SET maxmemory 1mb", "CONFIG GET maxmemory", "CONFIG SET maxmemory 0", "CONFIG GET hz",
            "CONFIG GET list-max-ziplist-size", "CONFIG GET nosuch", "COMMAND GETKEYS", "COMMAND GETKEYS get",
            "COMMAND GETKEYS foo a", "COMMAND GETKEYS ping x", "COMMAND GETKEYS set a b", "COMMAND GETKEYS mset a b c d",
            "COMMAND GETKEYS set a", "COMMAND INFO nosuch", "COMMAND FOO", "DEBUG foo", "FUNCTION FOO",
            "FUNCTION FLUSH", "FUNCTION FLUSH FOO", "OBJECT HELP", "NOSUCH", "NOSUCH a b", "get", "GET a b",
            "INFO nosuchsection", "DBSIZE", "LASTSAVE x", "TIME x", "PUBLISH", "PUBLISH c m", "PUBSUB FOO",
            "PUBSUB NUMSUB", "PUBSUB NUMSUB a", "PUBSUB NUMPAT x", "UNSUBSCRIBE", "PUNSUBSCRIBE",
            "SUBSCRIBE a b", "PING", "PING x", "GET k", "PSUBSCRIBE a*", "PUBSUB NUMPAT", "UNSUBSCRIBE a",
            "PUNSUBSCRIBE a*", "UNSUBSCRIBE", "GET k", "RESET", "GET k",
            "CLIENT TRACKING on REDIRECT 99999", "CLIENT TRACKING on PREFIX a", "CLIENT TRACKING on OPTIN OPTOUT",
            "CLIENT TRACKING on BCAST OPTIN", "CLIENT TRACKING on FOO", "CLIENT TRACKING maybe",
            "CLIENT TRACKING on REDIRECT x", "CLIENT CACHING yes", "CLIENT GETREDIR", "CLIENT TRACKINGINFO",
            "CLIENT TRACKING on OPTIN", "CLIENT CACHING no", "CLIENT CACHING maybe", "CLIENT CACHING yes",
            "CLIENT TRACKINGINFO", "CLIENT TRACKING on BCAST", "CLIENT TRACKING on OPTOUT", "CLIENT GETREDIR",
            "CLIENT TRACKING off", "CLIENT TRACKING on BCAST PREFIX FOO PREFIX FOOBAR",
            "CLIENT TRACKING on BCAST PREFIX a PREFIX b NOLOOP", "CLIENT TRACKINGINFO",
            "CLIENT TRACKING on BCAST PREFIX ab", "CLIENT TRACKING on", "CLIENT TRACKING off");
    }

    @Test
    void resp3Replies() throws Exception {
        compare("!HELLO 3 SETNAME x", "CLIENT GETNAME", "COMMAND INFO nosuch", "GET none", "SET k v", "GET k", "CONFIG GET hz", "MGET k none",
            "LCS k k IDX", "PUBSUB NUMSUB a b", "PUBSUB CHANNELS", "PUBSUB NUMPAT", "SET f 1.5", "INCRBYFLOAT f 1", "COMMAND GETKEYS get k", "RESET", "GET none");
    }
}
