package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskmanager.TaskManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code serve} flags and lifecycle. */
class ServeCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void defaultsMatchTheSpec() {
        ServerOptions options = ServeCommand.parse();
        assertThat(options.apiAddress()).isEqualTo("127.0.0.1");
        assertThat(options.apiPort()).isEqualTo(10000);
        assertThat(options.shards()).isEqualTo(1);
        assertThat(options.taskTtl()).isEqualTo(Duration.ZERO);
        assertThat(options.userTaskTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(options.unregisterFinishedOnRead()).isFalse();
        assertThat(options.enableTestApi()).isFalse();
        assertThat(options.metrics()).isTrue();
        assertThat(options.help()).isFalse();
    }

    @Test
    void everyFlagIsAcceptedInBothForms() {
        ServerOptions spaced = ServeCommand.parse("--api-address", "0.0.0.0", "--api-port", "0", "--shards", "4",
                "--task-ttl-in-seconds", "5", "--user-task-ttl-in-seconds", "6", "--unregister-finished-on-read",
                "--enable-test-api");
        ServerOptions joined = ServeCommand.parse("--api-address=0.0.0.0", "--api-port=0", "--shards=4",
                "--task-ttl-in-seconds=5", "--user-task-ttl-in-seconds=6", "--unregister-finished-on-read=true",
                "--enable-test-api=1");
        for (ServerOptions o : new ServerOptions[] {spaced, joined}) {
            assertThat(o.apiAddress()).isEqualTo("0.0.0.0");
            assertThat(o.apiPort()).isZero();
            assertThat(o.shards()).isEqualTo(4);
            assertThat(o.taskTtl()).isEqualTo(Duration.ofSeconds(5));
            assertThat(o.userTaskTtl()).isEqualTo(Duration.ofSeconds(6));
            assertThat(o.unregisterFinishedOnRead()).isTrue();
            assertThat(o.enableTestApi()).isTrue();
        }
        assertThat(ServeCommand.parse("--enable-test-api=false").enableTestApi()).isFalse();
        assertThat(ServeCommand.parse("--no-metrics").metrics()).isFalse();
        assertThat(ServeCommand.parse("--no-metrics=true").metrics()).isFalse();
        assertThat(ServeCommand.parse("--no-metrics=false").metrics()).isTrue();
    }

    @Test
    void serveExposesMetricsByDefaultAndNotWithNoMetrics() throws Exception {
        try (TaskManager tm = ServeCommand.parse().newTaskManager()) {
            TaskManagerServer metered = ServeCommand.parse("--api-port=0").newServer(tm).ownsTaskManager(false).build();
            assertThat(metered.metrics()).isPresent();
            assertThat(metered.metrics().get().find("jvm.memory.used").gauges()).isNotEmpty();
            metered.close();
            TaskManagerServer plain = ServeCommand.parse("--api-port=0", "--no-metrics").newServer(tm)
                    .ownsTaskManager(false).build();
            assertThat(plain.metrics()).isEmpty();
            plain.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--api-port abc | invalid value 'abc' for option '--api-port': expected a whole number from 0 to 65535",
            "--api-port=70000 | invalid value '70000' for option '--api-port': out of range",
            "--api-port=-1 | invalid value '-1' for option '--api-port': must not be negative",
            "--shards 0 | invalid value '0' for option '--shards': out of range; expected a whole number from 1 to 1024",
            "--task-ttl-in-seconds=-3 | invalid value '-3' for option '--task-ttl-in-seconds'",
            "--user-task-ttl-in-seconds=1h | invalid value '1h' for option '--user-task-ttl-in-seconds'",
            "--enable-test-api=yes | invalid value 'yes' for option '--enable-test-api'",
            "--no-metrics=2 | invalid value '2' for option '--no-metrics'",
            "--api-address= | invalid value '' for option '--api-address'",
            "--api-port | option '--api-port' needs a value",
            "--port 1 | unknown option '--port'",
            "--shards 2 --shards 3 | option '--shards' is given more than once",
            "serve | unexpected argument 'serve'",
            "--max-connections 0 | invalid value '0' for option '--max-connections': out of range",
            "--max-connections-per-address=x | invalid value 'x' for option '--max-connections-per-address'",
            "--request-header-timeout=0 | invalid value '0' for option '--request-header-timeout': out of range",
            "--max-concurrent-listings -1 | invalid value '-1' for option '--max-concurrent-listings'",
            "--shutdown-timeout=1m | invalid value '1m' for option '--shutdown-timeout'",
            "--allowed-hosts=http://x | invalid value 'http://x' for option '--allowed-hosts'",
            "--allowed-hosts=, | expected host names separated by commas",
            "--tls-cert c.pem | option '--tls-cert' needs '--tls-key' too",
            "--tls-key k.pem | option '--tls-key' needs '--tls-cert' too",
            "--tls-keystore k.p12 --tls-cert c.pem --tls-key k.pem | '--tls-keystore' and '--tls-cert'/'--tls-key' do not go together",
            "--tls-keystore-password-file p | option '--tls-keystore-password-file' needs '--tls-keystore'",
            "--auth-token-file= | invalid value '' for option '--auth-token-file'"})
    void badFlagsExitWith2AndOneLineNamingTheFlagAndValue(String line, String message) {
        String[] args = line.trim().split(" +");
        int code = ServeCommand.run(print(out), print(err), ServeCommand.Customizer.NONE,
                new CompletableFuture<>(), server -> { }, false, args);
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("error: ").contains(message).endsWith("(see serve --help)");
    }

