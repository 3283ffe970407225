package dev.quokka.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on Redis 7.0's directives, side by side with Debian's redis-server (built with TLS): both
 * listen on a {@code tls-port} (Quokka TLS only, with {@code port 0}) with the same certificates
 * made here by openssl, a CA and mutual TLS. redis-cli --tls and Jedis over TLS get the same replies; a client
 * without a certificate, one with an expired certificate and a plain-text client are refused by
 * both; CONFIG SET of the certificate files takes effect for new connections, and a wrong file is
 * refused with Redis's error.
 */
class TlsIT {
    @TempDir
    static Path dir;
    static QuokkaProcess quokka;
    static RedisServerProcess redis;
    static int quokkaTls;
    static int redisTls;

    @BeforeAll
    static void start() throws Exception {
        Path c = Files.createDirectories(dir.resolve("certs"));
        openssl(c, "req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", "ca.key", "-out", "ca.crt", "-days",
            "30", "-subj", "/CN=Quokka Test CA");
        Files.writeString(c.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        for (String name : List.of("server", "server2", "client")) {
            openssl(c, "req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
                "/CN=" + name);
            List<String> sign = new ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey",
                "ca.key", "-CAcreateserial", "-out", name + ".crt", "-days", "30"));
            if (name.startsWith("server")) {
                sign.addAll(List.of("-extfile", "san.ext"));
            }
            openssl(c, sign.toArray(new String[0]));
        }
        // A client certificate that expired in 2020, signed by the same CA (openssl ca takes explicit dates).
        openssl(c, "req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", "old.key", "-out", "old.csr", "-subj", "/CN=old");
        Files.createDirectories(c.resolve("ca"));
        Files.writeString(c.resolve("ca/index.txt"), "");
        Files.writeString(c.resolve("ca.cnf"), "[ca]\ndefault_ca=d\n[d]\ndatabase=ca/index.txt\nnew_certs_dir=ca\n"
            + "serial=ca/serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n");
        Files.writeString(c.resolve("ca/serial"), "1000\n");
        openssl(c, "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key", "-in", "old.csr", "-out",
            "old.crt", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext");
        quokkaTls = RedisServerProcess.freePort();
        Path q = Files.createDirectories(dir.resolve("quokka"));
        quokka = QuokkaProcess.launch(q, "--port", "0", "--tls-port", Integer.toString(quokkaTls), "--tls-cert-file",
            c.resolve("server.crt").toString(), "--tls-key-file", c.resolve("server.key").toString(), "--tls-ca-cert-file",
            c.resolve("ca.crt").toString(), "--enable-debug-command", "yes");
        awaitTls(quokkaTls, "quokka", quokka.process());
        redisTls = RedisServerProcess.freePort();
        redis = new RedisServerProcess(Files.createDirectories(dir.resolve("redis")), "--appendonly", "no",
            "--tls-port", Integer.toString(redisTls), "--tls-cert-file", c.resolve("server.crt").toString(),
            "--tls-key-file", c.resolve("server.key").toString(), "--tls-ca-cert-file", c.resolve("ca.crt").toString(),
            "--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() throws Exception {
        if (quokka != null) {
            quokka.terminate(10);
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void mutualTlsWithRedisClients() throws Exception {
        for (int port : new int[] {redisTls, quokkaTls}) {
            assertEquals("PONG\n", cli(port, "--tls", "--cacert", cert("ca.crt"), "--cert", cert("client.crt"), "--key",
                cert("client.key"), "PING"));
            try (Jedis j = jedis(port, "client")) {
                assertEquals("OK", j.set("k", "v"));
                assertEquals("v", j.get("k"));
                assertEquals(java.util.Map.of("tls-auth-clients", "yes"), j.configGet("tls-auth-clients"));
            }
        }
    }

    @Test
    void clientsWithoutAGoodCertificateAndPlainTextAreRefused() throws Exception {
        for (int port : new int[] {redisTls, quokkaTls}) {
            String name = port == redisTls ? "redis" : "quokka";
            // No client certificate with tls-auth-clients yes.
            assertTrue(!cli(port, "--tls", "--cacert", cert("ca.crt"), "PING").contains("PONG"), name);
            // An expired client certificate.
            assertTrue(refused(port, "old"), name + " refuses an expired client certificate");
            // A plain-text client: closed without a reply.
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port));
                s.setSoTimeout(5000);
                s.getOutputStream().write(RawClient.encode("PING"));
                InputStream in = s.getInputStream();
                byte[] b = new byte[64];
                int n;
                try {
                    n = in.read(b);
                    while (n > 0 && n < b.length) {
                        int m = in.read(b, n, b.length - n);
                        if (m < 0) {
                            break;
                        }
                        n += m;
                    }
                } catch (java.net.SocketException reset) {
                    n = -1;
                }
                assertTrue(n <= 0 || !new String(b, 0, n, StandardCharsets.ISO_8859_1).contains("PONG"), name);
            }
            try (Jedis j = jedis(port, "client")) {
                assertTrue(j.clientList().trim().split("\n").length == 1, name + ": only this client is connected");
            }
        }
    }

