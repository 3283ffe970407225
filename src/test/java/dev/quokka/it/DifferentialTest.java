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
                boolean timed = line.startsWith("@");
                String[] cmd = words(unordered || sendOnly || timed ? line.substring(1) : line);
                String expected = r.call(cmd);
                String actual = q.call(cmd);
                if (sendOnly) {
                    continue;
                }
                if (unordered) {
                    expected = sortedElements(expected);
                    actual = sortedElements(actual);
                }
                if (timed) {
                    expected = withoutClockTimes(expected);
                    actual = withoutClockTimes(actual);
                }
                assertEquals(expected, actual, "reply to: " + line);
            }
        }
    }

    /**
     * Integer replies within a minute of now, as Unix milliseconds, become {@code :<now>}: the two servers
     * stamp deliveries and consumers a millisecond or two apart.
     */
    private static String withoutClockTimes(String reply) {
        long now = System.currentTimeMillis();
        List<String> lines = new ArrayList<>();
        for (String line : reply.split("\r\n", -1)) {
            boolean clock = line.matches(":\\d{13}") && Math.abs(Long.parseLong(line.substring(1)) - now) < 60_000;
            lines.add(clock ? ":<now>" : line);
        }
        return String.join("\r\n", lines);
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
            "INCRBYFLOAT y 1e-20", "INCRBYFLOAT t 1e-400000", "INCRBYFLOAT t 1e400000", "INCRBYFLOAT t 1e5000",
            "INCRBYFLOAT t 1e-4960", "SET t 1e-400000", "INCRBYFLOAT t 1", "SET x 3", "INCRBYFLOAT x 1e300", "INCRBYFLOAT x -1e300", "SET w -0.5",
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
    void bitmaps() throws Exception {
        compare("SET s foobar", "BITCOUNT s", "BITCOUNT s 1 1", "BITCOUNT s 5 30 BIT", "BITCOUNT s -3 -1 BIT",
            "BITCOUNT s -1 -3", "BITCOUNT s 0", "BITCOUNT s 0 1 foo", "BITCOUNT s a 1", "BITCOUNT s 0 1000 bit",
            "BITCOUNT none", "LPUSH l a", "BITCOUNT l", "BITPOS l 1", "BITPOS none 1", "BITPOS none 0", "BITPOS s 2",
            "BITPOS s a", "SETBIT f 23 0", "BITPOS f 1", "BITPOS f 0", "SETBIT f 3 1", "SETBIT f 9 1", "BITPOS f 1 1",
            "BITPOS f 0 0 0", "BITPOS f 1 7 15 bit", "BITPOS f 0 4 11 bit", "BITPOS f 1 -3 -1 BIT", "BITPOS f 0 1 2 foo",
            "BITPOS f 0 1 2 3 4", "SET ones ~~~~~~~~~~", "SETBIT ones 0 1", "SETBIT ones 79 1", "BITPOS ones 0",
            "BITPOS ones 0 0 -1", "BITPOS ones 0 9 70 bit", "BITOP AND dest s f", "GET dest", "BITOP OR dest s f ones",
            "GET dest", "BITOP XOR dest s ones", "GET dest", "BITOP NOT dest s", "GET dest", "BITOP NOT dest s f",
            "BITOP FOO dest s", "BITOP AND dest none none2", "EXISTS dest", "BITOP AND dest l s",
            "BITFIELD bf SET i8 0 100 GET i8 0", "BITFIELD bf INCRBY i8 0 100 INCRBY i8 0 100",
            "BITFIELD bf OVERFLOW SAT INCRBY i8 0 100 INCRBY u8 8 300 INCRBY u8 8 -1000",
            "BITFIELD bf OVERFLOW FAIL INCRBY i8 0 100 INCRBY u2 100 1 GET u2 100",
            "BITFIELD bf SET u8 #1 255 GET u8 #1 GET i64 0 GET u63 0 GET i5 3", "BITFIELD bf SET u64 0 1",
            "BITFIELD bf SET i65 0 1", "BITFIELD bf SET x8 0 1", "BITFIELD bf SET i8 -1 1", "BITFIELD bf SET i8 0 abc",
            "BITFIELD bf GET i8", "BITFIELD bf FOO", "BITFIELD bf OVERFLOW FOO", "BITFIELD bf", "BITFIELD none GET u8 0",
            "EXISTS none", "BITFIELD_RO bf GET u8 0 GET i4 4", "BITFIELD_RO bf SET u8 0 1",
            "BITFIELD bf SET i64 0 -9223372036854775808 INCRBY i64 0 -1 OVERFLOW SAT INCRBY i64 0 -1",
            "BITFIELD bf OVERFLOW SAT SET u8 0 -5 GET u8 0 SET i8 0 200 GET i8 0", "BITFIELD bf SET i8 #536870912 1",
            "BITFIELD bf OVERFLOW WRAP SET i8 0 200 INCRBY i3 1 10 GET u16 0", "GET bf", "BITFIELD l GET u8 0",
            "BITFIELD new OVERFLOW FAIL SET u2 0 10", "GET new");
    }

    @Test
    void sort() throws Exception {
        compare("RPUSH l 3 1 2 10 -1.5 2", "SORT l", "SORT l DESC", "SORT l ALPHA DESC", "SORT l LIMIT 1 2",
            "SORT l LIMIT -1 2", "SORT l LIMIT 2 -1", "SORT l LIMIT 10 2", "SORT l LIMIT a 2", "SORT l LIMIT 1",
            "SORT l BY nosort", "SORT l BY nosort DESC LIMIT 1 3", "SORT l FOO", "SORT_RO l STORE x", "SORT l STORE dst",
            "LRANGE dst 0 -1", "MSET w_3 30 w_1 10 w_2 20 w_10 5", "SORT l BY w_*", "SORT l BY w_* DESC GET # GET w_*",
            "SORT l GET nostar", "HSET h_1 f a h_2 f b h_3 f c", "SORT l BY h_*->f ALPHA GET h_*->f GET #",
            "SORT l BY h_*->f GET h_*->", "RPUSH bad a 1 b", "SORT bad", "SORT bad BY nosort", "SADD s 5 3 9 1",
            "SORT s DESC LIMIT 0 2", "SORT s BY nosort STORE d2", "LRANGE d2 0 -1", "ZADD z 1 c 2 b 3 a", "SORT z ALPHA",
            "SORT z BY nosort DESC", "SORT z BY nosort DESC LIMIT 1 5", "SORT z", "SET str x", "SORT str", "SORT none",
            "SORT none STORE d3", "EXISTS d3", "SORT l STORE d4 GET none_*", "LRANGE d4 0 -1", "SORT l STORE str",
            "TYPE str", "COMMAND GETKEYS SORT a STORE b LIMIT 0 1 STORE c", "COMMAND GETKEYS SORT a BY store GET store",
            "COMMAND GETKEYS SORT_RO a BY x", "RPUSH sp _1 '' 0x10 inf -inf", "SORT sp", "RPUSH nan nan", "SORT nan");
    }

    @Test
    void geo() throws Exception {
        compare("GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
            "GEOADD Sicily CH XX 13.361389 38.115556 Palermo", "GEOADD Sicily NX XX 1 1 a", "GEOADD Sicily 1 1",
            "GEOADD Sicily 200 1 a", "GEOADD Sicily 1 86 a", "GEOADD Sicily abc 1 a", "GEOADD Sicily CH 13.5 38.2 Palermo",
            "GEODIST Sicily Palermo Catania", "GEODIST Sicily Palermo Catania mi", "GEODIST Sicily Palermo Catania foo",
            "GEODIST Sicily Palermo Catania km x", "GEODIST Sicily Palermo nope", "GEODIST none a b",
            "GEOHASH Sicily Palermo Catania nope", "GEOPOS Sicily Palermo Catania NonExisting", "GEOPOS none a",
            "GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD WITHHASH", "GEORADIUS Sicily 15 37 200 km WITHDIST DESC",
            "GEORADIUS Sicily 15 37 200 km COUNT 1", "GEORADIUS Sicily 15 37 200 km ANY", "GEORADIUS Sicily 15 37 200 km COUNT 0",
            "GEORADIUS Sicily 15 37 -1 km", "GEORADIUS Sicily 15 37 x km", "GEORADIUS Sicily 15 37 1 lightyears",
            "GEORADIUS Sicily 15 37 200 km STORE dst WITHDIST", "GEORADIUS Sicily 15 37 200 km STOREDIST dst",
            "ZRANGE dst 0 -1 WITHSCORES", "GEORADIUS_RO Sicily 15 37 200 km STORE dst",
            "GEORADIUSBYMEMBER Sicily Palermo 200 km WITHDIST", "GEORADIUSBYMEMBER Sicily nope 200 km",
            "GEORADIUSBYMEMBER none nope 200 km STORE dst", "EXISTS dst",
            "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km ASC WITHCOORD WITHDIST", "GEOSEARCH Sicily FROMLONLAT 15 37",
            "GEOSEARCH Sicily BYRADIUS 200 km", "GEOSEARCH Sicily FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 200 km",
            "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX -1 1 km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km STORE x",
            "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST", "ZRANGE dst 0 -1 WITHSCORES",
            "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST", "SET str x",
            "GEOSEARCH str FROMMEMBER x BYRADIUS 1 km", "COMMAND GETKEYS GEORADIUS a 1 2 3 km STORE b STOREDIST c",
            "GEOADD pts -0.1 51.5 london 151.2 -33.9 sydney 179.9 0.1 e1 -179.9 0.1 e2 0 85 north 0 -85 south",
            "GEOSEARCH pts FROMLONLAT 180 0 BYRADIUS 100 km ASC WITHDIST",
            "GEOSEARCH pts FROMLONLAT 0 84 BYRADIUS 500 km ASC WITHDIST WITHCOORD WITHHASH",
            "GEOSEARCH pts FROMLONLAT 0 -50 BYBOX 10000 10000 km ASC WITHDIST COUNT 3", "GEODIST pts e1 e2",
            "ZADD weird -5 w1 1e20 w2", "GEOPOS weird w1 w2", "!HELLO 3", "GEOPOS Sicily Palermo", "GEODIST Sicily Palermo Catania");
    }

    @Test
    void hyperLogLog() throws Exception {
        compare("PFADD h a b c d e f g", "GET h", "PFCOUNT h", "GET h", "PFADD h a", "PFADD h", "PFADD new", "GET new",
            "PFCOUNT new", "PFCOUNT none", "PFADD h2 x y z a", "PFCOUNT h h2 none", "PFMERGE m h h2", "GET m", "PFCOUNT m",
            "PFDEBUG ENCODING m", "PFDEBUG DECODE m", "PFDEBUG GETREG none", "PFDEBUG FOO m", "PFDEBUG TODENSE m",
            "PFDEBUG TODENSE m", "PFDEBUG ENCODING m", "PFDEBUG DECODE m", "PFADD m q", "PFCOUNT m", "SET s foo",
            "PFADD s a", "PFCOUNT s", "PFCOUNT s h", "PFMERGE s h", "LPUSH l a", "PFADD l a", "PFCOUNT l h",
            "SET bad HYLL", "PFCOUNT bad", "PFADD bad x");
    }

    /**
     * Raw requests: a rejected EXEC aborting its transaction; cross-protocol requests closed without
     * a reply; an inline request with a NUL byte, which redis-server never sees the end of (it
     * looks for the newline as a C string), answered only by the inline limit's protocol error.
     */
    @Test
    void protocolEdges() throws Exception {
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            for (String request : List.of("MULTI\r\n", "SET a 1\r\n", "EXEC junk\r\n", "EXEC\r\n", "GET a\r\n",
                "EXEC junk\r\n", "MULTI\r\n", "FOO\r\n", "EXEC x\r\n")) {
                r.send(request);
                q.send(request);
                assertEquals(r.readReply(), q.readReply(), "reply to: " + request);
            }
        }
        for (String attack : List.of("POST / HTTP/1.1\r\n", "Host: example.com\r\n")) {
            try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
                r.send(attack);
                q.send(attack);
                assertEquals(r.closedByServer(), q.closedByServer(), attack);
                org.junit.jupiter.api.Assertions.assertTrue(q.closedByServer(), attack);
            }
        }
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            byte[] nul = "PI\u0000NG\r\nPING\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            r.send(nul);
            q.send(nul);
            assertEquals(r.closedByServer(), q.closedByServer(), "no reply and no close yet");
            byte[] filler = new byte[70_000];
            java.util.Arrays.fill(filler, (byte) 'x');
            r.send(filler);
            q.send(filler);
            assertEquals(r.readReply(), q.readReply(), "past the inline limit");
        }
    }

    @Test
    void diagnostics() throws Exception {
        compare("SLOWLOG HELP", "SLOWLOG GET -2", "SLOWLOG GET x", "SLOWLOG GET 1 2", "SLOWLOG FOO", "SLOWLOG LEN x",
            "LATENCY HELP", "LATENCY HISTORY", "LATENCY HISTORY none", "LATENCY FOO", "LATENCY RESET none",
            "LATENCY HISTOGRAM nosuchcommand", "LOLWUT", "LOLWUT VERSION x", "CLIENT PAUSE", "CLIENT PAUSE x",
            "CLIENT PAUSE -1", "CLIENT PAUSE 10 FOO", "CLIENT PAUSE 10 WRITE x", "CLIENT UNPAUSE x", "CLIENT UNPAUSE",
            "MONITOR x", "MULTI", "MONITOR", "EXEC", "MODULE LIST", "MODULE HELP", "MODULE LOAD /x.so", "MODULE UNLOAD x",
            "READONLY", "READWRITE", "ASKING", "CLUSTER INFO", "CLUSTER HELP", "CLUSTER FOO", "WAIT 0 0", "WAIT 1 50",
            "WAIT x 1", "WAIT 1 -1", "COMMAND GETKEYSANDFLAGS LMOVE a b LEFT RIGHT", "COMMAND GETKEYSANDFLAGS SET a b GET",
            "COMMAND GETKEYSANDFLAGS SET a b", "COMMAND GETKEYSANDFLAGS SORT a STORE b",
            "COMMAND GETKEYSANDFLAGS ZUNIONSTORE d 2 a b", "COMMAND GETKEYSANDFLAGS ZUNIONSTORE d x a b",
            "COMMAND GETKEYS ZUNIONSTORE d x a b", "COMMAND GETKEYSANDFLAGS BITFIELD k GET u8 0 SET u8 0 1",
            "COMMAND GETKEYSANDFLAGS GEORADIUS a 1 2 3 km STORE b", "COMMAND GETKEYSANDFLAGS BLMPOP 0 2 a b LEFT",
            "COMMAND GETKEYSANDFLAGS SPUBLISH a b", "COMMAND GETKEYSANDFLAGS PING", "COMMAND GETKEYSANDFLAGS GET");
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

    @Test
    void lists() throws Exception {
        compare("LPUSH l a b c", "RPUSH l d e", "LRANGE l 0 -1", "LRANGE l -100 100", "LRANGE l 3 1", "LRANGE l x 1",
            "LLEN l", "LLEN none", "LINDEX l 0", "LINDEX l -1", "LINDEX l 99", "LINDEX l x", "LSET l 1 B", "LSET l 99 x",
            "LSET none 0 x", "LINSERT l BEFORE B x", "LINSERT l AFTER e y", "LINSERT l AFTER nope y", "LINSERT l MIDDLE a b",
            "LINSERT none BEFORE a b", "LRANGE l 0 -1", "RPUSH l a a a", "LREM l 2 a", "LREM l -1 a", "LREM l 0 zz",
            "LPOS l a", "LPOS l a RANK -1", "LPOS l a COUNT 0", "LPOS l a RANK 0", "LPOS l a COUNT -1", "LPOS l a MAXLEN -1",
            "LPOS l a MAXLEN 2", "LPOS l a FOO 1", "LPOS l a RANK", "LPOS none a", "LPOS none a COUNT 2",
            "LPOP l", "RPOP l 2", "LPOP l 0", "LPOP l -1", "LPOP l x", "LPOP l 1 2", "LPOP none", "LPOP none 2",
            "LTRIM l 1 -2", "LRANGE l 0 -1", "LTRIM l 5 1", "EXISTS l", "LPUSHX l a", "RPUSHX l a", "RPUSH l 1 2 3",
            "LMOVE l l2 LEFT RIGHT", "LMOVE l l2 RIGHT LEFT", "LMOVE l l2 UP LEFT", "RPOPLPUSH l l2", "RPOPLPUSH l l2",
            "EXISTS l", "LRANGE l2 0 -1", "LMOVE l2 l2 LEFT RIGHT", "LRANGE l2 0 -1", "LMPOP 2 none l2 RIGHT COUNT 2",
            "LMPOP 1 none LEFT", "LMPOP 0 l2 LEFT", "LMPOP 2 l2 LEFT", "LMPOP 1 l2 MIDDLE", "LMPOP 1 l2 LEFT COUNT 0",
            "LMPOP 1 l2 LEFT COUNT 1 COUNT 2", "SET s x", "LPUSH s a", "LRANGE s 0 1", "LMOVE s l2 LEFT LEFT",
            "LMOVE l2 s LEFT LEFT", "BLPOP l2 0", "BLPOP l2 -1", "BLPOP l2 x", "BLPOP l2 1e20", "BLPOP l2 inf",
            "BRPOP s 0", "OBJECT ENCODING l2", "TYPE l2", "COPY l2 l3", "LRANGE l3 0 -1", "RENAME l3 l4", "TYPE l4",
            "DEL l4", "EXISTS l4");
    }

    @Test
    void streams() throws Exception {
        compare("XADD s 1-1 a 1 b 2", "XADD s 1-* a 3 b 4", "XADD s 2 c 5", "XADD s 2-0 x y", "XADD s 1-5 x y",
            "XADD s 0-0 x y", "XADD s abc x y", "XADD s 3-0 x", "XADD s 3-0", "XADD s NOMKSTREAM 3-0 x y",
            "XADD none NOMKSTREAM * x y", "EXISTS none", "XADD s MAXLEN -1 3-0 x y", "XADD s MAXLEN ~ x 3-0 x y",
            "XADD s MAXLEN 10 MINID 1 3-0 x y", "XADD s LIMIT 10 3-0 x y", "XADD s MAXLEN 10 LIMIT 5 3-0 x y",
            "XADD s MAXLEN 10 LIMIT -1 3-0 x y", "XADD s - x y", "XADD s + x y", "XADD s 18446744073709551616-0 x y",
            "XADD s 00003-0001 x y", "XADD s 4-18446744073709551615 x y", "XADD s 4-* x y", "XADD s MINID = 1-2 5-0 f v",
            "XRANGE s - +", "XRANGE s - + COUNT 2", "XRANGE s - + COUNT 0", "XRANGE s - + COUNT -1", "XRANGE s (1-1 +",
            "XRANGE s - (3", "XRANGE s 2 2", "XRANGE s 3 1", "XRANGE s (- +", "XRANGE s - (+", "XRANGE s (0-0 +",
            "XRANGE s - (18446744073709551615-18446744073709551615", "XRANGE s x +", "XRANGE s - + COUNT", "XRANGE s - + FOO 1",
            "XRANGE none - +", "XREVRANGE s + -", "XREVRANGE s + - COUNT 1", "XREVRANGE s (5 (1-2",
            "XLEN s", "XLEN none", "XDEL s 3-0 9-9", "XDEL s x", "XDEL none 1-1", "XLEN s",
            "XTRIM s MAXLEN 2", "XRANGE s - +", "XTRIM s", "XTRIM s FOO 1", "XTRIM s MAXLEN ~ 0", "XTRIM s MINID 5",
            "XTRIM s MAXLEN 1 LIMIT 1", "XTRIM none MAXLEN 0", "XINFO STREAM s", "XSETID s 1-0", "XSETID s 9-0",
            "XSETID s 9-0 ENTRIESADDED 1", "XSETID s 10-0 ENTRIESADDED 50 MAXDELETEDID 11-0",
            "XSETID s 10-0 ENTRIESADDED 50 MAXDELETEDID 9-0", "XSETID none 1-1", "XSETID s 10-0 FOO", "XINFO STREAM s",
            "XADD s 9-9 a b", "SET str x", "XADD str * a b", "XRANGE str - +", "XLEN str", "XINFO STREAM str",
            "XINFO STREAM none", "XINFO STREAM s FULL COUNT", "XINFO STREAM s FOO", "XINFO HELP", "XINFO FOO s",
            "TYPE s", "OBJECT ENCODING s", "COPY s s2", "XRANGE s2 - +", "XTRIM s MAXLEN 0", "EXISTS s", "XINFO STREAM s",
            // bad and extreme input: huge counts and lengths, the largest id, an exhausted stream
            "XADD s MAXLEN 9223372036854775807 20-0 a b", "XADD s MAXLEN 99999999999999999999 21-0 a b",
            "XRANGE s2 - + COUNT 9223372036854775807", "XREVRANGE s2 + - COUNT 9223372036854775807",
            "XREAD COUNT 9223372036854775807 STREAMS s2 0", "XTRIM s2 MAXLEN ~ 9223372036854775807 LIMIT 9223372036854775807",
            "XADD big 18446744073709551615-18446744073709551615 a b", "XADD big * a b", "XADD big 18446744073709551615-* a b",
            "XRANGE big (18446744073709551615-18446744073709551614 +", "XRANGE big - + COUNT 1",
            "XADD big2 18446744073709551615-* a b", "XADD big2 18446744073709551615-* a b", "XLEN big2");
    }

    @Test
    void streamGroups() throws Exception {
        compare("XGROUP CREATE s g $", "XGROUP CREATE s g $ MKSTREAM", "XGROUP CREATE s g $", "XINFO GROUPS s",
            "XADD s 1-0 f v", "XADD s 2-0 f v2 g w", "XADD s 3-0 f v3", "XGROUP CREATE s g2 0 ENTRIESREAD 1",
            "XGROUP CREATE s g3 0 ENTRIESREAD -5", "XGROUP CREATE s g3 0 FOO", "XGROUP CREATE s g3 -",
            "XREADGROUP GROUP g c1 COUNT 1 STREAMS s >", "XREADGROUP GROUP g c2 STREAMS s >", "XREADGROUP GROUP g c2 STREAMS s >",
            "XREADGROUP GROUP g c1 STREAMS s 0", "XREADGROUP GROUP g c2 STREAMS s 0", "XREADGROUP GROUP g c9 STREAMS s 0",
            "XREADGROUP GROUP nog c1 STREAMS s >", "XREADGROUP GROUP g c1 STREAMS none >", "XREADGROUP GROUP g c1 STREAMS s $",
            "XREADGROUP GROUP g c1 STREAMS s", "XREADGROUP STREAMS s >", "XREAD GROUP g c STREAMS s 0", "XREAD STREAMS s >",
            "XREAD NOACK STREAMS s 0", "XREAD COUNT 2 STREAMS s none 0 0", "XREAD STREAMS s 3-0", "XREAD STREAMS s $",
            "XREAD BLOCK -1 STREAMS s 0", "XREAD BLOCK x STREAMS s 0", "XPENDING s g", "XPENDING s g - + 10 nobody",
            "XPENDING s g IDLE 1000000 - + 10", "XPENDING s g - +", "XPENDING s g x + 10", "XPENDING s nog", "XPENDING none g",
            "XINFO GROUPS s", "XACK s g 1-0 9-0", "XACK s g x", "XACK s nog 1-0", "XACK none g 1-0", "XPENDING s g",
            "XCLAIM s g c3 0 2-0 3-0 JUSTID", "XPENDING s g", "XCLAIM s g c3 0 2-0 RETRYCOUNT 7 JUSTID", "XCLAIM s g c4 0 2-0",
            "XCLAIM s g c4 0 2-0 FOO", "XCLAIM s g c4 x 2-0", "XCLAIM s nog c4 0 2-0", "XCLAIM s g c4 0 1-0 FORCE JUSTID",
            "XCLAIM s g c4 0 1-0 IDLE x", "XDEL s 3-0", "XAUTOCLAIM s g c5 0 - COUNT 1 JUSTID", "XAUTOCLAIM s g c5 0 - JUSTID",
            "XAUTOCLAIM s g c5 0 - COUNT 0", "XAUTOCLAIM s g c5 x -", "XAUTOCLAIM s nog c5 0 -", "XPENDING s g",
            "XINFO GROUPS s", "XGROUP CREATECONSUMER s g c6", "XGROUP CREATECONSUMER s g c6", "XGROUP CREATECONSUMER s nog c6",
            "XGROUP DELCONSUMER s g c5", "XGROUP DELCONSUMER s g nobody", "XGROUP SETID s g 0 ENTRIESREAD 0",
            "XGROUP SETID s g $", "XGROUP SETID s nog 0", "XGROUP SETID s g 0 MKSTREAM", "XGROUP SETID none g 0",
            "XINFO GROUPS s", "XGROUP DESTROY s g2", "XGROUP DESTROY s g2", "XGROUP HELP", "XGROUP FOO s g",
            "XINFO STREAM s", "XGROUP CREATE str g $", "XAUTOCLAIM s g c 0 - COUNT 576460752303423488",
            "XAUTOCLAIM s g c 0 - COUNT 576460752303423487", "XREADGROUP GROUP g c COUNT 9223372036854775807 STREAMS s 0",
            "XPENDING s g - + 9223372036854775807", "XCLAIM s g c 0 18446744073709551615-18446744073709551615 JUSTID",
            "PING");
    }

    @Test
    void streamsInResp3() throws Exception {
        compare("!HELLO 3", "XADD s 1-0 f v", "XADD t 1-0 f v", "XREAD STREAMS s t 0 0", "XREAD STREAMS s 5",
            "XRANGE s - + COUNT 0", "XINFO STREAM s", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >",
            "XPENDING s g", "XINFO GROUPS s", "XREADGROUP GROUP g c STREAMS s >", "XADD s NOMKSTREAM 2-0 a b",
            "XADD none NOMKSTREAM * a b", "@XINFO STREAM s FULL COUNT 0");
    }

    /** A blocked stream read woken by another client's XADD, on both servers: the replies compared. */
    @Test
    void streamWakeUps() throws Exception {
        String[][] scripts = {
            {"XREAD BLOCK 0 STREAMS s $", "XADD s 5-0 f v"},
            {"XREAD BLOCK 0 COUNT 1 STREAMS none s 0-0 0-0", "XADD s 5-0 f v"},
            {"XREADGROUP GROUP g c BLOCK 0 STREAMS s >", "XADD s 5-0 f v"},
            {"XREADGROUP GROUP g c BLOCK 0 STREAMS s >", "DEL s"},
            {"XREADGROUP GROUP g c BLOCK 0 STREAMS s >", "SET s x"},
            {"XREADGROUP GROUP g c BLOCK 0 STREAMS s >", "XGROUP DESTROY s g"},
            {"XREAD BLOCK 300 STREAMS s $", null},
        };
        for (String[] script : scripts) {
            List<String> replies = new ArrayList<>();
            for (int port : new int[] {redis.port(), port()}) {
                try (RawClient setup = new RawClient(port); RawClient waiter = new RawClient(port)) {
                    setup.call("FLUSHALL");
                    setup.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
                    waiter.send(RawClient.encode(words(script[0])));
                    awaitBlocked(setup, 1, port + ": " + script[0]);
                    String other = script[1] == null ? "" : setup.call(words(script[1]));
                    replies.add(other + waiter.readReply() + setup.call("XINFO", "GROUPS", "s"));
                }
            }
            assertEquals(replies.get(0), replies.get(1), "after: " + String.join(" / ", script));
        }
    }

    private static void awaitBlocked(RawClient c, int n, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (!c.call("INFO", "clients").contains("blocked_clients:" + n)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no client blocked: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void hashes() throws Exception {
        compare("HSET h a 1 b 2", "HSET h a 1 b", "HSET h c 3", "HGET h a", "HGET h nope", "HGET none a", "HMGET h a nope b",
            "HMGET none a", "HMSET h d 4", "HSETNX h a 9", "HSETNX h e 5", "HLEN h", "HLEN none", "HSTRLEN h a",
            "HSTRLEN none a", "HEXISTS h a", "HEXISTS h nope", "~HKEYS h", "~HVALS h", "~HGETALL h", "HGETALL none",
            "HINCRBY h a 10", "HINCRBY h a x", "HINCRBY h new -3", "HSET h big 9223372036854775807", "HINCRBY h big 1",
            "HSET h str abc", "HINCRBY h str 1", "HINCRBYFLOAT h a 1.5", "HINCRBYFLOAT h a x", "HINCRBYFLOAT h a inf",
            "HINCRBYFLOAT h str 1", "HINCRBYFLOAT h f 0.1", "HINCRBYFLOAT h f 0.2", "HDEL h a b nope", "HDEL none a",
            "HRANDFIELD none", "HRANDFIELD none 3", "HRANDFIELD h 0", "HRANDFIELD h 1 FOO", "HRANDFIELD h 1 WITHVALUES x",
            "HRANDFIELD h -9223372036854775808", "HRANDFIELD h -9223372036854775807 WITHVALUES", "HSCAN none 0",
            "HSCAN h x", "HSCAN h 0 TYPE string", "HSCAN h 0 COUNT 0", "OBJECT ENCODING h", "SET s x", "HSET s a 1",
            "HGET s a", "HGETALL s", "HDEL h c d e new big str f", "EXISTS h", "HSET h f v", "TYPE h");
    }

    @Test
    void sets() throws Exception {
        compare("SADD s 3 1 2", "SMEMBERS s", "OBJECT ENCODING s", "SADD s 2 x", "OBJECT ENCODING s", "~SMEMBERS s",
            "SISMEMBER s x", "SISMEMBER s 9", "SISMEMBER none 9", "SMISMEMBER s 1 9 x", "SMISMEMBER none a", "SCARD s",
            "SCARD none", "SREM s 1 9", "SADD t 2 3 4", "~SINTER s t", "~SUNION s t none", "~SDIFF s t", "SINTER s none",
            "SDIFF none s", "SINTERSTORE d s t", "~SMEMBERS d", "SINTERSTORE d s none", "EXISTS d", "SUNIONSTORE d s t",
            "SCARD d", "SDIFFSTORE d s t", "~SMEMBERS d", "SINTERCARD 2 s t", "SINTERCARD 2 s t LIMIT 1",
            "SINTERCARD 0 s", "SINTERCARD 3 s t", "SINTERCARD 1 s LIMIT -1", "SINTERCARD 1 s LIMIT x", "SINTERCARD 1 s FOO",
            "SINTERCARD x s", "SMOVE s t x", "SMOVE s t x", "SMOVE none t x", "~SMEMBERS t", "SET str v", "SMOVE str t 1",
            "SMOVE t str 2", "SINTER s str", "SINTER none str", "SADD str a", "SPOP none", "SPOP none 2", "SPOP t -1",
            "SPOP t x", "SPOP t 1 2", "SPOP t 0", "SRANDMEMBER none", "SRANDMEMBER none 3", "SRANDMEMBER t 1 2",
            "SRANDMEMBER t -9223372036854775808", "SSCAN none 0", "SSCAN t x", "~SPOP t 10", "EXISTS t",
            "SADD n 1 2 3", "~SRANDMEMBER n 5", "SMEMBERS n", "~SPOP n 3", "EXISTS n");
    }

    @Test
    void sortedSets() throws Exception {
        compare("ZADD z 1 a 2 b 3 c", "ZADD z NX XX 1 a", "ZADD z GT LT 1 a", "ZADD z NX GT 1 a", "ZADD z INCR 1 a 2 b",
            "ZADD z 1", "ZADD z x a", "ZADD z 1e400 a", "ZADD z nan a", "ZADD z XX 1 new", "ZADD z INCR NX 1 a",
            "ZADD z INCR XX 5 q", "ZADD z CH 1 a 5 b", "ZADD z GT CH 0 b 9 c", "ZADD z LT 10 a", "ZADD z XX INCR 1 a",
            "ZRANGE z 0 -1 WITHSCORES", "ZADD z 1.5 d 1e20 e -inf f 0.1 g", "ZRANGE z 0 -1 WITHSCORES",
            "ZSCORE z g", "ZSCORE z nope", "ZSCORE none a", "ZMSCORE z a nope g", "ZMSCORE none a", "ZCARD z",
            "ZINCRBY z 0.2 g", "ZINCRBY z x g", "ZINCRBY z 1 new", "ZRANK z a", "ZREVRANK z a", "ZRANK z nope",
            "ZCOUNT z -inf +inf", "ZCOUNT z (1 3", "ZCOUNT z x 1", "ZRANGEBYSCORE z (1 +inf WITHSCORES",
            "ZRANGEBYSCORE z -inf +inf LIMIT 1 2", "ZRANGEBYSCORE z -inf +inf LIMIT -1 2", "ZREVRANGEBYSCORE z +inf -inf LIMIT 1 1 WITHSCORES",
            "ZRANGE z +inf -inf BYSCORE REV LIMIT 0 2", "ZRANGE z 0 1 LIMIT 0 1", "ZRANGE z (1 2 BYSCORE LIMIT 0",
            "ZREVRANGE z 0 2 WITHSCORES", "ZRANGE z 1 -1 REV", "ZRANGEBYSCORE z x 1", "ZRANGEBYSCORE none 0 1",
            "ZADD l 0 a 0 b 0 c 0 d", "ZRANGEBYLEX l - +", "ZRANGEBYLEX l [b (d", "ZREVRANGEBYLEX l + - LIMIT 1 2",
            "ZRANGEBYLEX l a b", "ZRANGE l [a [c BYLEX", "ZRANGE l 0 1 WITHSCORES BYLEX", "ZLEXCOUNT l (a +",
            "ZLEXCOUNT l x y", "ZRANGESTORE d z 0 2", "ZRANGE d 0 -1 WITHSCORES", "ZRANGESTORE d z 0 1 WITHSCORES",
            "ZRANGESTORE d none 0 -1", "EXISTS d", "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYSCORE z (1 2",
            "ZREMRANGEBYLEX l [a [b", "ZREMRANGEBYLEX l x y", "ZREMRANGEBYRANK z x 1", "ZRANGE z 0 -1 WITHSCORES",
            "ZPOPMIN z", "ZPOPMAX z 2", "ZPOPMIN z -1", "ZPOPMIN z x", "ZPOPMIN none 2", "ZPOPMIN none", "ZPOPMIN z 0",
            "ZMPOP 2 none z MAX COUNT 10", "ZMPOP 1 none MIN", "ZMPOP 1 l FOO", "ZMPOP 1 l MIN COUNT 0", "EXISTS z",
            "BZPOPMIN l x", "BZPOPMAX l 0", "BZMPOP 0 1 l MIN COUNT 5", "ZRANDMEMBER none", "ZRANDMEMBER none 2",
            "ZRANDMEMBER l -9223372036854775807 WITHSCORES", "ZSCAN none 0", "ZREM l a nope", "ZREM none a", "SET s x",
            "ZADD s 1 a", "ZRANGE s 0 1", "ZADD z1 1 a 2 b 3 c", "ZADD z2 4 b 5 c 6 d", "SADD plain c d e",
            "ZUNION 2 z1 z2 WITHSCORES", "ZUNION 2 z1 z2 WEIGHTS 2 3 AGGREGATE MAX WITHSCORES", "ZINTER 2 z1 z2 WITHSCORES",
            "ZINTER 2 z1 z2 AGGREGATE MIN", "ZDIFF 2 z1 z2 WITHSCORES", "ZUNION 3 z1 z2 plain WITHSCORES",
            "ZINTER 3 z1 z2 plain WITHSCORES", "ZUNION 0 z1", "ZUNION 2 z1", "ZUNION 1 z1 WEIGHTS 1 2", "ZUNION 1 z1 WEIGHTS x",
            "ZUNION 1 z1 AGGREGATE foo", "ZDIFF 1 z1 WEIGHTS 1", "ZUNION 2 z1 s", "ZUNIONSTORE d 2 z1 z2", "ZRANGE d 0 -1 WITHSCORES",
            "ZINTERSTORE d 2 z1 z2 WEIGHTS 1 -1", "ZRANGE d 0 -1 WITHSCORES", "ZDIFFSTORE d 2 z1 z1", "EXISTS d",
            "ZUNIONSTORE d 0 z1", "ZUNIONSTORE d 1 z1 WITHSCORES", "ZINTERCARD 2 z1 z2", "ZINTERCARD 2 z1 z2 LIMIT 1",
            "ZINTERCARD 0 z1", "ZINTERCARD 2 z1", "ZINTERCARD 1 z1 LIMIT -1", "ZADD inf 1 a", "ZINCRBY inf inf a",
            "ZINCRBY inf -inf a", "ZUNION 1 inf WEIGHTS 0 WITHSCORES", "ZADD big 1.1 a 0.30000000000000004 b 1e-320 c",
            "ZRANGE big 0 -1 WITHSCORES", "ZSCAN big 0", "OBJECT ENCODING big", "TYPE big",
            "ZADD hx 0x10 a 0x1.8p1 b -0X1p-2 c", "ZADD hx 0x d", "ZADD hx 0x1g d", "ZADD hx 0x.8 e",
            "ZADD hx 0x1p99999 f", "ZRANGE hx 0 -1 WITHSCORES", "ZRANGEBYSCORE hx (0x1 +inf");
    }

    @Test
    void collectionsInResp3() throws Exception {
        compare("!HELLO 3", "RPUSH l a b", "LPOP none 1", "LPOP l 0", "LMPOP 1 none LEFT", "HSET h a 1", "HGETALL h",
            "HGETALL none", "HRANDFIELD h 1 WITHVALUES", "HRANDFIELD none", "HMGET none a", "SADD s 1 2", "SMEMBERS s",
            "SINTER s s", "SPOP none 2", "SPOP s 0", "SMEMBERS none", "ZADD z 1 a 2 b 3 c", "ZRANGE z 0 -1 WITHSCORES",
            "ZRANGEBYSCORE z -inf +inf WITHSCORES", "ZSCORE z a", "ZMSCORE z a nope", "ZINCRBY z 1 c", "ZADD z INCR 1 c",
            "ZPOPMIN z", "ZPOPMIN z 1", "ZMPOP 1 z MIN", "ZRANDMEMBER z 1 WITHSCORES", "ZUNION 1 z WITHSCORES",
            "ZMPOP 1 none MAX", "ZSCAN z 0", "ZPOPMAX z 5", "ZPOPMIN none 2", "RESET");
    }

    @Test
    void largeCollectionsChangeEncoding() throws Exception {
        List<String> script = new ArrayList<>();
        StringBuilder members = new StringBuilder("ZADD z");
        StringBuilder fields = new StringBuilder("HSET h");
        StringBuilder ints = new StringBuilder("SADD s");
        for (int i = 0; i < 600; i++) {
            members.append(' ').append(i % 7).append(" m").append(i);
            fields.append(" f").append(i).append(" v").append(i);
            ints.append(' ').append(i * 3);
        }
        script.add(members.toString());
        script.add(fields.toString());
        script.add(ints.toString());
        script.addAll(List.of("OBJECT ENCODING z", "OBJECT ENCODING h", "OBJECT ENCODING s", "ZRANGE z 100 120 WITHSCORES",
            "ZRANK z m599", "ZREVRANK z m0", "ZCOUNT z 2 (4", "ZRANGEBYSCORE z 6 6 LIMIT 10 5", "ZREVRANGE z 0 5",
            "ZREMRANGEBYRANK z 10 500", "ZRANGE z 0 -1 WITHSCORES", "HLEN h", "HGET h f599", "SCARD s", "SISMEMBER s 1797",
            "CONFIG SET zset-max-listpack-entries 2", "CONFIG SET hash-max-ziplist-entries 1", "CONFIG SET set-max-intset-entries 2",
            "ZADD small 1 a 2 b", "OBJECT ENCODING small", "ZADD small 3 c", "OBJECT ENCODING small", "HSET sh a 1",
            "OBJECT ENCODING sh", "HSET sh b 2", "OBJECT ENCODING sh", "SADD ss 1 2", "OBJECT ENCODING ss", "SADD ss 3",
            "OBJECT ENCODING ss", "CONFIG SET hash-max-listpack-value 3", "HSET lv a 1234", "OBJECT ENCODING lv",
            "CONFIG SET zset-max-listpack-entries 128", "CONFIG SET hash-max-listpack-entries 128",
            "CONFIG SET set-max-intset-entries 512", "CONFIG SET hash-max-listpack-value 64"));
        compare(script.toArray(new String[0]));
    }

    /** What the generative differential test found (issue 24), each answered as redis-server 7.0.15 does. */
    @Test
    void generativeFindings() throws Exception {
        compare("GETEX missing EXAT -1", "GETEX missing EXAT abc", "SET s v", "GETEX s EXAT abc", "GETEX s PX -5",
            "RPUSH l a", "ZREVRANGEBYSCORE l '' 1e3", "ZCOUNT l 1e400 (+inf", "ZADD z 1 a 2 b", "ZRANGEBYSCORE z '' +inf",
            "ZRANGEBYSCORE z ( 5", "ZRANGEBYSCORE z _1 1e400", "ZRANGEBYSCORE z (0x1 0x10", "ZRANGEBYSCORE z nan 1",
            "ZRANGEBYSCORE z 1abc 2", "LMPOP 1 k LEFT COUNT abc", "LMPOP 1 k LEFT COUNT abc extra",
            "LMPOP 1 k LEFT COUNT 1 COUNT 2", "LMPOP 1 k LEFT extra", "BLMPOP abc 1 k LEFT extra", "BLMPOP abc 1 k LEFT",
            "BZMPOP -1 1 k MIN COUNT 0", "HINCRBYFLOAT h f 0x10", "HINCRBYFLOAT h f 0x1.8p1", "HINCRBYFLOAT h f 0x",
            "INCRBYFLOAT f 0X1P-2", "INCRBYFLOAT f 0x1p99999", "INCRBYFLOAT f -0x.8", "ZADD z 0x10 hex", "ZSCORE z hex",
            "ZINCRBY z 0x1p1 hex", "BLPOP k 0x0.001", "BRPOP k 0x", "SET str x", "SMOVE nosrc str m", "SADD set a",
            "SMOVE set str a", "SCAN '' COUNT -1", "~SCAN '' COUNT 100", "HSET h2 f v", "HRANDFIELD h2 abc junk",
            "HRANDFIELD h2 -9223372036854775808 junk", "ZRANDMEMBER z abc junk", "ZUNION 2 z str WEIGHTS 1",
            "ZINTER 1 str WEIGHTS x", "ZUNIONSTORE d 1 str AGGREGATE foo", "ZINTERCARD 2 z str LIMIT 1.5",
            "SINTERCARD 2 set str LIMIT -1", "ZRANGE z 0 -1 REV LIMIT 5 -1", "ZRANGE z 0 -1 LIMIT 5 2",
            "ZRANGE z 0 -1 REV REV", "ZRANGE z 0 5 BYSCORE BYLEX", "SELECT -9223372036854775808", "SELECT 4294967296",
            "MOVE str 2147483648", "COPY str d DB -2147483649", "CLIENT UNBLOCK 1 ERROR extra", "CLIENT UNBLOCK x foo",
            "CLIENT UNBLOCK x", "FUNCTION FLUSH SYNC extra", "FUNCTION FLUSH foo", "CLIENT HELP", "SLOWLOG GET 1 2",
            "PUBSUB CHANNELS a b", "ZADD zz -0 m", "ZSCORE zz m", "ZINCRBY zz -0 n", "ZRANGE zz 0 -1 WITHSCORES",
            "GEOADD g 180 -9223372036854775809 m", "GEOADD g 1e30 0 m", "GEOADD g inf 0 m", "APPEND a1 x",
            "OBJECT ENCODING a1", "APPEND a1 y", "OBJECT ENCODING a1", "SETRANGE r1 0 x", "OBJECT ENCODING r1",
            "SET n1 10", "SETRANGE n1 0 ''", "OBJECT ENCODING n1", "INCRBYFLOAT f1 3", "OBJECT ENCODING f1",
            "INCR f1", "OBJECT ENCODING f1", "SETBIT b1 1 0", "OBJECT ENCODING b1", "SET b2 12", "SETBIT b2 2 1",
            "OBJECT ENCODING b2", "PFADD p1", "OBJECT ENCODING p1", "SET p2 x", "BITOP OR p3 str b1", "OBJECT ENCODING p3",
            "RENAME p3 p4", "OBJECT ENCODING p4", "COPY a1 a2", "OBJECT ENCODING a2", "SET a1 x", "OBJECT ENCODING a1",
            "BITFIELD b3 GET u8 0", "BITFIELD n1 SET u8 0 49", "OBJECT ENCODING n1", "LATENCY GRAPH nosuchevent",
            "ZADD lex 1 d 2 a 3 c 4 b 5 e", "ZRANGEBYLEX lex - (c", "ZRANGEBYLEX lex [b +", "ZREVRANGEBYLEX lex (c -",
            "ZREVRANGEBYLEX lex + [b", "ZLEXCOUNT lex [b [d", "ZRANGE lex [a [c BYLEX", "ZRANGE lex [c [a BYLEX REV",
            "ZRANGEBYLEX lex [c [b", "ZRANGEBYLEX lex (b (b", "ZREMRANGEBYLEX lex - (c", "ZRANGE lex 0 -1",
            "!HELLO 3 AUTH default wrong FOO", "HELLO 2 SETNAME n1 FOO", "CLIENT GETNAME", "HELLO 2 AUTH a b c",
            "RPUSH srt '' _2 1", "SORT srt", "RPUSH srt2 1e400", "SORT srt2", "RPUSH srt3 1e-310", "SORT srt3",
            "LOLWUT VERSION 5 abc", "LOLWUT VERSION 6 1 x", "LOLWUT VERSION 4294967301 x");
    }

    /** Error replies quote arguments as bytes: NUL ends them, binary comes back unchanged, 128 bytes at most. */
    @Test
    void errorsQuoteRawBytes() throws Exception {
        byte[][][] commands = {
            {b("FOO"), {(byte) 0xff, (byte) 0xfe, 'x'}, {'a', 0, 'b'}},
            // A name with a NUL: not "GET\0", which redis-server finds as GET when its randomly seeded
            // command-table hash happens to put both in one bucket (its strcasecmp stops at the NUL).
            {{'X', 'G', 'E', 'T', 0}, b("k")},
            {{'S', 'E', 'T', (byte) 0xe9}, b("x".repeat(200)), b("y")},
            {b("xyzzy"), b("x".repeat(126)), b("abc")},
            {b("é".repeat(70))},
            {b("OBJECT"), {'E', 'N', 'C', 0}},
            {b("PFDEBUG"), {0, (byte) 0xff}, b("k")},
            {b("CLIENT"), b("UNBLOCK"), b("1"), b("2"), {(byte) 0xff}},
            {b("EXPIREAT"), b("k"), b("100"), b("\r\n")},
            {b("LATENCY"), b("GRAPH"), {'e', 0, 'v'}},
            {b("SCAN"), {0}, b("COUNT"), b("5")},
            {b("ZADD"), b("z"), b("1"), b("a")},
            {b("ZRANGEBYSCORE"), b("z"), {'1', 0, 'x'}, b("+inf")},
            {b("SET"), b("k"), b("v"), {'N', 'X', 0, 'z'}},
            {b("SET"), b("k"), b("v"), {'X', 'X', 0}, b("GET")},
            {b("RPUSH"), b("l"), {0, (byte) 0xff}, b("-1")},
            {b("SORT"), b("l")},
            {b("SORT"), b("l"), {'L', 'I', 'M', 'I', 'T', 0}, b("147"), b("2")},
        };
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            q.call("FLUSHALL");
            r.call("FLUSHALL");
            for (byte[][] cmd : commands) {
                byte[] expected = r.callBytes(cmd);
                byte[] actual = q.callBytes(cmd);
                assertEquals(new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1),
                    new String(actual, java.nio.charset.StandardCharsets.ISO_8859_1),
                    "reply to: " + new String(cmd[0], java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
    }

    /**
     * Numbers megabytes long (a score, an increment, a timeout, coordinates): the same errors as
     * redis-server (Numbers.strtod reads such a number as NaN without copying it into Java's
     * parser). Where Redis would read such a range bound (as inf), Quokka refuses numbers over
     * 5 KB, as Redis's own string2ld does (docs/compatibility.md).
     */
    @Test
    void hugeNumbersAreRefusedQuickly() throws Exception {
        byte[] digits = new byte[4 << 20];
        java.util.Arrays.fill(digits, (byte) '7');
        byte[] hex = digits.clone();
        hex[0] = '0';
        hex[1] = 'x';
        byte[][][] commands = {
            {b("ZADD"), b("z"), digits, b("m")},
            {b("ZINCRBY"), b("z"), hex, b("m")},
            {b("INCRBYFLOAT"), b("f"), digits},
            {b("HINCRBYFLOAT"), b("h"), b("f"), hex},
            {b("BLPOP"), b("l"), digits},
            {b("GEOADD"), b("g"), digits, b("0"), b("m")},
            {b("EXISTS"), b("z")},
        };
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            q.call("FLUSHALL");
            r.call("FLUSHALL");
            for (byte[][] cmd : commands) {
                byte[] expected = r.callBytes(cmd);
                byte[] actual = q.callBytes(cmd);
                String name = new String(cmd[0], java.nio.charset.StandardCharsets.ISO_8859_1);
                assertEquals(new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1),
                    new String(actual, java.nio.charset.StandardCharsets.ISO_8859_1), "reply to " + name);
            }
            q.call("ZADD", "z", "1", "m");
            byte[] err = q.callBytes(b("ZRANGEBYSCORE"), b("z"), digits, b("+inf"));
            assertEquals("-ERR min or max is not a float\r\n", new String(err, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