    @Test
    void limitsAndAccessFlagsHaveTheirDocumentedDefaults() {
        ServerOptions options = ServeCommand.parse();
        assertThat(options.maxConnections()).isEqualTo(10_000);
        assertThat(options.maxConnectionsPerAddress()).isEqualTo(2_048);
        assertThat(options.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.maxConcurrentListings()).isEqualTo(8);
        assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.allowedHosts()).isEmpty();
        assertThat(options.authTokenFile()).isEmpty();
        assertThat(options.tls()).isFalse();
    }

    @Test
    void limitsAndAccessFlagsAreAcceptedInBothForms() {
        ServerOptions o = ServeCommand.parse(java.util.Map.of(ServeCommand.KEYSTORE_PASSWORD_ENV, "pw"),
                "--max-connections", "5", "--max-connections-per-address=4", "--request-header-timeout", "3",
                "--max-concurrent-listings=2", "--shutdown-timeout", "0", "--allowed-hosts", "a.example, b.example",
                "--auth-token-file=/t", "--tls-keystore", "/k.p12");
        assertThat(o.maxConnections()).isEqualTo(5);
        assertThat(o.maxConnectionsPerAddress()).isEqualTo(4);
        assertThat(o.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.maxConcurrentListings()).isEqualTo(2);
        assertThat(o.shutdownTimeout()).isZero();
        assertThat(o.allowedHosts()).containsExactly("a.example", "b.example");
        assertThat(o.authTokenFile()).hasValue(java.nio.file.Path.of("/t"));
        assertThat(o.tls()).isTrue();
        assertThatThrownBy(() -> ServeCommand.parse(java.util.Map.of(), "--tls-keystore", "/k.p12"))
                .hasMessage("option '--tls-keystore' needs its password: give '--tls-keystore-password-file FILE' or "
                        + "set TASKMANAGER_TLS_KEYSTORE_PASSWORD");
    }

    @Test
    void aTokenFileOthersCanReadStopsTheStartWithExit2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path token = dir.resolve("token");
        java.nio.file.Files.writeString(token, "abc");
        java.nio.file.Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        int code = ServeCommand.run(print(out), print(err), "--api-port", "0", "--auth-token-file", token.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: invalid value '" + token + "' for option "
                + "'--auth-token-file': permissions 0660 are too open; it holds a secret, so group and others must "
                + "have no access (chmod 600 " + token + ")" + System.lineSeparator());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void helpPrintsTheUsageAndExits0() {
        assertThat(ServeCommand.run(print(out), print(err), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--api-port PORT").contains("--enable-test-api")
                .contains("(default 3600)");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void parseThrowsForAnotherModuleToReport() {
        assertThatThrownBy(() -> ServeCommand.parse("--shards", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'--shards'");
    }

    @Test
    void runServesUntilStoppedAndAppliesFlagsAndCustomizations() throws Exception {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<TaskManagerServer> started = new CompletableFuture<>();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = runner.submit(() -> ServeCommand.run(print(out), print(err),
                    (tm, server) -> server.route("GET", "/hello", r -> "hi " + r.requiredQuery("name")),
                    stop, started::complete, false, "--api-port=0", "--shards=3", "--task-ttl-in-seconds", "9",
                    "--enable-test-api"));
            TaskManagerServer server = started.get(20, TimeUnit.SECONDS);
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo("Task manager API listening on http://127.0.0.1:" + server.port() + System.lineSeparator()
                            + "Dashboard: http://127.0.0.1:" + server.port() + "/ui/" + System.lineSeparator());
            ApiClient client = new ApiClient(server.uri());
            assertThat(client.get("/task_manager/ttl").body()).isEqualTo("9");
            assertThat(client.get("/hello?name=x").body()).isEqualTo("\"hi x\"");
            assertThat(client.post("/task_manager_test/test_module").status()).isEqualTo(200);
            assertThat(client.post("/task_manager_test/test_task?shard=2").status()).isEqualTo(200);
            assertThat(exit).isNotDone();
            stop.complete(null);
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(server.taskManager().moduleNames()).isEmpty(); // owned: closed with the server
        } finally {
            runner.shutdownNow();
        }
    }

    @Test
    void aPortInUseExitsWith1AndSaysWhere() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int code = ServeCommand.run(print(out), print(err), "--api-port", String.valueOf(taken.getLocalPort()));
            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
