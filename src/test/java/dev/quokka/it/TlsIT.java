package dev.quokka.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

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
            c.resolve("ca.crt").toString());
        awaitTls(quokkaTls, "quokka", quokka.process());
        redisTls = RedisServerProcess.freePort();
        redis = new RedisServerProcess(Files.createDirectories(dir.resolve("redis")), "--appendonly", "no",
            "--tls-port", Integer.toString(redisTls), "--tls-cert-file", c.resolve("server.crt").toString(),
            "--tls-key-file", c.resolve("server.key").toString(), "--tls-ca-cert-file", c.resolve("ca.crt").toString());
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
