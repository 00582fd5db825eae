package dev.taskmanager.cli;

import static dev.taskmanager.cli.Fixtures.ENDED;
import static dev.taskmanager.cli.Fixtures.STARTED;
import static dev.taskmanager.cli.Fixtures.UNSET;
import static dev.taskmanager.cli.Fixtures.array;
import static dev.taskmanager.cli.Fixtures.child;
import static dev.taskmanager.cli.Fixtures.runningStatus;
import static dev.taskmanager.cli.Fixtures.stats;
import static dev.taskmanager.cli.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --output json}: one JSON document per command on stdout, the server's values exactly as
 * sent (member order, number text), nothing on stdout when the command fails, exit codes as in
 * text mode.
 */
class JsonOutputTest {

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static void assertDocument(Cli.Result result, String json) {
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo(json + "\n");
        assertThat(result.exitCode()).isZero();
        // and it is one well-formed document
        assertThat(JsonReader.parse(result.out()).toJsonText()).isEqualTo(json);
    }

    @Test
    void modulesIsTheArrayOfNames() {
        server.get("/task_manager/list_modules", "[\"repair\", \"compaction\"]");
        assertDocument(Cli.against(server, "tasks", "modules", "--output", "json"),
                "[\"repair\",\"compaction\"]");
    }

    @Test
    void listIsTheServersArrayWithMembersAndNumbersAsSent() {
        server.get("/task_manager/list_module_tasks/repair", array(
                stats("t1", "repair", "node", "running", 4, "ks", "", "", 0, STARTED, UNSET),
                "{\"task_id\": \"t2\", \"shard\": 2.50, \"extra\": [1e3]}"));

        Cli.Result result = Cli.against(server, "tasks", "list", "repair", "--output=json");

        assertDocument(result, "[{\"task_id\":\"t1\",\"state\":\"running\",\"type\":\"repair\","
                + "\"kind\":\"node\",\"scope\":\"node\",\"keyspace\":\"ks\",\"table\":\"\","
                + "\"entity\":\"\",\"sequence_number\":4,\"shard\":0,\"start_time\":\"" + STARTED
                + "\",\"end_time\":\"" + UNSET + "\"},"
                + "{\"task_id\":\"t2\",\"shard\":2.50,\"extra\":[1e3]}]");
    }

    @Test
    void listWithIterationsPrintsOneArrayPerListingEachOnItsOwnLine() {
        server.get("/task_manager/list_module_tasks/repair", "[]")
                .get("/task_manager/list_module_tasks/repair", "[{\"task_id\": \"t1\"}]");
        Cli.RecordingSleeper sleeper = new Cli.RecordingSleeper();

        Cli.Result result = Cli.against(server, sleeper, "tasks", "list", "repair", "-i", "2",
                "--output", "json");

        assertThat(result.out()).isEqualTo("[]\n[{\"task_id\":\"t1\"}]\n[{\"task_id\":\"t1\"}]\n");
        assertThat(sleeper.pauses).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void statusIsTheServersObjectInServerOrderUnsetTimesIncluded() {
        server.get("/task_manager/task_status/p1", "{\"state\": \"done\", \"id\": \"p1\", "
                + "\"end_time\": \"1970-01-01T00:00:00Z\", \"progress_completed\": 2.50, "
                + "\"children_ids\": [{\"task_id\": \"c1\", \"node\": \"127.0.0.1\"}]}");

        assertDocument(Cli.against(server, "tasks", "status", "p1", "--output", "json"),
                "{\"state\":\"done\",\"id\":\"p1\",\"end_time\":\"1970-01-01T00:00:00Z\","
                        + "\"progress_completed\":2.50,"
                        + "\"children_ids\":[{\"task_id\":\"c1\",\"node\":\"127.0.0.1\"}]}");
    }

    @Test
    void treeWithAnIdIsTheRecursiveStatusArray() {
        String root = status("p1", "running", true, STARTED, UNSET, "", "none", "10", "2.5",
                array(child("c1")));
        String leaf = status("c1", "done", false, STARTED, ENDED, "", "p1", "4", "4", "[]");
        server.get("/task_manager/task_status_recursive/p1", array(root, leaf));

        Cli.Result result = Cli.against(server, "tasks", "tree", "p1", "--output", "json");

        assertDocument(result, JsonReader.parse(array(root, leaf)).toJsonText());
    }

    @Test
    void treeWithoutIdIsOneArrayOfEveryTreeInTheOrderWalked() {
        server.get("/task_manager/list_modules", "[\"a\", \"b\"]")
                .get("/task_manager/list_module_tasks/a", "[{\"task_id\": \"a1\"}]")
                .get("/task_manager/task_status_recursive/a1", "[{\"id\": \"a1\"}, {\"id\": \"a2\"}]")
                .get("/task_manager/list_module_tasks/b", "[{\"task_id\": \"b1\"}]")
                .get("/task_manager/task_status_recursive/b1", "[{\"id\": \"b1\"}]");

        assertDocument(Cli.against(server, "tasks", "tree", "--output", "json"),
                "[{\"id\":\"a1\"},{\"id\":\"a2\"},{\"id\":\"b1\"}]");
    }

    @Test
    void treeCompactWithJsonPrintsTheFullStatusesAllTheSame() {
        server.get("/task_manager/task_status_recursive/p1", array(runningStatus("p1")));
        assertThat(Cli.against(server, "tasks", "tree", "p1", "--compact", "--output", "json")
                .out()).isEqualTo(JsonReader.parse(array(runningStatus("p1"))).toJsonText() + "\n");
    }

    @Test
    void waitIsTheFinalStatus() {
        server.get("/task_manager/wait_task/t1", "{\"id\": \"t1\", \"state\": \"failed\"}");
        assertDocument(Cli.against(server, "tasks", "wait", "t1", "--output", "json"),
                "{\"id\":\"t1\",\"state\":\"failed\"}");
    }

    @Test
    void waitThatTimesOutSaysSoInAnObjectAndStillExitsZero() {
        server.on("GET", "/task_manager/wait_task/t1", 408,
                "{\"message\": \"timedout\", \"code\": 408}");
        assertDocument(Cli.against(server, "tasks", "wait", "t1", "--timeout", "0",
                "--output", "json"), "{\"id\":\"t1\",\"timed_out\":true}");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 408, 500})
    void waitQuietPrintsNothingEvenWithJson(int status) {
        server.on("GET", "/task_manager/wait_task/t1", status, status == 200
                ? "{\"state\": \"failed\"}" : "{\"message\": \"x\", \"code\": " + status + "}");

        Cli.Result result = Cli.against(server, "tasks", "wait", "t1", "-q", "--output", "json");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(status == 200 ? 123 : status == 408 ? 124 : 125);
    }

