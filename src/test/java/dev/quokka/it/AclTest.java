package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACL against redis-server 7.0.15: the same requests on both servers, raw replies compared byte
 * for byte (RESP2 and RESP3) — ACL SETUSER's rules and errors, GETUSER and LIST descriptions,
 * DRYRUN over a matrix of users, commands, keys and channels, and whole sessions of a restricted
 * user (denials, MULTI/EXEC, scripts, pub/sub, AUTH failures, the ACL log) — then what only a
 * connection can show: connections closed when their user goes, and a real client (Jedis)
 * authenticating by user name.
 */
@QuarkusTest
class AclTest extends QuokkaTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServerProcess();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void dropUsers() throws IOException {
        for (int port : new int[] {port(), redis.port()}) {
            try (RawClient c = new RawClient(port)) {
                c.call("ACL", "SETUSER", "default", "reset", "on", "nopass", "~*", "&*", "+@all");
                for (String u : List.of("u1", "u2", "u3", "lim", "sub", "gone", "w", "r", "sel", "üser")) {
                    c.call("ACL", "DELUSER", u);
                }
                c.call("ACL", "LOG", "RESET");
            }
        }
    }

    /** Rules, their errors and the descriptions they give: compared byte for byte in RESP2 and RESP3. */
    private static final String[][] RULES = {
        {"ACL", "SETUSER", "u1"},
        {"ACL", "GETUSER", "u1"},
        {"ACL", "SETUSER", "u1", "reset"},
        {"ACL", "GETUSER", "u1"},
        {"ACL", "SETUSER", "u1", "on", ">p1", ">p2", "<p1", "~k*", "%R~r*", "%W~w*", "%RW~b*", "&ch*", "+@string", "-append"},
        {"ACL", "GETUSER", "u1"},
        {"ACL", "SETUSER", "u1", "#" + "a".repeat(64), "!" + "a".repeat(64)},
        {"ACL", "GETUSER", "u1"},
        {"ACL", "SETUSER", "u1", "nopass", "skip-sanitize-payload"},
        {"ACL", "GETUSER", "u1"},
        {"ACL", "SETUSER", "u1", "resetpass", "resetkeys", "allkeys", "resetchannels", "allchannels", "nocommands", "+get"},
        {"ACL", "GETUSER", "u1"},
        {"ACL", "SETUSER", "u2", "on", "+@all", "-@dangerous", "~*"},
        {"ACL", "SETUSER", "u2", "(~x", "+get)", "(%R~y*", "+@read", "&c)"},
        {"ACL", "GETUSER", "u2"},
        {"ACL", "SETUSER", "u2", "clearselectors"},
        {"ACL", "GETUSER", "u2"},
        {"ACL", "SETUSER", "u3", "+client", "-client|kill", "+config|get"},
        {"ACL", "GETUSER", "u3"},
        {"ACL", "SETUSER", "u3", "-@all", "+@hash", "+@list", "-lpush"},
        {"ACL", "GETUSER", "u3"},
        {"ACL", "SETUSER", "u3", "allcommands", "-@pubsub", "+publish"},
        {"ACL", "GETUSER", "u3"},
        {"ACL", "USERS"},
        {"ACL", "DELUSER", "u3", "nosuch"},
        {"ACL", "USERS"},
        // errors
        {"ACL", "SETUSER", "u9", "bad"},
        {"ACL", "SETUSER", "u9", "+nosuch"},
        {"ACL", "SETUSER", "u9", "+@nosuch"},
        {"ACL", "SETUSER", "u9", "-nosuch|x"},
        {"ACL", "SETUSER", "u9", "~*", "~x"},
        {"ACL", "SETUSER", "u9", "allkeys", "%R~x"},
        {"ACL", "SETUSER", "u9", "&*", "&x"},
        {"ACL", "SETUSER", "u9", "#abc"},
        {"ACL", "SETUSER", "u9", "#" + "A".repeat(64)},
        {"ACL", "SETUSER", "u9", "<nope"},
        {"ACL", "SETUSER", "u9", "!" + "b".repeat(64)},
        {"ACL", "SETUSER", "u9", "+config|get|x"},
        {"ACL", "SETUSER", "u9", "+select|"},
        {"ACL", "SETUSER", "u9", "%X~y"},
        {"ACL", "SETUSER", "u9", "%R"},
        {"ACL", "SETUSER", "u9", "~a b"},
        {"ACL", "SETUSER", "u9", "(~x", "+get"},
        {"ACL", "SETUSER", "u9", "(~x +nosuch)"},
        {"ACL", "SETUSER", "u9", "on", "+get", "+nosuch"},
        {"ACL", "GETUSER", "u9"},
        {"ACL", "SETUSER", "a b"},
        {"ACL", "SETUSER"},
        {"ACL", "DELUSER", "default"},
        {"ACL", "GETUSER", "nosuch"},
        {"ACL", "GETUSER"},
        {"ACL", "WHOAMI"},
        {"ACL", "WHOAMI", "x"},
        {"ACL", "CAT", "nosuch"},
        {"ACL", "CAT", "a", "b"},
        {"ACL", "CAT"},
        {"ACL", "GENPASS", "0"},
        {"ACL", "GENPASS", "4097"},
        {"ACL", "GENPASS", "x"},
        {"ACL", "GENPASS", "1", "2"},
        {"ACL", "LOG", "x"},
        {"ACL", "LOG", "-1"},
        {"ACL", "LOG", "1", "2"},
        {"ACL", "LOAD"},
        {"ACL", "SAVE"},
        {"ACL", "HELP"},
        {"ACL", "NOSUCH"},
        {"ACL"},
        {"ACL", "DRYRUN", "nosuch", "get", "x"},
        {"ACL", "DRYRUN", "default", "nosuch"},
        {"ACL", "DRYRUN", "default", "get"},
        {"ACL", "DRYRUN", "default"},
        {"AUTH", "a", "b", "c"},
        {"AUTH", "onlypassword"},
        {"AUTH", "nosuch", "pw"},
        // Names, passwords and patterns beyond ASCII keep their bytes (UTF-8 here).
        {"ACL", "SETUSER", "üser", "on", ">pässwörd", "~clé:*", "&canal-é*", "+get", "+publish"},
        {"ACL", "GETUSER", "üser"},
        {"ACL", "DRYRUN", "üser", "get", "clé:1"},
        {"ACL", "DRYRUN", "üser", "get", "cle:1"},
        {"ACL", "DRYRUN", "üser", "publish", "canal-été", "m"},
        {"ACL", "SETUSER", "üser", "<nöpe"},
        {"AUTH", "üser", "passwörd"},
        {"AUTH", "üser", "pässwörd"},
        {"ACL", "WHOAMI"},
        {"GET", "clé:1"},
        {"GET", "x"},
    };

    @Test
    void rulesAndDescriptionsAreRedis() throws Exception {
        for (int resp : new int[] {2, 3}) {
            dropUsers();
            compare(resp, RULES);
        }
    }

    /** DRYRUN over users × requests: which command, key or channel is refused, as Redis words it. */
    @Test
    void dryRunMatrixIsRedis() throws Exception {
        String[][] users = {
            {"ACL", "SETUSER", "u1", "on", "~k*", "%R~r*", "%W~w*", "&ch*", "+@all"},
            {"ACL", "SETUSER", "u2", "on", "allkeys", "+@read", "-keys", "+select|0", "+client|id", "resetchannels", "&news"},
            {"ACL", "SETUSER", "u3", "on", "%R~src*", "+@all", "(~dst* +@write)", "(&chan +subscribe +psubscribe)"},
        };
        String[][] requests = {
            {"get", "k1"}, {"get", "x"}, {"get", "r1"}, {"get", "w1"},
            {"set", "k1", "v"}, {"set", "r1", "v"}, {"set", "w1", "v"}, {"set", "w1", "v", "GET"},
            {"append", "w1", "v"}, {"del", "w1"}, {"del", "r1"}, {"exists", "r1"},
            {"copy", "r1", "w1"}, {"copy", "k1", "r1"}, {"copy", "src1", "dst1"}, {"copy", "dst1", "src1"},
            {"lmove", "r1", "w1", "LEFT", "RIGHT"}, {"rename", "k1", "k2"}, {"rename", "w1", "w2"},
            {"mget", "k1", "r1", "x"}, {"mset", "k1", "1", "w1", "2"}, {"mset", "w1", "1", "x", "2"},
            {"sort", "k1"}, {"sort", "k1", "STORE", "w1"}, {"sort", "k1", "STORE", "x"},
            {"keys", "*"}, {"select", "0"}, {"select", "1"}, {"client", "id"}, {"client", "kill", "id", "1"},
            {"publish", "ch1", "m"}, {"publish", "news", "m"}, {"publish", "x", "m"}, {"spublish", "ch1", "m"},
            {"subscribe", "ch1", "ch2"}, {"subscribe", "ch1", "x"}, {"subscribe", "news"}, {"subscribe", "chan"},
            {"psubscribe", "ch*"}, {"psubscribe", "ch1*"}, {"psubscribe", "chan"}, {"ssubscribe", "ch1"},
            {"unsubscribe", "x"}, {"eval", "return 1", "1", "k1"}, {"eval", "return 1", "1", "x"},
            {"flushall"}, {"ping"}, {"auth", "a", "b"}, {"hello"}, {"zunionstore", "w1", "2", "k1", "r1"},
            {"zunionstore", "w1", "2", "k1", "x"}, {"georadius", "k1", "0", "0", "1", "km", "STORE", "w1"},
            {"getex", "r1"}, {"getex", "r1", "PERSIST"}, {"getdel", "w1"}, {"bitfield", "r1", "GET", "u8", "0"},
            {"bitfield", "r1", "SET", "u8", "0", "1"}, {"bitfield_ro", "r1", "GET", "u8", "0"},
            {"object", "encoding", "r1"}, {"config", "get", "x"}, {"debug", "sleep", "0"},
        };
        List<String[]> all = new ArrayList<>(Arrays.asList(users));
        for (String u : List.of("u1", "u2", "u3")) {
            for (String[] r : requests) {
                String[] req = new String[r.length + 3];
                req[0] = "ACL";
                req[1] = "DRYRUN";
                req[2] = u;
                System.arraycopy(r, 0, req, 3, r.length);
                all.add(req);
            }
        }
        compare(2, all.toArray(new String[0][]));
    }

    /** A restricted user's session: denials before queueing, at EXEC, in scripts, AUTH failures; the ACL log. */
    @Test
    void restrictedSessionIsRedis() throws Exception {
        String[][] session = {
            {"ACL", "SETUSER", "lim", "on", ">pw", "~k*", "&c*", "+get", "+set", "+publish", "+subscribe", "+multi",
                "+exec", "+discard", "+eval", "+acl|whoami", "+acl|log", "+auth", "+ping", "+client|setname", "+sort"},
            {"AUTH", "lim", "bad"},
            {"AUTH", "nosuch", "pw"},
            {"AUTH", "lim", "pw"},
            {"ACL", "WHOAMI"},
            {"GET", "k1"},
            {"GET", "x"},
            {"SET", "x", "1"},
            {"DEL", "k1"},
            {"CLIENT", "ID"},
            {"ACL", "LIST"},
            {"PUBLISH", "c1", "m"},
            {"PUBLISH", "d1", "m"},
            {"MULTI"},
            {"GET", "k1"},
            {"GET", "x"},
            {"EXEC"},
            {"MULTI"},
            {"SET", "k1", "v"},
            {"GET", "k1"},
            {"EXEC"},
            {"EVAL", "return redis.call('get', 'k1')", "0"},
            {"EVAL", "return redis.call('get', 'x')", "0"},
            {"EVAL", "return redis.call('del', 'k1')", "0"},
            {"EVAL", "return redis.pcall('publish', 'd', 'm')", "0"},
            {"SORT", "k1", "BY", "w*"},
            {"SORT", "k1", "GET", "#"},
            {"SORT", "k1", "BY", "nosort"},
            {"SORT", "k1", "ALPHA"},
            {"EVAL", "return redis.call('sort', 'k1', 'BY', 'x*')", "0"},
            {"ACL", "LOG", "RESET"},
            {"AUTH", "lim", "bad"},
            {"AUTH", "lim", "bad"},
            {"GET", "x"},
            {"GET", "y"},
            {"DEL", "k"},
            {"PUBLISH", "d", "m"},
        };
        List<String> q = session(port(), session);
        List<String> r = session(redis.port(), session);
        assertEquals(r, q);
        // The log's entries without their ages and client details (another connection, another port).
        assertEquals(logSummary(redis.port()), logSummary(port()));
        // EXEC checks again: rights taken away between MULTI and EXEC.
        String[][] changed = {
            {"AUTH", "lim", "pw"},
            {"MULTI"},
            {"GET", "k1"},
            {"SET", "k1", "v"},
        };
        for (int port : new int[] {port(), redis.port()}) {
            try (RawClient c = new RawClient(port); RawClient admin = new RawClient(port)) {
                List<String> out = new ArrayList<>();
                for (String[] cmd : changed) {
                    out.add(c.call(cmd));
                }
                admin.call("ACL", "SETUSER", "lim", "-set");
                out.add(c.call("EXEC"));
                if (port == port()) {
                    q = out;
                } else {
                    r = out;
                }
            }
        }
        assertEquals(r, q);
    }

    @Test
    void deletedUsersConnectionsAreClosedAndRevokedSubscribersDropped() throws Exception {
        for (int port : new int[] {port(), redis.port()}) {
            try (RawClient admin = new RawClient(port); RawClient gone = new RawClient(port);
                 RawClient sub = new RawClient(port)) {
                admin.call("ACL", "SETUSER", "gone", "on", "nopass", "+@all", "~*");
                admin.call("ACL", "SETUSER", "sub", "on", "nopass", "+@all", "~*", "resetchannels", "&news*");
                assertEquals("+OK\r\n", gone.call("AUTH", "gone", "x"));
                assertEquals("+OK\r\n", sub.call("AUTH", "sub", "x"));
                sub.call("SUBSCRIBE", "news1");
                assertEquals(":1\r\n", admin.call("ACL", "DELUSER", "gone"));
                assertTrue(gone.closedByServer(), port + ": a deleted user's connection is closed");
                // Narrower channel rights that still allow news1: the subscriber stays.
                admin.call("ACL", "SETUSER", "sub", "resetchannels", "&news1");
                assertEquals(":1\r\n", admin.call("PUBLISH", "news1", "still"));
                assertTrue(sub.readReply().contains("still"));
                // Rights that no longer allow news1: the subscriber is closed.
                admin.call("ACL", "SETUSER", "sub", "resetchannels", "&other");
                assertTrue(sub.closedByServer(), port + ": a subscriber whose channel was revoked is closed");
                assertEquals(":0\r\n", admin.call("PUBLISH", "news1", "gone"));
                assertEquals("-ERR No such user 'nosuch'\r\n", admin.call("CLIENT", "KILL", "USER", "nosuch"));
            }
        }
    }

    /** requirepass is the default user's password; Jedis authenticates by user name. */
    @Test
    void realClientsAuthenticateByUserName() throws Exception {
        raw.call("ACL", "SETUSER", "w", "on", ">wpw", "~app:*", "+@all", "-@dangerous");
        raw.call("ACL", "SETUSER", "r", "on", ">rpw", "~app:*", "+@read", "+acl|whoami");
        try (Jedis w = new Jedis("127.0.0.1", port()); Jedis r = new Jedis("127.0.0.1", port())) {
            assertEquals("OK", w.auth("w", "wpw"));
            assertEquals("OK", w.set("app:1", "v"));
            assertEquals("w", w.aclWhoAmI());
            JedisDataException e = assertThrows(JedisDataException.class, () -> w.set("other", "v"));
            assertEquals("NOPERM this user has no permissions to access one of the keys used as arguments", e.getMessage());
            assertEquals("OK", r.auth("r", "rpw"));
            assertEquals("v", r.get("app:1"));
            e = assertThrows(JedisDataException.class, () -> r.set("app:1", "x"));
            assertEquals("NOPERM this user has no permissions to run the 'set' command", e.getMessage());
            assertThrows(JedisDataException.class, () -> r.auth("r", "wrong"));
            assertEquals("r", r.aclWhoAmI());
        }
        raw.call("CONFIG", "SET", "requirepass", "s3cret");
        try (RawClient c = newRaw()) {
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("GET", "x"));
            assertEquals("+OK\r\n", c.call("AUTH", "s3cret"));
            assertEquals("+OK\r\n", c.call("AUTH", "default", "s3cret"));
            assertTrue(c.call("CLIENT", "INFO").contains(" user=default "));
            assertEquals("+OK\r\n", c.call("AUTH", "w", "wpw"));
            assertTrue(c.call("CLIENT", "INFO").contains(" user=w "));
            assertEquals("+RESET\r\n", c.call("RESET"));
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("GET", "x"));
        }
        raw.call("CONFIG", "SET", "requirepass", "");
    }

    private static List<String> session(int port, String[][] cmds) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawClient admin = new RawClient(port); RawClient c = new RawClient(port)) {
            out.add(admin.call(cmds[0]));
            admin.call("ACL", "LOG", "RESET");
            for (int i = 1; i < cmds.length; i++) {
                out.add(c.call(cmds[i]));
            }
        }
        return out;
    }

    /** ACL LOG entries as reason, context, object, username and count. */
    private static List<String> logSummary(int port) throws IOException {
        try (RawClient c = new RawClient(port)) {
            List<?> entries = (List<?>) CommandMetadataTest.Resp.parse(c.call("ACL", "LOG"));
            List<String> out = new ArrayList<>();
            for (Object e : entries) {
                List<?> f = (List<?>) e;
                out.add(f.get(3) + "/" + f.get(5) + "/" + f.get(7) + "/" + f.get(9) + "/" + f.get(1));
                assertTrue(((String) f.get(13)).contains(" user="), "client-info: " + f.get(13));
            }
            return out;
        }
    }

    private void compare(int resp, String[][] requests) throws IOException {
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            if (resp == 3) {
                q.call("HELLO", "3");
                r.call("HELLO", "3");
            }
            for (String[] req : requests) {
                String qr = q.call(req);
                String rr = r.call(req);
                if (req.length >= 2 && req[1].equalsIgnoreCase("CAT") || req.length >= 2 && req[1].equalsIgnoreCase("USERS")) {
                    // Redis lists a category's commands in its hash table's order.
                    assertEquals(new TreeSet<>(lines(rr)), new TreeSet<>(lines(qr)), String.join(" ", req));
                } else {
                    assertEquals(commandsInOrder(rr), commandsInOrder(qr), "RESP" + resp + ": " + String.join(" ", req));
                }
            }
        }
    }

    /**
     * A reply with each command-rules string ("-@all +@hash -lpush +client ...") in a fixed order:
     * Redis writes the +@all/-@all and category rules in a fixed order, then single commands in
     * its seeded hash table's order, which changes from run to run; those are sorted here.
     */
    private static String commandsInOrder(String reply) {
        StringBuilder b = new StringBuilder();
        for (String line : reply.split("\r\n", -1)) {
            if (line.startsWith("-@all") || line.startsWith("+@all")) {
                List<String> words = new ArrayList<>(Arrays.asList(line.split(" ")));
                int categories = 0;
                while (categories < words.size() && words.get(categories).matches("[+-]@.*")) {
                    categories++;
                }
                List<String> rest = new ArrayList<>(words.subList(categories, words.size()));
                rest.sort(null);
                words = new ArrayList<>(words.subList(0, categories));
                words.addAll(rest);
                line = String.join(" ", words);
            }
            b.append(line).append("\r\n");
        }
        return b.toString();
    }

    private static List<String> lines(String reply) {
        return Arrays.asList(reply.split("\r\n"));
    }
}
