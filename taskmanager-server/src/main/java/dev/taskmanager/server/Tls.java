package dev.taskmanager.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's TLS identity, from a key store (PKCS#12 or JKS, with its password) or from PEM files
 * (a certificate chain and an unencrypted PKCS#8 private key, as {@code certbot} and most tools
 * write them). Loaded and checked when the server is built, so that a wrong password or a missing
 * key fails the start with a message naming the option, not the first handshake.
 */
final class Tls {
    private final KeyStore keyStore;
    private final char[] password;

    private Tls(KeyStore keyStore, char[] password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /**
     * A key store file holding one private key entry.
     *
     * @throws IllegalArgumentException if it cannot be read, the password is wrong or it has no key
     */
    static Tls fromKeyStore(Path file, char[] password) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("invalid value '" + file + "' for option '--tls-keystore': not a regular file");
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(file.toFile(), password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid value '" + file + "' for option '--tls-keystore': cannot load "
                    + "it as PKCS#12 or JKS (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                    + "); is the password right?", e);
        }
        try {
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IllegalArgumentException("invalid value '" + file + "' for option '--tls-keystore': it holds "
                        + "no private key entry");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid value '" + file + "' for option '--tls-keystore': " + e.getMessage(), e);
        }
        return new Tls(store, password.clone());
    }

    /**
     * A PEM certificate chain (the server's certificate first) and its PEM private key.
     *
     * @throws IllegalArgumentException naming the option and the problem
     */
    static Tls fromPem(Path certificateChain, Path privateKey) {
        Collection<? extends Certificate> chain;
        try {
            chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificateChain)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid value '" + certificateChain + "' for option '--tls-cert': "
                    + "cannot read a PEM certificate chain from it: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("invalid value '" + certificateChain + "' for option '--tls-cert': "
                    + "no certificate in it");
        }
        PrivateKey key = readPrivateKey(privateKey);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = randomPassword();
            store.setKeyEntry("taskmanager", key, password, chain.toArray(new Certificate[0]));
            return new Tls(store, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the key in '" + privateKey + "' does not fit the certificate in '"
                    + certificateChain + "': " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPrivateKey(Path file) {
        String pem = new String(SecretFiles.read(file, "--tls-key"), StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            String kind = pem.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key"
                    : pem.contains("RSA PRIVATE KEY") || pem.contains("EC PRIVATE KEY") ? "a PKCS#1/SEC1 key"
                    : "no PEM private key";
            throw new IllegalArgumentException("invalid value '" + file + "' for option '--tls-key': found " + kind
                    + "; give an unencrypted PKCS#8 key ('" + begin + "'), e.g. converted with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem'");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("invalid value '" + file + "' for option '--tls-key': not an RSA, EC or "
                + "EdDSA private key this JDK can read");
    }

    private static char[] randomPassword() {
        SecureRandom random = new SecureRandom();
        char[] password = new char[32];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        return password;
    }

    /** Jetty's TLS settings for this identity: TLS 1.2 and 1.3 with the JDK's default cipher suites. */
    SslContextFactory.Server sslContextFactory() {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(keyStore);
        factory.setKeyStorePassword(new String(password));
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // A certificate for a name must still serve clients that connect by address (nodetool -h IP).
        factory.setSniRequired(false);
        return factory;
    }
}
