package dev.taskmanager.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of a connection: which certificates to trust. By default the JDK's trust store;
 * with {@code --cacert FILE}, only the certificates of that PEM file (a CA, or the server's own
 * self-signed certificate), like curl's {@code --cacert}. Host names are verified either way
 * ({@code HttpsURLConnection}'s default): the certificate must name the host given with
 * {@code -h}. Built only when TLS is asked for, since an SSL context costs start-up time.
 */
final class Tls {

    private Tls() {
    }

    /** A socket factory trusting the JDK's default trust store. */
    static SSLSocketFactory defaultTrust() {
        return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    /**
     * A socket factory trusting exactly the certificates in {@code pemFile}.
     *
     * @throws CliException exit code 2, when the file cannot be read or holds no certificate
     */
    static SSLSocketFactory trusting(String pemFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw bad(pemFile, CliException.fileProblem(e));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw bad(pemFile, RestClient.reason(e));
        }
        if (certificates.isEmpty()) {
            throw bad(pemFile, "no certificate in it");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("cert-" + n++, certificate);
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw bad(pemFile, RestClient.reason(e));
        }
    }

    private static CliException bad(String pemFile, String reason) {
        return new CliException(CliException.BAD_ARGUMENTS, "error: cannot use --cacert '"
                + pemFile + "' as trusted certificates: " + reason);
    }
}
