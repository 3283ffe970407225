package dev.quokka.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACL users from files, side by side with redis-server 7.0.15: the packaged Quokka and
 * redis-server each start with the same {@code aclfile}; ACL LIST, ACL SAVE's file, ACL LOAD of a
 * broken file (the error, nothing changed) and of a changed one (users replaced, their
 * connections closed) must agree. Then users from {@code user} lines in a config file, and the
 * refusal to start with both.
 */
class AclFileIT {
    @TempDir
    Path dir;

    private static final String USERS = "user default on nopass ~* &* +@all\n"
        + "user app on #" + sha256("apppw") + " ~app:* resetchannels &app:* -@all +@read +@write\n"
        + "user ops on >opspw ~* &* +@all -@dangerous\n";

    @Test
    void aclFileLoadsSavesAndReloadsAsRedis() throws Exception {
        Path q = Files.createDirectories(dir.resolve("quokka"));
        Path r = Files.createDirectories(dir.resolve("redis"));
        Files.writeString(q.resolve("users.acl"), USERS);
        Files.writeString(r.resolve("users.acl"), USERS);
        QuokkaProcess quokka = QuokkaProcess.start(q, "--aclfile", "users.acl");
        try (RedisServerProcess redis = new RedisServerProcess(r, "--aclfile", "users.acl", "--appendonly", "no")) {
            List<String> qOut = session(quokka.port, q);
            List<String> rOut = session(redis.port(), r);
            assertEquals(rOut, qOut);
        } finally {
            quokka.terminate(10);
        }
    }

    /** The same steps on one server: its replies, and the files ACL SAVE writes. */
    private static List<String> session(int port, Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient admin = new RawClient(port); RawClient app = new RawClient(port)) {
            out.add(admin.call("ACL", "LIST"));
            out.add(app.call("AUTH", "app", "apppw"));
            out.add(app.call("SET", "app:1", "v"));
            out.add(app.call("SET", "other", "v"));
            out.add(app.call("CONFIG", "GET", "port"));
            out.add(admin.call("AUTH", "ops", "opspw"));
            out.add(admin.call("ACL", "SETUSER", "extra", "on", ">x", "~x:*", "+get"));
            out.add(admin.call("ACL", "SAVE"));
            out.add(Files.readString(dir.resolve("users.acl")));
            // A broken file: the error, and nothing changes.
            Files.writeString(dir.resolve("users.acl"), USERS + "user bad +nosuch\nnotauser x\nuser app on\n");
            out.add(admin.call("ACL", "LOAD"));
            out.add(admin.call("ACL", "USERS"));
            out.add(app.call("GET", "app:1"));
            // A changed file: users replaced; the connections of users that went are closed (the
            // caller's after its reply).
            Files.writeString(dir.resolve("users.acl"), "user default on nopass ~* &* +@all\nuser app on >new ~* +@all\n");
            out.add(admin.call("ACL", "LOAD"));
            out.add(Boolean.toString(app.closedByServer()));
            out.add(Boolean.toString(admin.closedByServer()));
        }
        try (RawClient c = new RawClient(port)) {
            out.add(c.call("ACL", "LIST"));
            out.add(c.call("AUTH", "app", "new"));
            out.add(c.call("AUTH", "ops", "opspw"));
        }
        return out;
    }

    @Test
    void usersFromConfigLinesAndNotBothSources() throws Exception {
        Path q = Files.createDirectories(dir.resolve("quokka"));
        Path conf = q.resolve("quokka.conf");
        Files.writeString(conf, "user alice on >alicepw ~cached:* +get +set\nuser default off\n"
            + "user bob on \">two words\" ~* +@all\n");
        QuokkaProcess quokka = QuokkaProcess.launch(q, conf.toString(), "--port",
            Integer.toString(RedisServerProcess.freePort()));
        try {
            // The default user is off: PING is refused, so readiness is Redis's log line.
            long deadline = System.currentTimeMillis() + 60_000;
            while (!quokka.log().contains("Ready to accept connections")) {
                assertTrue(System.currentTimeMillis() < deadline && quokka.process().isAlive(), quokka.log());
                Thread.sleep(50);
            }
            try (RawClient c = new RawClient(quokka.port)) {
                assertEquals("-NOAUTH Authentication required.\r\n", c.call("GET", "x"));
                assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    c.call("AUTH", "default", "x"));
                assertEquals("+OK\r\n", c.call("AUTH", "alice", "alicepw"));
                assertEquals("+OK\r\n", c.call("SET", "cached:1", "v"));
                assertEquals("-NOPERM this user has no permissions to run the 'del' command\r\n",
                    c.call("DEL", "cached:1"));
                assertEquals("+OK\r\n", c.call("AUTH", "bob", "two words"), "a quoted password keeps its blank");
                // CONFIG REWRITE writes the users as ACL LIST describes them, in the user lines' places
                assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
                List<String> listed = new ArrayList<>();
                for (String line : c.call("ACL", "LIST").split("\r\n")) {
                    if (line.startsWith("user ")) {
                        listed.add(line);
                    }
                }
                List<String> lines = Files.readAllLines(conf);
                assertEquals(listed, lines.subList(0, 3), String.join("\n", lines));
            }
        } finally {
            quokka.terminate(10);
        }
        QuokkaProcess again = QuokkaProcess.launch(q, conf.toString(), "--port",
            Integer.toString(RedisServerProcess.freePort()));
        try {
            // the log file is the first server's too: wait for the second readiness line
            long deadline = System.currentTimeMillis() + 60_000;
            while (again.log().split("Ready to accept connections", -1).length < 3) {
                assertTrue(System.currentTimeMillis() < deadline && again.process().isAlive(), again.log());
                Thread.sleep(50);
            }
            try (RawClient c = new RawClient(again.port)) {
                assertEquals("+OK\r\n", c.call("AUTH", "bob", "two words"), "the rewritten file keeps the users");
                assertEquals("+OK\r\n", c.call("AUTH", "alice", "alicepw"));
                assertEquals("-NOPERM this user has no permissions to run the 'del' command\r\n", c.call("DEL", "cached:1"));
            }
        } finally {
            again.terminate(10);
        }
        Files.writeString(q.resolve("users.acl"), USERS);
        Files.writeString(conf, "user alice on >alicepw ~* +@all\naclfile users.acl\n");
        QuokkaProcess both = QuokkaProcess.launch(q, conf.toString());
        assertTrue(both.process().waitFor(60, TimeUnit.SECONDS), "a server with users in two places stops");
        assertFalse(both.process().exitValue() == 0);
        assertTrue(both.log().contains("Configuring Redis with users defined in redis.conf and at the same setting an ACL "
            + "file path is invalid"), both.log());
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
