package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            "--api-address= | invalid value '' for option '--api-address'",
            "--api-port | option '--api-port' needs a value",
            "--port 1 | unknown option '--port'",
            "--shards 2 --shards 3 | option '--shards' is given more than once",
            "serve | unexpected argument 'serve'"})
    void badFlagsExitWith2AndOneLineNamingTheFlagAndValue(String line, String message) {
        String[] args = line.trim().split(" +");
        int code = ServeCommand.run(print(out), print(err), args);
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("error: ").contains(message).endsWith("(see serve --help)");
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
                    .isEqualTo("Task manager API listening on http://127.0.0.1:" + server.port() + System.lineSeparator());
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
