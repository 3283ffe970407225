package dev.quokka.server;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TLS listener's certificate, key and trusted CAs behind managers that stay the same object
 * while what they hold is replaced: CONFIG SET of {@code tls-cert-file}, {@code tls-key-file} or
 * {@code tls-ca-cert-file} takes effect for the next handshake, synchronously, and connections
 * already open keep theirs (as Redis swaps its SSL_CTX). An alias handed out in one handshake names
 * the generation it came from, so a handshake that straddles a change keeps one certificate and key.
 */
final class TlsKeys {
    private final Map<Integer, X509ExtendedKeyManager> keys = new ConcurrentHashMap<>();
    private volatile int generation;
    private volatile X509ExtendedTrustManager trust;

    void set(X509ExtendedKeyManager k, X509ExtendedTrustManager t) {
        int g = generation + 1;
        keys.put(g, k);
        generation = g;
        keys.keySet().removeIf(old -> old < g - 1); // the one before stays for handshakes under way
        trust = t;
    }

    KeyManagerFactory keyManagerFactory() {
        KeyManager km = new Keys();
        return new KeyManagerFactory(new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks, char[] password) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {km};
            }
        }, null, "quokka") {
        };
    }

    TrustManagerFactory trustManagerFactory() {
        TrustManager tm = new Trust();
        return new TrustManagerFactory(new TrustManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected TrustManager[] engineGetTrustManagers() {
                return new TrustManager[] {tm};
            }
        }, null, "quokka") {
        };
    }

    private final class Keys extends X509ExtendedKeyManager {
        private X509ExtendedKeyManager of(String alias) {
            int bar = alias == null ? -1 : alias.indexOf(':');
            return bar < 0 ? null : keys.get(Integer.parseInt(alias.substring(0, bar)));
        }

        private static String inner(String alias) {
            return alias.substring(alias.indexOf(':') + 1);
        }

        private String tagged(String alias) {
            return alias == null ? null : generation + ":" + alias;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            X509ExtendedKeyManager k = keys.get(generation);
            return k == null ? null : tagged(k.chooseEngineServerAlias(keyType, issuers, engine));
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            X509ExtendedKeyManager k = keys.get(generation);
            return k == null ? null : tagged(k.chooseServerAlias(keyType, issuers, socket));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            X509ExtendedKeyManager k = keys.get(generation);
            String[] a = k == null ? null : k.getServerAliases(keyType, issuers);
            if (a != null) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = tagged(a[i]);
                }
            }
            return a;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            X509ExtendedKeyManager k = of(alias);
            return k == null ? null : k.getCertificateChain(inner(alias));
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            X509ExtendedKeyManager k = of(alias);
            return k == null ? null : k.getPrivateKey(inner(alias));
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    private final class Trust extends X509ExtendedTrustManager {
        private X509ExtendedTrustManager current() throws CertificateException {
            X509ExtendedTrustManager t = trust;
            if (t == null) {
                throw new CertificateException("no CA certificate is configured (tls-ca-cert-file, tls-ca-cert-dir)");
            }
            return t;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            current().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            current().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509ExtendedTrustManager t = trust;
            return t == null ? new X509Certificate[0] : t.getAcceptedIssuers();
        }
    }
}
