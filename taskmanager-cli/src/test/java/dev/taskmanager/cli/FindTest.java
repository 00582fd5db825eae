package dev.taskmanager.cli;

import static dev.taskmanager.cli.V2Fixtures.page;
import static dev.taskmanager.cli.V2Fixtures.problem;
import static dev.taskmanager.cli.V2Fixtures.progress;
import static dev.taskmanager.cli.V2Fixtures.quote;
import static dev.taskmanager.cli.V2Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tasks find}: every filter as a v2 query parameter, one page or {@code --all}, the table
 * and the JSON document, and what the v2 errors do.
 */
class FindTest {

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyFilterIsSentAsItsQueryParameterInOneFixedOrder() {
        server.get("/v2/tasks", page("", 0));

        Cli.Result result = Cli.against(server, "tasks", "find", "--order-by", "created_time desc",
                "--internal", "--user-task", "--finished-before", "2026-12-01T00:00:00+01:00",
                "--finished-after", "2026-11-01T00:00:00Z", "--created-before", "b",
                "--created-after", "a", "--label", "ticket:OPS-42", "--parent", "p1",
                "--entity-prefix", "/srv/", "--table", "t", "--keyspace", "ks", "--scope", "node",
                "--kind", "cluster", "--type", "manifest", "--state", "running", "--module",
                "files", "--label", "env:prod", "--state", "failed", "--page-size", "50",
                "--page-token", "TOKEN");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /v2/tasks?module=files"
                + "&state=running&state=failed&type=manifest&kind=cluster&scope=node&keyspace=ks"
                + "&table=t&entity_prefix=%2Fsrv%2F&parent=p1&label=ticket%3AOPS-42"
                + "&label=env%3Aprod&created_after=a&created_before=b"
                + "&finished_after=2026-11-01T00%3A00%3A00Z"
                + "&finished_before=2026-12-01T00%3A00%3A00%2B01%3A00&user_task=true"
                + "&internal=true&order_by=created_time%20desc&page_size=50&page_token=TOKEN");
        assertThat(server.requests().get(0).body()).isEmpty();
    }

    @Test
    void withoutOptionsNothingButThePathIsSent() {
        server.get("/v2/tasks", page("", 0));
        assertThat(Cli.against(server, "tasks", "find").exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /v2/tasks");
    }

    @Test
    void onePageIsATableOfIdModuleTypeStateProgressEntityCreatedAndError() {
        server.get("/v2/tasks", page("", 2,
                task("t1", "progress", progress("bytes", "52428800", "104857600", "1048576", "50")),
                task("t2", "module", quote("repair"), "type", quote("repair"), "state",
                        quote("failed"), "entity", quote("ks1"), "error", quote("disk full"),
                        "progress", progress("ranges", "2.5", "10", "null", "null"))));

        Cli.Result result = Cli.against(server, "tasks", "find");

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(Cli.lines(
                "id module type     state   progress           entity    created              error",
                "t1 files  manifest running 50.0/100.0 MiB 50% /srv/data 2026-11-30T00:15:12Z",
                "t2 repair repair   failed  2.5/10 ranges 25%  ks1       2026-11-30T00:15:12Z disk full"));
    }

    @Test
    void controlCharactersInCellsPrintEscapedAndCannotBreakARow() {
        server.get("/v2/tasks", page("", 1, task("t1", "entity", quote("a\nb\u001b[2Jc"),
                "state", quote("failed"), "error", quote("bad\r\u009bthing"))));

        Cli.Result result = Cli.against(server, "tasks", "find");

        assertThat(result.out()).hasLineCount(2).doesNotContain("\u001b", "\r", "\u009b")
                .contains("a\\nb\\x1b[2Jc", "bad\\r\\x9bthing");
    }

    @Test
    void onePageOfSeveralTellsOnStderrHowToGetTheNext() {
        server.get("/v2/tasks", page("NEXT-TOKEN", 250, task("t1")));

        Cli.Result result = Cli.against(server, "tasks", "find", "--page-size", "1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).hasLineCount(2);
        assertThat(result.err()).isEqualTo("more tasks match (250 in all): add --page-token "
                + "NEXT-TOKEN for the next page, or --all\n");
    }

    @Test
    void onePageAsJsonIsTheServersDocumentAsSent() {
        String body = page("NEXT", 3, task("t1", "progress", progress("", "2.50", "1e1", "null",
                "null"), "extra", "[1, {\"x\": null}]"));
        server.get("/v2/tasks", body);

        Cli.Result result = Cli.against(server, "tasks", "find", "--output", "json");

        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo(JsonReader.parse(body).toJsonText() + "\n")
                .contains("\"completed\":2.50,\"total\":1e1", "\"extra\":[1,{\"x\":null}]",
                        "\"next_page_token\":\"NEXT\",\"total_size\":3}");
    }

    @Test
    void allFollowsNextPageTokenToTheEndAskingForPagesOfAThousand() {
        server.get("/v2/tasks", page("P2", 5, task("t1"), task("t2")))
                .get("/v2/tasks", page("P3", 5, task("t3"), task("t4")))
                .get("/v2/tasks", page("", 5, task("t5")));

        Cli.Result result = Cli.against(server, "tasks", "find", "--all", "--state", "running");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.requestLines()).containsExactly(
                "GET /v2/tasks?state=running&page_size=1000",
                "GET /v2/tasks?state=running&page_size=1000&page_token=P2",
                "GET /v2/tasks?state=running&page_size=1000&page_token=P3");
        assertThat(result.out().lines().toList()).hasSize(6).first().asString()
                .startsWith("id module type");
        assertThat(result.out().lines().skip(1).map(line -> line.substring(0, 2)))
                .containsExactly("t1", "t2", "t3", "t4", "t5");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void allKeepsTheGivenPageSizeAndStartsAtTheGivenToken() {
        server.get("/v2/tasks", page("", 1, task("t9")));
        Cli.against(server, "tasks", "find", "--all", "--page-size", "7", "--page-token", "P9");
        assertThat(server.requestLines()).containsExactly(
                "GET /v2/tasks?page_size=7&page_token=P9");
    }

    @Test
    void allAsJsonIsOneDocumentOfEveryTaskWithTheFirstPagesTotal() {
        server.get("/v2/tasks", page("P2", 3, task("t1"), task("t2")))
                .get("/v2/tasks", page("P3", 99, task("t3")))
                .get("/v2/tasks", page("", 99));

        Cli.Result result = Cli.against(server, "tasks", "find", "--all", "--output", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).hasLineCount(1).isEqualTo("{\"tasks\":["
                + JsonReader.parse(task("t1")).toJsonText() + ","
                + JsonReader.parse(task("t2")).toJsonText() + ","
                + JsonReader.parse(task("t3")).toJsonText()
                + "],\"next_page_token\":\"\",\"total_size\":3}\n");
    }

    @Test
    void allPrintsEachPageBeforeAskingForTheNext() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> printedWhenAsked = new CopyOnWriteArrayList<>();
        server.get("/v2/tasks", page("P2", 3, task("first")))
                .get("/v2/tasks", page("", 3, task("second")))
                .onArrival(request -> printedWhenAsked.add(out.toString(StandardCharsets.UTF_8)));

        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8)) {
            code = TasksCli.run(o, e, d -> { }, name -> null,
                    Cli.concat(new String[] {"tasks", "find", "--all", "--output", "json"},
                            server.address()));
        }

        assertThat(code).isZero();
        assertThat(printedWhenAsked).hasSize(2);
        assertThat(printedWhenAsked.get(0)).isEmpty();
        assertThat(printedWhenAsked.get(1)).startsWith("{\"tasks\":[{\"id\":\"first\"")
                .doesNotContain("\"id\":\"second\"");
    }

    @Test
    void aServerRepeatingItsTokenIsAFailedRequestNotAnEndlessLoop() {
        server.get("/v2/tasks", page("SAME", 3, task("t1")));

        Cli.Result result = Cli.against(server, "tasks", "find", "--all");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("error: GET /v2/tasks answered the same "
                + "next_page_token twice in a row: SAME\n");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aRefusedFilterPrintsTheProblemsDetailAndExitsFour() {
        server.on("GET", "/v2/tasks", 400, problem("invalid-parameter", 400,
                "invalid value 'bogus' for parameter 'state': expected one or more of created, "
                        + "running", "\"parameter\": \"state\", \"value\": \"bogus\""));

        Cli.Result result = Cli.against(server, "tasks", "find", "--state", "bogus");

        assertThat(result.out()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("error executing GET request to /v2/tasks with "
                + "parameters {\"state\": \"bogus\"}: remote replied with status code 400:\n"
                + "invalid value 'bogus' for parameter 'state': expected one or more of "
                + "created, running\n");
    }

    @Test
    void aFailureAfterTheFirstPageKeepsWhatWasPrintedAndExitsFour() {
        server.get("/v2/tasks", page("P2", 2, task("t1")))
                .on("GET", "/v2/tasks", 400, problem("invalid-parameter", 400,
                        "invalid value 'P2' for parameter 'page_token': expired", null));

        Cli.Result result = Cli.against(server, "tasks", "find", "--all");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out()).hasLineCount(2).contains("t1");
        assertThat(result.err()).endsWith("invalid value 'P2' for parameter 'page_token': "
                + "expired\n");
    }

    @Test
    void anAnswerThatIsNotAPageIsAFailedRequest() {
        server.get("/v2/tasks", "[1, 2]");
        Cli.Result result = Cli.against(server, "tasks", "find");
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("error: GET /v2/tasks returned [1,2] where an object "
                + "with a \"tasks\" array was expected\n");
    }

    @Test
    void aPageSizeThatIsNotANumberIsABadOption() {
        Cli.Result result = Cli.against(server, "tasks", "find", "--page-size", "ten");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: the argument ('ten') for option "
                + "'--page-size' is invalid\n");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anOptionThatIsNotRepeatableStillCannotBeGivenTwice() {
        Cli.Result result = Cli.against(server, "tasks", "find", "--type", "a", "--type", "b");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: option '--type' cannot be specified more "
                + "than once\n");
    }

    @Test
    void theTokenIsSentWithEveryPage() {
        server.get("/v2/tasks", page("P2", 2, task("t1"))).get("/v2/tasks", page("", 2));
        Cli.Result result = Cli.against(server, Map.of(BearerToken.VARIABLE, "s3cret"), "tasks",
                "find", "--all");
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).hasSize(2)
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer s3cret"));
    }
}