    @Test
    void certificatesChangeWithConfigSet() throws Exception {
        for (int port : new int[] {redisTls, quokkaTls}) {
            try (Jedis admin = jedis(port, "client")) {
                assertEquals("CN=server", servedSubject(port));
                assertEquals("OK", admin.configSet("tls-cert-file", cert("server2.crt"), "tls-key-file", cert("server2.key")));
                assertEquals("CN=server2", servedSubject(port));
                String err;
                try {
                    admin.configSet("tls-cert-file", cert("nosuch.crt"));
                    err = "no error";
                } catch (Exception e) {
                    err = e.getMessage();
                }
                assertEquals("ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS "
                    + "configuration. Check server logs.", err);
                assertEquals("CN=server2", servedSubject(port), "a refused CONFIG SET changes nothing");
                assertEquals("OK", admin.configSet("tls-cert-file", cert("server.crt"), "tls-key-file", cert("server.key")));
                assertEquals("CN=server", servedSubject(port));
            }
        }
    }

    /**
     * tls-replication: a Quokka replica of redis-server's TLS port, a redis-server replica of
     * Quokka's TLS-only port, and a Quokka replica of Quokka, each presenting its client
     * certificate and checking the primary's against the CA; the data checked equal by DEBUG
     * DIGEST after a full resync and after the stream. A replica whose CA did not sign the
     * primary's certificate never brings its link up. Redis's Sentinel with tls-replication sees
     * the Quokka primary and its replica through their TLS ports.
     */
    @Test
    void replicationOverTls() throws Exception {
        openssl(dir.resolve("certs"), "req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", "other-ca.key",
            "-out", "other-ca.crt", "-days", "30", "-subj", "/CN=Another CA");
        try (Jedis q = jedis(quokkaTls, "client"); Jedis r = jedis(redisTls, "client")) {
            writeSome(q, "before");
            writeSome(r, "before");
        }
        List<AutoCloseable> servers = new ArrayList<>();
        try {
            QuokkaProcess ofRedis = QuokkaProcess.start(Files.createDirectories(dir.resolve("q-of-redis")),
                tlsReplica("ca.crt", redisTls));
            servers.add(ofRedis);
            RedisServerProcess ofQuokka = new RedisServerProcess(Files.createDirectories(dir.resolve("redis-of-q")),
                tlsReplica("ca.crt", quokkaTls));
            servers.add(ofQuokka);
            int replicaTls = RedisServerProcess.freePort();
            List<String> ofQuokkaArgs = new ArrayList<>(List.of(tlsReplica("ca.crt", quokkaTls)));
            ofQuokkaArgs.addAll(List.of("--tls-port", Integer.toString(replicaTls))); // announced to the primary, then to Sentinel
            QuokkaProcess ofQuokkaToo = QuokkaProcess.start(Files.createDirectories(dir.resolve("q-of-q")),
                ofQuokkaArgs.toArray(new String[0]));
            servers.add(ofQuokkaToo);
            QuokkaProcess distrusting = QuokkaProcess.start(Files.createDirectories(dir.resolve("q-distrusting")),
                tlsReplica("other-ca.crt", quokkaTls));
            servers.add(distrusting);

            awaitSameDigest(redisTls, ofRedis.port, "a Quokka replica of redis-server, full resync");
            awaitSameDigest(quokkaTls, ofQuokka.port(), "a redis-server replica of Quokka, full resync");
            awaitSameDigest(quokkaTls, ofQuokkaToo.port, "a Quokka replica of Quokka, full resync");
            try (Jedis q = jedis(quokkaTls, "client"); Jedis r = jedis(redisTls, "client")) {
                writeSome(q, "after");
                writeSome(r, "after");
            }
            awaitSameDigest(redisTls, ofRedis.port, "a Quokka replica of redis-server, the stream");
            awaitSameDigest(quokkaTls, ofQuokka.port(), "a redis-server replica of Quokka, the stream");
            awaitSameDigest(quokkaTls, ofQuokkaToo.port, "a Quokka replica of Quokka, the stream");
            try (RawClient c = new RawClient(ofRedis.port)) {
                assertTrue(c.call("INFO", "replication").contains("master_port:" + redisTls + "\r\n"));
            }
            try (RawClient c = new RawClient(distrusting.port)) {
                String info = c.call("INFO", "replication");
                assertTrue(info.contains("master_link_status:down"), info);
                assertEquals(":0\r\n", c.call("DBSIZE"));
            }
            assertTrue(distrusting.log().contains("Error condition on socket for SYNC"), distrusting.log());

            // Redis's Sentinel with tls-replication: it reaches the Quokka primary and its replica over TLS only.
            int sentinelPort = RedisServerProcess.freePort();
            Path sentinelDir = Files.createDirectories(dir.resolve("sentinel"));
            Files.writeString(sentinelDir.resolve("sentinel.conf"), "port " + sentinelPort + "\nbind 127.0.0.1\ndir "
                + sentinelDir + "\ntls-replication yes\ntls-cert-file " + cert("server.crt") + "\ntls-key-file "
                + cert("server.key") + "\ntls-ca-cert-file " + cert("ca.crt") + "\nsentinel monitor group 127.0.0.1 "
                + quokkaTls + " 1\n");
            Process sentinel = new ProcessBuilder("redis-sentinel", sentinelDir.resolve("sentinel.conf").toString())
                .redirectErrorStream(true).redirectOutput(sentinelDir.resolve("sentinel.log").toFile()).start();
            servers.add(() -> {
                sentinel.destroy();
                sentinel.waitFor();
            });
            RawClient.awaitPong(sentinelPort, sentinel, 30_000, "redis-sentinel");
            try (RawClient c = new RawClient(sentinelPort)) {
                long deadline = System.currentTimeMillis() + 30_000;
                String replica = "";
                while (!(replica.contains("$5\r\nflags\r\n$5\r\nslave\r\n")
                        && replica.contains("$18\r\nmaster-link-status\r\n$2\r\nok\r\n"))) {
                    String replicas = c.call("SENTINEL", "REPLICAS", "group");
                    assertTrue(System.currentTimeMillis() < deadline, "Sentinel's view of the replica: " + replicas
                        + "\n" + Files.readString(sentinelDir.resolve("sentinel.log")));
                    replica = java.util.Arrays.stream(replicas.split("\\$4\r\nname\r\n"))
                        .filter(r -> r.contains("$4\r\nport\r\n$" + Integer.toString(replicaTls).length() + "\r\n" + replicaTls))
                        .findFirst().orElse("");
                    Thread.sleep(200);
                }
                String master = c.call("SENTINEL", "MASTER", "group");
                assertTrue(master.contains("$5\r\nflags\r\n$6\r\nmaster\r\n"), master);
            }
        } finally {
            for (AutoCloseable s : servers) {
                s.close();
            }
        }
    }

