package dev.taskmanager.cli;

import static dev.taskmanager.cli.Fixtures.ENDED;
import static dev.taskmanager.cli.Fixtures.STARTED;
import static dev.taskmanager.cli.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code tasks wait}: status lines, {@code Operation timed out}, and the quiet exit codes. */
class WaitTest {

    private static final String PATH = "/task_manager/wait_task/t1";
    private static final String DONE =
            status("t1", "done", false, STARTED, ENDED, "", "none", "1", "1", "[]");
    private static final String FAILED =
            status("t1", "failed", false, STARTED, ENDED, "boom", "none", "1", "0", "[]");
    private static final String TIMED_OUT = "{\"message\": \"timedout\", \"code\": 408}";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void waitPrintsTheFinalStatusAsStatusLines() {
        server.get(PATH, DONE);

        Cli.Result result = Cli.against(server, "tasks", "wait", "t1");

        assertThat(result.out()).startsWith("id: t1\ntype: repair\n").contains("\nstate: done\n",
                "\nend_time: " + ENDED + "\n").endsWith("\nchildren_ids: []\n");
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo("GET " + PATH);
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void waitOfAFailedTaskPrintsItsStatusAndExitsZeroWithoutQuiet() {
        server.get(PATH, FAILED);
        Cli.Result result = Cli.against(server, "tasks", "wait", "t1");
        assertThat(result.out()).contains("\nstate: failed\n", "\nerror: boom\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void waitSendsTheTimeoutOnlyWhenGiven() {
        server.get(PATH, DONE);
        Cli.against(server, "tasks", "wait", "t1", "--timeout", "5");
        Cli.against(server, "tasks", "wait", "t1", "--timeout=0");
        assertThat(server.requestLines()).containsExactly("GET " + PATH + "?timeout=5",
                "GET " + PATH + "?timeout=0");
    }

    @Test
    void waitPrintsOperationTimedOutOn408() {
        server.on("GET", PATH, 408, TIMED_OUT);

        Cli.Result result = Cli.against(server, "tasks", "wait", "t1", "--timeout", "1");

        assertThat(result.out()).isEqualTo("Operation timed out\n");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void waitWithoutQuietReportsOtherErrorsAsFailedRequests() {
        server.on("GET", PATH, 400, "{\"message\": \"task with id t1 not found\", \"code\": 400}");

        Cli.Result result = Cli.against(server, "tasks", "wait", "t1");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error executing GET request to " + PATH
                + " with parameters {}: remote replied with status code 400:\n"
                + "task with id t1 not found\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void waitQuietExitsZeroWhenTheTaskIsDone() {
        server.get(PATH, DONE);
        assertQuiet(Cli.against(server, "tasks", "wait", "--quiet", "t1"), 0);
    }

    @Test
    void waitQuietExits123WhenTheTaskFailed() {
        server.get(PATH, FAILED);
        assertQuiet(Cli.against(server, "tasks", "wait", "t1", "-q"), 123);
    }

    @Test
    void waitQuietExitsZeroForAnyOtherFinalState() {
        server.get(PATH, "{\"id\": \"t1\", \"state\": \"suspended\"}");
        assertQuiet(Cli.against(server, "tasks", "wait", "t1", "-q"), 0);
    }

    @Test
    void waitQuietExits124WhenTimedOut() {
        server.on("GET", PATH, 408, TIMED_OUT);
        assertQuiet(Cli.against(server, "tasks", "wait", "t1", "-q", "--timeout", "0"), 124);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 500})
    void waitQuietExits125OnAnyOtherErrorStatus(int status) {
        server.on("GET", PATH, status, "{\"message\": \"no\", \"code\": " + status + "}");
        assertQuiet(Cli.against(server, "tasks", "wait", "t1", "-q"), 125);
    }

    @Test
    void waitQuietExits125WhenTheBodyIsNotAStatus() {
        server.get(PATH, "not json");
        assertQuiet(Cli.against(server, "tasks", "wait", "t1", "-q"), 125);
    }

    @Test
    void waitQuietExits125WhenTheServerCannotBeReached() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertQuiet(Cli.run("tasks", "wait", "t1", "-q", "-h", "127.0.0.1", "-p",
                Integer.toString(port)), 125);
    }

    @Test
    void waitWithoutQuietReportsAnUnreachableServerWithExitFour() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Cli.Result result = Cli.run("tasks", "wait", "t1", "-h", "127.0.0.1", "-p",
                Integer.toString(port));
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("error: cannot connect to 127.0.0.1:" + port);
    }

    private static void assertQuiet(Cli.Result result, int exitCode) {
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(exitCode);
    }
}
