package dev.quokka.server;

import dev.quokka.config.ServerConfig;
import dev.quokka.config.Settings;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.TrustOptions;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TLS listener's settings from Redis 7.0's {@code tls-*} directives, on the JDK's TLS engine:
 * certificate and key (PEM; a key protected by {@code tls-key-file-pass} in PKCS#8 form), the CA
 * file or directory that client certificates must chain to, {@code tls-auth-clients}
 * (yes: required, optional: asked for, no), the protocols, and TLS 1.2 ciphers named as OpenSSL
 * names them ({@code ECDHE-RSA-AES128-GCM-SHA256}, colon-separated) and TLS 1.3 suites.
 */
final class Tls {
    private Tls() {
    }

    /** Why the TLS settings cannot be used. */
    static final class TlsError extends Exception {
        TlsError(String message, Throwable cause) {
            super(message, cause);
        }

        TlsError(String message) {
            super(message);
        }
    }

    /**
     * Sets {@code opts} up for TLS, loading and checking every file now (so that errors surface at
     * once); the certificate, key and CAs go into {@code keys}, which the listener keeps using.
     */
    static void apply(Vertx vertx, NetServerOptions opts, ServerConfig config, TlsKeys keys) throws TlsError {
        SSLOptions ssl = options(vertx, config);
        load(vertx, ssl, keys);
        opts.setSsl(true);
        opts.setKeyCertOptions(keyCertOptions(keys));
        opts.setTrustOptions(TrustOptions.wrap(keys.trustManagerFactory()));
        opts.setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
        for (String c : ssl.getEnabledCipherSuites()) {
            opts.addEnabledCipherSuite(c);
        }
        opts.setClientAuth(clientAuth(config));
    }

    /** The listener's key options: the managers that stay in place while certificates change. */
    static KeyCertOptions keyCertOptions(TlsKeys keys) {
        return KeyCertOptions.wrap(keys.keyManagerFactory());
    }

    /** Puts the certificate, key and CAs of {@code ssl} into {@code keys} (the next handshake uses them). */
    static void load(Vertx vertx, SSLOptions ssl, TlsKeys keys) throws TlsError {
        try {
            javax.net.ssl.X509ExtendedKeyManager km = null;
            for (javax.net.ssl.KeyManager k : ssl.getKeyCertOptions().getKeyManagerFactory(vertx).getKeyManagers()) {
                if (k instanceof javax.net.ssl.X509ExtendedKeyManager x) {
                    km = x;
                }
            }
            javax.net.ssl.X509ExtendedTrustManager tm = null;
            if (ssl.getTrustOptions() != null) {
                for (javax.net.ssl.TrustManager t : ssl.getTrustOptions().getTrustManagerFactory(vertx).getTrustManagers()) {
                    if (t instanceof javax.net.ssl.X509ExtendedTrustManager x) {
                        tm = x;
                    }
                }
            }
            if (km == null) {
                throw new TlsError("no certificate and key found");
            }
            keys.set(km, tm);
        } catch (TlsError e) {
            throw e;
        } catch (Exception e) {
            throw new TlsError("Failed to load the TLS keys: " + e.getMessage(), e);
        }
    }

    static ClientAuth clientAuth(ServerConfig config) {
        return switch (config.get(Settings.TLS_AUTH_CLIENTS)) {
            case "yes" -> ClientAuth.REQUIRED;
            case "optional" -> ClientAuth.REQUEST;
            default -> ClientAuth.NONE;
        };
    }

    /** The certificate, trust, protocol and cipher options, every file read and checked. */
    static SSLOptions options(Vertx vertx, ServerConfig config) throws TlsError {
        String cert = config.get(Settings.TLS_CERT_FILE);
        String key = config.get(Settings.TLS_KEY_FILE);
        if (cert.isEmpty() || key.isEmpty()) {
            throw new TlsError("tls-cert-file and tls-key-file are required for tls-port");
        }
        SSLOptions ssl = new SSLOptions();
        ssl.setKeyCertOptions(keyCert(vertx, cert, key, config.get(Settings.TLS_KEY_FILE_PASS)));
        PemTrustOptions trust = trust(vertx, config);
        if (trust != null) {
            ssl.setTrustOptions(trust);
        } else if (clientAuth(config) != ClientAuth.NONE) {
            throw new TlsError("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-auth-clients "
                + "is enabled");
        }
        ssl.setEnabledSecureTransportProtocols(protocols(config));
        for (String c : ciphers(config.get(Settings.TLS_CIPHERS), config.get(Settings.TLS_CIPHERSUITES))) {
            ssl.addEnabledCipherSuite(c);
        }
        return ssl;
    }

    /**
     * The replication link's options under {@code tls-replication yes}, as Redis's client context:
     * the certificate it presents is {@code tls-client-cert-file}/{@code tls-client-key-file} when
     * both are set, else the server's own; the primary's certificate must chain to the configured
     * CAs (required, as Redis requires them), and its host name is not checked, as Redis does not.
     */
    static NetClientOptions replicationClient(Vertx vertx, ServerConfig config) throws TlsError {
        if (config.get(Settings.TLS_CERT_FILE).isEmpty()) {
            throw new TlsError("No tls-cert-file configured!");
        }
        if (config.get(Settings.TLS_KEY_FILE).isEmpty()) {
            throw new TlsError("No tls-key-file configured!");
        }
        String clientCert = config.get(Settings.TLS_CLIENT_CERT_FILE);
        String clientKey = config.get(Settings.TLS_CLIENT_KEY_FILE);
        boolean own = !clientCert.isEmpty() && !clientKey.isEmpty();
        PemKeyCertOptions keyCert = own
            ? keyCert(vertx, clientCert, clientKey, config.get(Settings.TLS_CLIENT_KEY_FILE_PASS))
            : keyCert(vertx, config.get(Settings.TLS_CERT_FILE), config.get(Settings.TLS_KEY_FILE),
                config.get(Settings.TLS_KEY_FILE_PASS));
        PemTrustOptions trust = trust(vertx, config);
        if (trust == null) {
            throw new TlsError("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, "
                + "tls-replication or tls-auth-clients are enabled!");
        }
        NetClientOptions o = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
            .setKeyCertOptions(keyCert).setTrustOptions(trust)
            .setEnabledSecureTransportProtocols(protocols(config));
        for (String c : ciphers(config.get(Settings.TLS_CIPHERS), config.get(Settings.TLS_CIPHERSUITES))) {
            o.addEnabledCipherSuite(c);
        }
        return o;
    }

    /** A certificate and its key, read, decrypted with {@code pass} if needed, and checked to match. */
    private static PemKeyCertOptions keyCert(Vertx vertx, String cert, String key, String pass) throws TlsError {
        PemKeyCertOptions keyCert = new PemKeyCertOptions().setCertValue(read(cert, "certificate"))
            .setKeyValue(privateKey(key, pass));
        check(() -> matching(keyCert.getKeyManagerFactory(vertx)), "Failed to load certificate: " + cert + " or key: " + key);
        return keyCert;
    }

    /** The CAs of tls-ca-cert-file and tls-ca-cert-dir, or null when neither is set. */
    private static PemTrustOptions trust(Vertx vertx, ServerConfig config) throws TlsError {
        String caFile = config.get(Settings.TLS_CA_CERT_FILE);
        String caDir = config.get(Settings.TLS_CA_CERT_DIR);
        if (caFile.isEmpty() && caDir.isEmpty()) {
            return null;
        }
        PemTrustOptions trust = new PemTrustOptions();
        if (!caFile.isEmpty()) {
            trust.addCertValue(read(caFile, "tls-ca-cert-file"));
        }
        if (!caDir.isEmpty()) {
            for (Buffer b : certificatesIn(caDir)) {
                trust.addCertValue(b);
            }
        }
        check(() -> trust.getTrustManagerFactory(vertx), "Failed to configure CA certificate(s) file/directory");
        return trust;
    }

    private static Set<String> protocols(ServerConfig config) throws TlsError {
        String protocols = config.get(Settings.TLS_PROTOCOLS).trim();
        Set<String> enabled = new LinkedHashSet<>();
        for (String p : protocols.isEmpty() ? new String[] {"TLSv1.2", "TLSv1.3"} : protocols.split("\\s+")) {
            switch (p.toLowerCase(Locale.ROOT)) {
                case "tlsv1" -> enabled.add("TLSv1");
                case "tlsv1.1" -> enabled.add("TLSv1.1");
                case "tlsv1.2" -> enabled.add("TLSv1.2");
                case "tlsv1.3" -> enabled.add("TLSv1.3");
                default -> throw new TlsError("Invalid tls-protocols specified. Use a combination of 'TLSv1', "
                    + "'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
            }
        }
        return enabled;
    }

    /**
     * The enabled suites: {@code tls-ciphers} (TLS 1.2, OpenSSL names) mapped to the JDK's names,
     * and {@code tls-ciphersuites} (TLS 1.3, the same names in both). Empty: the engine's defaults.
     * OpenSSL's cipher-string keywords (HIGH, !aNULL ...) are not understood here.
     */
    static List<String> ciphers(String tls12, String tls13) throws TlsError {
        List<String> out = new ArrayList<>();
        for (String c : tls12.isBlank() ? new String[0] : tls12.trim().split("[:,\\s]+")) {
            String java = c.startsWith("TLS_") ? c : CipherSuiteConverter.toJava(c, "TLS");
            if (java == null) {
                throw new TlsError("Failed to configure ciphers: unknown cipher '" + c + "' (OpenSSL keywords such as "
                    + "HIGH or !aNULL are not supported; list the ciphers by name)");
            }
            out.add(java);
        }
        for (String c : tls13.isBlank() ? new String[0] : tls13.trim().split("[:,\\s]+")) {
            out.add(c);
        }
        return out;
    }

    private static Buffer read(String file, String what) throws TlsError {
        try {
            return Buffer.buffer(Files.readAllBytes(Path.of(file)));
        } catch (IOException e) {
            throw new TlsError("Failed to load " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key as unencrypted PKCS#8 PEM: as read, or decrypted with {@code pass} when it is an encrypted PKCS#8 key. */
    private static Buffer privateKey(String file, String pass) throws TlsError {
        Buffer pem = read(file, "key");
        String text = pem.toString(StandardCharsets.US_ASCII);
        if (pass.isEmpty() || !text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            return pem;
        }
        try {
            String b64 = text.substring(text.indexOf("-----BEGIN ENCRYPTED PRIVATE KEY-----") + 37,
                text.indexOf("-----END ENCRYPTED PRIVATE KEY-----")).replaceAll("\\s", "");
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(Base64.getDecoder().decode(b64));
            SecretKeyFactory f = SecretKeyFactory.getInstance(info.getAlgName());
            Cipher cipher = Cipher.getInstance(info.getAlgName());
            cipher.init(Cipher.DECRYPT_MODE, f.generateSecret(new PBEKeySpec(pass.toCharArray())), info.getAlgParameters());
            PKCS8EncodedKeySpec spec = info.getKeySpec(cipher);
            String plain = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(spec.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
            return Buffer.buffer(plain);
        } catch (Exception e) {
            throw new TlsError("Failed to load private key: " + file + ": " + e.getMessage(), e);
        }
    }

    /** The PEM certificates of a CA directory (OpenSSL's hashed links and any other PEM file). */
    private static List<Buffer> certificatesIn(String dir) throws TlsError {
        List<Buffer> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(p)) {
                    byte[] b = Files.readAllBytes(p);
                    if (new String(b, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
                        out.add(Buffer.buffer(b));
                    }
                }
            }
        } catch (IOException e) {
            throw new TlsError("Failed to configure CA certificate(s) directory " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The key must be the certificate's (OpenSSL's SSL_CTX_check_private_key): a signature made with one checks with the other. */
    private static Object matching(javax.net.ssl.KeyManagerFactory kmf) throws Exception {
        for (javax.net.ssl.KeyManager km : kmf.getKeyManagers()) {
            if (km instanceof javax.net.ssl.X509KeyManager x) {
                for (String type : new String[] {"RSA", "EC", "EdDSA", "Ed25519", "DSA"}) {
                    String[] aliases = x.getServerAliases(type, null);
                    if (aliases == null) {
                        continue;
                    }
                    for (String alias : aliases) {
                        java.security.PrivateKey pk = x.getPrivateKey(alias);
                        java.security.cert.X509Certificate[] chain = x.getCertificateChain(alias);
                        String alg = pk.getAlgorithm().equals("RSA") ? "SHA256withRSA"
                            : pk.getAlgorithm().equals("EC") ? "SHA256withECDSA" : pk.getAlgorithm();
                        java.security.Signature sign = java.security.Signature.getInstance(alg);
                        sign.initSign(pk);
                        byte[] probe = "quokka".getBytes(StandardCharsets.US_ASCII);
                        sign.update(probe);
                        byte[] sig = sign.sign();
                        java.security.Signature verify = java.security.Signature.getInstance(alg);
                        verify.initVerify(chain[0].getPublicKey());
                        verify.update(probe);
                        if (!verify.verify(sig)) {
                            throw new IllegalArgumentException("the private key does not match the certificate");
                        }
                        return kmf;
                    }
                }
            }
        }
        throw new IllegalArgumentException("no certificate and key found");
    }

    private interface Load {
        Object run() throws Exception;
    }

    private static void check(Load load, String message) throws TlsError {
        try {
            load.run();
        } catch (Exception e) {
            throw new TlsError(message + ": " + e.getMessage(), e);
        }
    }
}