    /** A replica's arguments: its own certificate, a client certificate, the CA it trusts, and its primary's TLS port. */
    private static String[] tlsReplica(String ca, int primaryTls) {
        return new String[] {"--tls-replication", "yes", "--tls-cert-file", cert("server2.crt"), "--tls-key-file",
            cert("server2.key"), "--tls-client-cert-file", cert("client.crt"), "--tls-client-key-file", cert("client.key"),
            "--tls-ca-cert-file", cert(ca), "--replicaof", "127.0.0.1", Integer.toString(primaryTls),
            "--enable-debug-command", "yes", "--appendonly", "no"};
    }

    private static void writeSome(Jedis j, String tag) {
        for (int i = 0; i < 200; i++) {
            j.set(tag + ":s:" + i, "v" + i);
            j.rpush(tag + ":l:" + (i % 7), "e" + i);
            j.hset(tag + ":h:" + (i % 5), "f" + i, Integer.toString(i));
            j.zadd(tag + ":z", i / 3.0, "m" + i);
        }
    }

    private static void awaitSameDigest(int primaryTls, int replicaPort, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        try (Jedis p = jedis(primaryTls, "client"); RawClient replica = new RawClient(replicaPort)) {
            String want = "+" + new String((byte[]) p.sendCommand((ProtocolCommand) () -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "DIGEST"),
                StandardCharsets.US_ASCII) + "\r\n";
            while (true) {
                String info = replica.call("INFO", "replication");
                String got = replica.call("DEBUG", "DIGEST");
                if (info.contains("master_link_status:up") && got.equals(want)) {
                    return;
                }
                assertTrue(System.currentTimeMillis() < deadline, what + ": digest " + got + ", want " + want + "\n" + info);
                Thread.sleep(100);
            }
        }
    }

