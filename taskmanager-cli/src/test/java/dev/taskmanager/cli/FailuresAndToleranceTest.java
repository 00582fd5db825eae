package dev.taskmanager.cli;

import static dev.taskmanager.cli.Cli.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §14.5: print what the server sent; only a failed request (non-2xx, no connection) or a
 * body that cannot be read at all is an error (exit 4, one message on stderr).
 */
class FailuresAndToleranceTest {

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aFailedRequestPrintsMethodPathParametersStatusAndTheServerMessage() {
        server.on("GET", "/task_manager/list_module_tasks/nope", 400,
                "{\"message\": \"module nope not found\", \"code\": 400}");

        Cli.Result result = Cli.against(server, "tasks", "list", "nope", "--internal");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error executing GET request to "
                + "/task_manager/list_module_tasks/nope with parameters {\"internal\": \"true\"}: "
                + "remote replied with status code 400:\nmodule nope not found\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void anErrorBodyWithoutMessageIsPrintedAsSent() {
        server.on("GET", "/task_manager/task_status/t1", 500, "Internal Server Error");
        Cli.Result result = Cli.against(server, "tasks", "status", "t1");
        assertThat(result.err()).endsWith("status code 500:\nInternal Server Error\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void anUnscriptedPathGets404AndFails() {
        Cli.Result result = Cli.against(server, "tasks", "modules");
        assertThat(result.err()).endsWith("status code 404:\nNot found\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void aRefusedConnectionPrintsOneLineNamingHostAndPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Cli.Result result = Cli.run("tasks", "modules", "-h", "127.0.0.1", "-p",
                Integer.toString(port));

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("error: cannot connect to 127.0.0.1:" + port + ": ")
                .endsWith("\n").hasLineCount(1);
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void aBodyThatIsNotJsonFailsWithExitFour() {
        server.get("/task_manager/task_status/t1", "<html>");
        Cli.Result result = Cli.against(server, "tasks", "status", "t1");
        assertThat(result.err()).startsWith(
                "error: GET /task_manager/task_status/t1 returned a body that is not JSON");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void aListWhereAnObjectIsExpectedFailsWithExitFour() {
        server.get("/task_manager/task_status/t1", "[]");
        Cli.Result result = Cli.against(server, "tasks", "status", "t1");
        assertThat(result.err()).isEqualTo(
                "error: GET /task_manager/task_status/t1 returned [] where an object was expected\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void ttlPrintsWhateverJsonValueCameBack() {
        server.get("/task_manager/ttl", "{}")
                .get("/task_manager/ttl", " \"abc\" ")
                .get("/task_manager/ttl", "[1, {\"a\": null}]");
        assertThat(Cli.against(server, "tasks", "ttl").out()).isEqualTo("Current ttl: {}\n");
        assertThat(Cli.against(server, "tasks", "ttl").out()).isEqualTo("Current ttl: \"abc\"\n");
        assertThat(Cli.against(server, "tasks", "ttl").out())
                .isEqualTo("Current ttl: [1,{\"a\":null}]\n");
    }

    @Test
    void ttlKeepsTheNumberTextAsSent() {
        server.get("/task_manager/user_ttl", "2.50e3");
        assertThat(Cli.against(server, "tasks", "user-ttl").out())
                .isEqualTo("Current user ttl: 2.50e3\n");
    }

    @Test
    void aStatusWithMissingKeysPrintsTheKeysItHasAndExtraKeysToo() {
        server.get("/task_manager/task_status/t1", "{\"state\": \"done\", \"id\": \"t1\", "
                + "\"custom\": {\"x\": [1, 2]}, \"end_time\": \"1970-01-01T00:00:00Z\", "
                + "\"flag\": false, \"nothing\": null}");

        Cli.Result result = Cli.against(server, "tasks", "status", "t1");

        assertThat(result.out()).isEqualTo(lines("state: done", "id: t1",
                "custom: {\"x\":[1,2]}", "end_time: ", "flag: false", "nothing: null"));
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void childrenPrintTheMembersTheServerSentInItsOrder() {
        server.get("/task_manager/task_status/t1", "{\"children_ids\": [{\"node\": \"n1\", "
                + "\"task_id\": \"c1\", \"shard\": 2}, {}, \"odd\"]}");
        assertThat(Cli.against(server, "tasks", "status", "t1").out())
                .isEqualTo("children_ids: [{node: n1, task_id: c1, shard: 2 }, { }, odd]\n");
    }

    @Test
    void aListEntryWithOnlyATaskIdStillYieldsARow() {
        server.get("/task_manager/list_module_tasks/m", "[{\"task_id\": \"only\"}]");

        Cli.Result result = Cli.against(server, "tasks", "list", "m");

        assertThat(result.out()).isEqualTo(lines(
                "task_id type kind scope state sequence_number keyspace table entity shard "
                        + "start_time end_time",
                "only    " + "    " + " " + "    " + " " + "     " + " " + "     " + " "
                        + " ".repeat(15) + " " + " ".repeat(8) + " " + " ".repeat(5) + " "
                        + " ".repeat(6) + " " + " ".repeat(5) + " " + " ".repeat(10) + " "
                        + " ".repeat(8)));
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void extraKeysInAListEntryAreIgnoredAndNonObjectEntriesAreEmptyRows() {
        server.get("/task_manager/list_module_tasks/m", "[{\"task_id\": \"a\", \"zz\": \"extra\","
                + " \"shard\": 3}, 42]");

        String[] lines = Cli.against(server, "tasks", "list", "m").out().split("\n", -1);

        assertThat(lines).hasSize(4);
        assertThat(lines[1]).startsWith("a       ").contains(" 3     ").doesNotContain("extra");
        assertThat(lines[2]).isBlank().hasSize(lines[0].length());
    }

    @Test
    void aTreeStatusWithMissingKeysHasEmptyCellsIncludingChildren() {
        server.get("/task_manager/task_status_recursive/t1", "[{\"id\": \"t1\"}]");
        String[] lines = Cli.against(server, "tasks", "tree", "t1").out().split("\n");
        assertThat(lines[1]).isEqualTo("t1" + " ".repeat(lines[0].length() - 2));
    }

    @Test
    void nonStringModuleNamesAreUsedAsTheirJsonText() {
        server.get("/task_manager/list_modules", "[\"a\", 7]");
        assertThat(Cli.against(server, "tasks", "modules").out()).isEqualTo("a\n7\n");
    }
}
