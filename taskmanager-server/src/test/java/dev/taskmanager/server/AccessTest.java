package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskmanager.TaskManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's access rules, through real HTTP(S): only this machine's names on a loopback bind (DNS
 * rebinding), no cross-origin writes from browsers, an optional bearer token, and TLS from a key
 * store or PEM files. Clients that are not browsers (curl, our CLI, ScyllaDB's tools) send no
 * {@code Origin} and keep working.
 */
class AccessTest {
    private static final String TOKEN = "s3cr3t-token-0123456789abcdef";
    private static final char[] STORE_PASSWORD = "changeit-please".toCharArray();

    @TempDir
    static Path dir;
    static Path keyStore;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
    }

    // ---------------------------------------------------------------- Host

    @Test
    void aLoopbackServerAnswersOnlyHostsThatNameThisMachine() {
        try (ServerFixture f = new ServerFixture(); KeepAlive connection = new KeepAlive(f.server.port())) {
            int port = f.server.port();
            for (String host : List.of("localhost:" + port, "LOCALHOST", "127.0.0.1:" + port, "127.1.2.3", "[::1]:" + port)) {
                assertThat(request(connection, "GET", "/task_manager/list_modules", "Host: " + host).status())
                        .as(host).isEqualTo(200);
            }
            KeepAlive.Answer rebound = request(connection, "GET", "/task_manager/list_modules", "Host: evil.example:" + port);
            assertThat(rebound.status()).isEqualTo(421);
            assertThat(rebound.body()).isEqualTo("{\"message\":\"host 'evil.example:" + port + "' is not served here: "
                    + "on a loopback address only localhost, loopback addresses and the allowed hosts (--allowed-hosts) "
                    + "are\",\"code\":421}");
            assertThat(request(connection, "GET", "/task_manager/list_modules", "Host: 127.0.0.1.evil.example").status())
                    .isEqualTo(421);
            // the connection stays usable
            assertThat(request(connection, "GET", "/task_manager/ttl", "Host: localhost").status()).isEqualTo(200);
        }
    }

    @Test
    void configuredHostsAreAnsweredToo() {
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.allowedHosts(List.of("TM.example.com")));
             KeepAlive connection = new KeepAlive(f.server.port())) {
            assertThat(request(connection, "GET", "/task_manager/ttl", "Host: tm.example.com:10000").status()).isEqualTo(200);
            assertThat(request(connection, "GET", "/task_manager/ttl", "Host: localhost").status()).isEqualTo(200);
            assertThat(request(connection, "GET", "/task_manager/ttl", "Host: other.example.com").status()).isEqualTo(421);
        }
        assertThatThrownBy(() -> TaskManagerServer.builder(TaskManager.builder().build()).allowedHosts(List.of("http://x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without scheme or port");
    }

    // ---------------------------------------------------------------- cross-origin writes

    @Test
    void browsersCannotWriteFromAnotherOriginButOtherClientsAndReadsAreUnaffected() {
        try (ServerFixture f = new ServerFixture(); KeepAlive connection = new KeepAlive(f.server.port())) {
            f.withTestModule();
            String own = "http://127.0.0.1:" + f.server.port();
            String host = "Host: 127.0.0.1:" + f.server.port();

            KeepAlive.Answer foreign = request(connection, "POST", "/task_manager/ttl?ttl=7", host, "Origin: http://evil.example");
            assertThat(foreign.status()).isEqualTo(403);
            assertThat(foreign.body()).isEqualTo("{\"message\":\"cross-origin request refused: Origin 'http://evil.example' "
                    + "is not this server's origin '" + own + "'; a POST must come from this server's own origin or "
                    + "from a client that is not a browser\",\"code\":403}");
            assertThat(request(connection, "POST", "/task_manager/ttl?ttl=7", host, "Origin: null").status()).isEqualTo(403);
            KeepAlive.Answer crossSite = request(connection, "POST", "/task_manager/ttl?ttl=7", host, "Sec-Fetch-Site: cross-site");
            assertThat(crossSite.status()).isEqualTo(403);
            assertThat(crossSite.body()).contains("Sec-Fetch-Site is 'cross-site'");
            assertThat(request(connection, "POST", "/task_manager/ttl?ttl=7", host, "Sec-Fetch-Site: same-site").status())
                    .isEqualTo(403);
            assertThat(request(connection, "DELETE", "/task_manager_test/test_module", host, "Origin: http://evil.example")
                    .status()).isEqualTo(403);
            assertThat(f.client.get("/task_manager/ttl").body()).isEqualTo("0"); // nothing was applied
            assertThat(f.tm.moduleNames()).contains("test");

            assertThat(request(connection, "GET", "/task_manager/ttl", host, "Origin: http://evil.example").status())
                    .isEqualTo(200);
            assertThat(request(connection, "POST", "/task_manager/ttl?ttl=1", host, "Origin: " + own).status()).isEqualTo(200);
            assertThat(request(connection, "POST", "/task_manager/ttl?ttl=2", host, "Origin: " + own.toUpperCase() ,
                    "Sec-Fetch-Site: same-origin").status()).isEqualTo(200);
            assertThat(request(connection, "POST", "/task_manager/ttl?ttl=3", host, "Sec-Fetch-Site: none").status())
                    .isEqualTo(200);
            assertThat(request(connection, "POST", "/task_manager/ttl?ttl=4", host).status()).isEqualTo(200); // curl
            assertThat(f.client.get("/task_manager/ttl").body()).isEqualTo("4");
        }
    }

    // ---------------------------------------------------------------- bearer token

    @Test
    void withATokenEveryRequestNeedsItAndAMissingOrWrongOneIs401() throws Exception {
        Path tokenFile = secretFile("token", TOKEN + "\n");
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.authTokenFile(tokenFile));
             KeepAlive connection = new KeepAlive(f.server.port())) {
            KeepAlive.Answer missing = request(connection, "GET", "/task_manager/list_modules", "Host: localhost");
            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"taskmanager\"");
            assertThat(missing.body()).isEqualTo("{\"message\":\"missing bearer token: send the header "
                    + "'Authorization: Bearer <token>'\",\"code\":401}");
            KeepAlive.Answer wrong = request(connection, "GET", "/task_manager/list_modules", "Host: localhost",
                    "Authorization: Bearer " + TOKEN + "x");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"taskmanager\", error=\"invalid_token\"");
            assertThat(wrong.body()).isEqualTo("{\"message\":\"invalid bearer token\",\"code\":401}");
            assertThat(request(connection, "GET", "/task_manager/list_modules", "Host: localhost",
                    "Authorization: Basic " + Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)))
                    .status()).isEqualTo(401);
            assertThat(request(connection, "GET", "/task_manager/nowhere", "Host: localhost").status())
                    .as("no 404 before authentication").isEqualTo(401);

            assertThat(request(connection, "GET", "/task_manager/list_modules", "Host: localhost",
                    "Authorization: Bearer " + TOKEN).status()).isEqualTo(200);
            assertThat(request(connection, "POST", "/task_manager/ttl?ttl=5", "Host: localhost",
                    "Authorization: bearer " + TOKEN).status()).isEqualTo(200);
            assertThat(f.server.warnings()).isEmpty(); // loopback
        }
    }

    @Test
    void aTokenFileThatOthersCanReadIsRefusedAsOpenSshDoes() throws Exception {
        Path open = secretFile("open-token", TOKEN);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        TaskManager tm = TaskManager.builder().build();
        try {
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).authTokenFile(open))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid value '" + open + "' for option '--auth-token-file': permissions 0644 are too "
                            + "open; it holds a secret, so group and others must have no access (chmod 600 " + open + ")");
            Path empty = secretFile("empty-token", "\n");
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).authTokenFile(empty))
                    .hasMessageContaining("the file is empty");
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).authTokenFile(dir.resolve("absent")))
                    .hasMessageContaining("not a regular file");
        } finally {
            tm.close();
        }
    }

    @Test
    void aNonLoopbackBindWithoutATokenWarns() throws Exception {
        Path tokenFile = secretFile("token2", TOKEN);
        TaskManager tm = TaskManager.builder().build();
        try (TaskManagerServer open = TaskManagerServer.builder(tm).bindAddress("0.0.0.0").build();
             TaskManagerServer clear = TaskManagerServer.builder(tm).bindAddress("0.0.0.0").authTokenFile(tokenFile).build();
             TaskManagerServer safe = TaskManagerServer.builder(tm).bindAddress("0.0.0.0").authTokenFile(tokenFile)
                     .tlsKeyStore(keyStore, STORE_PASSWORD).build()) {
            assertThat(open.warnings()).singleElement().asString().startsWith("listening on 0.0.0.0 without an auth "
                    + "token: anyone who can reach this address can list, abort and start tasks");
            assertThat(clear.warnings()).singleElement().asString().contains("without TLS");
            assertThat(safe.warnings()).isEmpty();
        } finally {
            tm.close();
        }
    }

    // ---------------------------------------------------------------- TLS

    @Test
    void tlsFromAKeyStoreServesHttpsAndTheTokenAndChecksStillApply() throws Exception {
        Path tokenFile = secretFile("token3", TOKEN);
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.tlsKeyStore(keyStore, STORE_PASSWORD).authTokenFile(tokenFile))) {
            assertThat(f.server.uri().getScheme()).isEqualTo("https");
            HttpClient https = httpsClient();
            HttpResponse<String> ok = https.send(get(f.server.uri(), "/task_manager/ttl").header("Authorization",
                    "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("0");
            HttpResponse<String> noToken = https.send(get(f.server.uri(), "/task_manager/ttl").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
            HttpResponse<String> foreign = https.send(HttpRequest.newBuilder(f.server.uri().resolve("/task_manager/ttl?ttl=9"))
                    .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN)
                    .header("Origin", "http://" + f.server.uri().getAuthority()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).as("http:// is another origin than https://").isEqualTo(403);

            // plain HTTP on the TLS port gets no answer from the API
            try (KeepAlive plain = new KeepAlive(f.server.port())) {
                plain.send("GET /task_manager/ttl HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
                assertThat(readQuietly(plain.socket.getInputStream())).doesNotContain("HTTP/1.1 200");
            }
        }
    }

    @Test
    void tlsFromPemFilesServesHttps() throws Exception {
        KeyStore store = KeyStore.getInstance(keyStore.toFile(), STORE_PASSWORD);
        Certificate certificate = store.getCertificate("server");
        byte[] key = store.getKey("server", STORE_PASSWORD).getEncoded();
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        Path keyFile = secretFile("key.pem", pem("PRIVATE KEY", key));
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.tlsPem(cert, keyFile))) {
            HttpResponse<String> ok = httpsClient().send(get(f.server.uri(), "/task_manager/list_modules").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
        }
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r-----"));
        TaskManager tm = TaskManager.builder().build();
        try {
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).tlsPem(cert, keyFile))
                    .hasMessageContaining("for option '--tls-key': permissions 0640 are too open");
            Path pkcs1 = secretFile("rsa.pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).tlsPem(cert, pkcs1))
                    .hasMessageContaining("found a PKCS#1/SEC1 key").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).tlsKeyStore(keyStore, "wrong".toCharArray()))
                    .hasMessageContaining("for option '--tls-keystore'").hasMessageContaining("is the password right?");
        } finally {
            tm.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static KeepAlive.Answer request(KeepAlive connection, String method, String target, String... headers) {
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        connection.send(request.append("\r\n").toString());
        return connection.read();
    }

    private static Path secretFile(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static HttpRequest.Builder get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    private static HttpClient httpsClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", KeyStore.getInstance(keyStore.toFile(), STORE_PASSWORD).getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static String readQuietly(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