    private static String servedSubject(int port) throws Exception {
        try {
            return subject(port);
        } catch (java.io.IOException e) {
            throw new AssertionError((port == redisTls ? "redis" : "quokka") + " port " + port + " (redis " + redisTls + ", quokka " + quokkaTls + "): " + e + "\n" + quokka.log(), e);
        }
    }

    private static String subject(int port) throws Exception {
        try (SSLSocket s = (SSLSocket) context("client").getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static boolean refused(int port, String client) {
        try (SSLSocket s = (SSLSocket) context(client).getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            s.getOutputStream().write(RawClient.encode("PING"));
            s.getOutputStream().flush();
            return s.getInputStream().read() < 0; // TLS 1.3: the refusal comes after the client's finished message
        } catch (Exception e) {
            return true;
        }
    }

    private static Jedis jedis(int port, String client) throws Exception {
        SSLSocketFactory f = context(client).getSocketFactory();
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().ssl(true)
            .sslSocketFactory(f).build());
    }

    /** A client's TLS context: its certificate and key (a PKCS#12 file made by openssl) and the test CA. */
    private static SSLContext context(String client) throws Exception {
        Path c = dir.resolve("certs");
        Path p12 = c.resolve(client + ".p12");
        if (!Files.exists(p12)) {
            openssl(c, "pkcs12", "-export", "-in", client + ".crt", "-inkey", client + ".key", "-out", client + ".p12",
                "-passout", "pass:pw");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "pw".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(c.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String cert(String name) {
        return dir.resolve("certs").resolve(name).toString();
    }

    private static String cli(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return out;
    }

    private static void openssl(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ":\n" + out);
    }

    /** Waits until the TLS port completes a handshake and answers PING. */
    private static void awaitTls(int port, String what, Process process) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try (Jedis j = jedis(port, "client")) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (Exception e) {
                assertTrue(process.isAlive(), what + " exited");
                assertTrue(System.currentTimeMillis() < deadline, what + " did not listen with TLS: " + e);
            }
            Thread.sleep(100);
        }
    }
}