    @Test
    void abortSaysTheAbortWasRequested() {
        server.on("POST", "/task_manager/abort_task/t1", 200, "");
        assertDocument(Cli.against(server, "tasks", "abort", "t1", "--output", "json"),
                "{\"id\":\"t1\",\"abort_requested\":true}");
    }

    @Test
    void abortOfANonAbortableTaskSaysWhyWithTheServersMessage() {
        server.on("POST", "/task_manager/abort_task/t1", 403,
                "{\"message\": \"task with id t1 cannot be aborted\", \"code\": 403}");
        assertDocument(Cli.against(server, "tasks", "abort", "t1", "--output", "json"),
                "{\"id\":\"t1\",\"abort_requested\":false,"
                        + "\"error\":\"task with id t1 cannot be aborted\"}");
    }

    @Test
    void drainListsTheModulesDrainedInOrder() {
        server.get("/task_manager/list_modules", "[\"repair\", \"compaction\"]")
                .on("POST", "/task_manager/drain/repair", 200, "")
                .on("POST", "/task_manager/drain/compaction", 200, "");
        assertDocument(Cli.against(server, "tasks", "drain", "--output", "json"),
                "{\"drained\":[\"repair\",\"compaction\"]}");
    }

    @Test
    void drainOfOneModuleNamesIt() {
        server.on("POST", "/task_manager/drain/repair", 200, "");
        assertDocument(Cli.against(server, "tasks", "drain", "--module", "repair", "--output",
                "json"), "{\"drained\":[\"repair\"]}");
    }

    @Test
    void ttlIsAnObjectWithTheValueAsSent() {
        server.get("/task_manager/ttl", "2.50e3")
                .get("/task_manager/user_ttl", "{}");
        assertDocument(Cli.against(server, "tasks", "ttl", "--output", "json"),
                "{\"ttl\":2.50e3}");
        assertDocument(Cli.against(server, "tasks", "user-ttl", "--output", "json"),
                "{\"user_ttl\":{}}");
    }

    @Test
    void ttlSetGivesTheNewValueAndThePreviousOneTheServerAnswered() {
        server.on("POST", "/task_manager/ttl", 200, "3600")
                .on("POST", "/task_manager/user_ttl", 200, "");

        assertDocument(Cli.against(server, "tasks", "ttl", "--set", "0030", "--output", "json"),
                "{\"ttl\":30,\"previous\":3600}");
        assertDocument(Cli.against(server, "tasks", "user-ttl", "--set", "5", "--output", "json"),
                "{\"user_ttl\":5}");
        assertThat(server.requestLines()).containsExactly("POST /task_manager/ttl?ttl=0030",
                "POST /task_manager/user_ttl?user_ttl=5");
    }

    @Test
    void aFailedCommandPrintsNoDocumentAndTheUsualErrorAndExitCode() {
        server.get("/task_manager/list_modules", "[\"a\", \"b\"]")
                .on("POST", "/task_manager/drain/a", 200, "")
                .on("POST", "/task_manager/drain/b", 400,
                        "{\"message\": \"module b not found\", \"code\": 400}");

        Cli.Result result = Cli.against(server, "tasks", "drain", "--output", "json");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error executing POST request to /task_manager/drain/b"
                + " with parameters {}: remote replied with status code 400:\nmodule b not found\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void outputTextIsTheDefaultSpelledOut() {
        server.get("/task_manager/list_modules", "[\"repair\"]");
        assertThat(Cli.against(server, "tasks", "modules", "--output", "text").out())
                .isEqualTo("repair\n");
    }

    @Test
    void anUnknownFormatExitsTwoNamingTheChoices() {
        Cli.Result result = Cli.against(server, "tasks", "modules", "--output", "yaml");
        assertThat(result.err()).isEqualTo("error: the argument ('yaml') for option '--output' "
                + "is invalid (expected text or json)\n");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void jsonOutputCarriesExactValuesWithControlCharactersJsonEscaped() {
        server.get("/task_manager/list_modules", "[\"a\\nb\", \"\\u001b[2J\", \"\\u009b1m\", \"x\\u007f\"]");
        assertDocument(Cli.against(server, "tasks", "modules", "--output", "json"),
                "[\"a\\nb\",\"\\u001b[2J\",\"\\u009b1m\",\"x\\u007f\"]");
    }
}
