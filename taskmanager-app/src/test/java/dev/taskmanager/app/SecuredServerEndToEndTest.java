package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against the real server with issue 11's access controls on both sides: a bearer token
 * ({@code serve --auth-token-file}, {@code tasks --token-file}) over TLS ({@code serve --tls-keystore},
 * {@code tasks --cacert}). The server and the CLI were hardened by different hands; this is where
 * their halves are checked to fit.
 */
class SecuredServerEndToEndTest {
    private static final String TOKEN = "e2e-token-5f1d0c9a7b3e4d2c";
    private static final String STORE_PASSWORD = "changeit-e2e";

    @TempDir
    static Path dir;
    static Path tokenFile;
    static Path certificate;
    static AppServer server;

    @BeforeAll
    static void startSecuredServer() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD);
        certificate = dir.resolve("server.pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
                "-storepass", STORE_PASSWORD, "-file", certificate.toString());
        tokenFile = privateFile("token", TOKEN + "\n");
        Path passwordFile = privateFile("store-password", STORE_PASSWORD + "\n");
        server = AppServer.start(List.of(), "--enable-test-api", "--auth-token-file", tokenFile.toString(),
                "--tls-keystore", keyStore.toString(), "--tls-keystore-password-file", passwordFile.toString());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theCliWithTheTokenAndTheServersCertificateIsServed() {
        Run run = server.run("tasks", "modules", "--token-file", tokenFile.toString(), "--cacert", certificate.toString());

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out().lines()).contains("files");
    }

    @Test
    void theCliWithoutTheTokenIsRefusedWithAHintAndExit4() {
        Run run = server.run("tasks", "modules", "--cacert", certificate.toString());

        assertThat(run.code()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).contains("401").contains("set TASKMANAGER_TOKEN or --token-file");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theCliWithAWrongTokenIsRefusedWithoutPrintingEitherToken() throws Exception {
        Path wrong = privateFile("wrong-token", "not-the-token\n");

        Run run = server.run("tasks", "modules", "--token-file", wrong.toString(), "--cacert", certificate.toString());

        assertThat(run.code()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).contains("401").doesNotContain("not-the-token").doesNotContain(TOKEN);
    }

    @Test
    void theCliThatDoesNotTrustTheCertificateFailsTheHandshakeWithExit4() {
        Run run = server.run("tasks", "modules", "--tls", "--token-file", tokenFile.toString());

        assertThat(run.code()).as(run.toString()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aPlainHttpClientGetsNoAnswerFromTheTlsPort() {
        Run run = server.run("tasks", "modules", "--token-file", tokenFile.toString());

        assertThat(run.code()).as(run.toString()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void filesCommandsCarryTheTokenAndTrustToo() {
        Run run = server.run("files", "manifest", dir.toString(), "--token-file", tokenFile.toString(),
                "--cacert", certificate.toString());

        // no --allow-path was given, so the server refuses the path: what matters is that the refusal
        // is the files route's own 400, reached through TLS with the token, not a 401 or a handshake error
        assertThat(run.code()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).contains("400").contains("--allow-path");
    }

    private static Path privateFile(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
    }
}
