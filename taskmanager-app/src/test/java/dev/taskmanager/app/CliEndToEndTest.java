package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code tasks} CLI against the real server (issue #4): trees built with the test API, then every
 * subcommand through {@link Main#run}, as an operator would type it.
 */
class CliEndToEndTest {

    private AppServer server;

    @BeforeEach
    void startServer() throws Exception {
        // finished test tasks stay a minute, so that a wait that starts after the finish still finds them
        server = AppServer.start(List.of(), "--enable-test-api", "--task-ttl-in-seconds", "60");
        server.postOk("/task_manager_test/test_module");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String testTask(String query) {
        return server.postOk("/task_manager_test/test_task" + (query.isEmpty() ? "" : "?" + query)).replace("\"", "");
    }

    private void finish(String id) {
        server.postOk("/task_manager_test/finish_test_task/" + id);
    }

    private void fail(String id, String error) {
        server.postOk("/task_manager_test/finish_test_task/" + id + "?error=" + error);
    }

    @Test
    void modulesListsEveryModuleOnALineOfItsOwn() {
        Run run = server.run("tasks", "modules");

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out().lines()).contains("test", "files");
    }

    @Test
    void listShowsRootTasksAsATableFilteredByKeyspaceAndInternalOnRequest() {
        String first = testTask("keyspace=ks1&table=t1");
        String second = testTask("keyspace=ks2");
        String child = testTask("parent_id=" + first);

        Run all = server.run("tasks", "list", "test");
        assertThat(all.code()).as(all.toString()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines.get(0)).startsWith("task_id").contains("type", "kind", "scope", "state", "sequence_number",
                "keyspace", "table", "entity", "shard", "start_time", "end_time");
        assertThat(lines).hasSize(3);
        assertThat(lines.subList(1, 3)).anySatisfy(line -> assertThat(line).startsWith(first).contains("ks1", "t1",
                "running")).anySatisfy(line -> assertThat(line).startsWith(second));

        assertThat(server.run("tasks", "list", "test", "--keyspace", "ks1").out().lines().skip(1))
                .singleElement().asString().startsWith(first);
        assertThat(server.run("tasks", "list", "test", "--internal").out()).contains(child);
    }

    @Test
    void statusPrintsOneLinePerFieldInServerOrder() {
        String root = testTask("entity=backup");
        String child = testTask("parent_id=" + root);

        Run run = server.run("tasks", "status", root);

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("id: " + root + "\ntype: test\nkind: node\nscope: test\nstate: running\n")
                .contains("\nparent_id: none\n", "\nentity: backup\n", "\nend_time: \n",
                        "\nchildren_ids: [{task_id: " + child + ", node: 127.0.0.1 }]\n");
    }

    @Test
    void treeShowsTheRootThenItsDescendantsBreadthFirst() {
        String root = testTask("");
        String child = testTask("parent_id=" + root);
        String grandchild = testTask("parent_id=" + child);
        String other = testTask("");

        Run one = server.run("tasks", "tree", root);
        assertThat(one.code()).as(one.toString()).isZero();
        List<String> rows = one.out().lines().toList();
        assertThat(rows.get(0)).startsWith("id ").contains("progress_units", "total", "completed", "children_ids");
        assertThat(rows.subList(1, rows.size())).hasSize(3)
                .satisfiesExactly(r -> assertThat(r).startsWith(root), r -> assertThat(r).startsWith(child),
                        r -> assertThat(r).startsWith(grandchild).contains(child));

        Run every = server.run("tasks", "tree");
        assertThat(every.code()).as(every.toString()).isZero();
        assertThat(every.out()).contains(root, child, grandchild, other);
    }

    @Test
    void waitBlocksUntilTheTaskIsDoneThenPrintsItsStatus() throws Exception {
        String id = testTask("");

        CompletableFuture<Run> waiting = CompletableFuture.supplyAsync(() -> server.run("tasks", "wait", id));
        finish(id);
        Run run = waiting.get(30, TimeUnit.SECONDS);

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("id: " + id).contains("\nstate: done\n", "\nerror: \n");
    }

    @Test
    void waitQuietExits123ForAFailedTaskAnd124WhenItTimesOut() {
        String failed = testTask("");
        fail(failed, "disk%20full");
        String running = testTask("");

        Run quiet = server.run("tasks", "wait", "--quiet", failed);
        assertThat(quiet.code()).isEqualTo(123);
        assertThat(quiet.out()).isEmpty();
        assertThat(server.run("tasks", "status", failed).out()).contains("state: failed", "error: disk full");

        assertThat(server.run("tasks", "wait", "-q", "--timeout", "0", running).code()).isEqualTo(124);
        Run timedOut = server.run("tasks", "wait", "--timeout", "0", running);
        assertThat(timedOut.out()).contains("Operation timed out");
    }

    @Test
    void abortStopsAnAbortableTaskAndItsWaitSeesItFail() {
        String id = testTask("abortable=true");

        Run abort = server.run("tasks", "abort", id);

        assertThat(abort.code()).as(abort.toString()).isZero();
        assertThat(abort.out()).isEmpty();
        assertThat(server.run("tasks", "wait", "-q", id).code()).isEqualTo(123);
        assertThat(server.run("tasks", "status", id).out()).contains("state: failed", "is_abortable: true");
    }

    @Test
    void abortOfATaskThatIsNotAbortableSaysSoAndExits0() {
        String id = testTask("");

        Run run = server.run("tasks", "abort", id);

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("Task with id " + id + " is not abortable\n");
        assertThat(server.run("tasks", "status", id).out()).contains("state: running");
    }

    @Test
    void ttlAndUserTtlAreReadAndSet() {
        Run set = server.run("tasks", "ttl", "--set", "60");
        assertThat(set.code()).as(set.toString()).isZero();
        assertThat(set.out()).isEmpty();
        assertThat(server.run("tasks", "ttl").out()).isEqualTo("Current ttl: 60\n");

        assertThat(server.run("tasks", "user-ttl").out()).isEqualTo("Current user ttl: 3600\n");
        assertThat(server.run("tasks", "user-ttl", "--set", "7").code()).isZero();
        assertThat(server.run("tasks", "user-ttl").out()).isEqualTo("Current user ttl: 7\n");
    }

    @Test
    void drainRemovesFinishedTasksAndLeavesRunningOnes() {
        String finished = testTask("");
        finish(finished);
        String running = testTask("");
        assertThat(server.run("tasks", "list", "test").out()).contains(finished, running);

        Run drain = server.run("tasks", "drain", "--module", "test");

        assertThat(drain.code()).as(drain.toString()).isZero();
        assertThat(drain.out()).isEmpty();
        assertThat(server.run("tasks", "list", "test").out()).doesNotContain(finished).contains(running);
        assertThat(server.run("tasks", "drain").code()).isZero();
    }

    @Test
    void anUnknownTaskIsTheServers400OnStderrWithExitCode4() {
        String id = UUID.randomUUID().toString();

        Run run = server.run("tasks", "status", id);

        assertThat(run.code()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("GET", "/task_manager/task_status/" + id, "status code 400",
                "task with id " + id + " not found");
    }

    @Test
    void outputJsonOfEverySubcommandParsesBackToWhatTheServerHolds() {
        String root = testTask("entity=backup");
        String child = testTask("parent_id=" + root);
        String done = testTask("");
        finish(done);

        assertThat(list("tasks", "modules", "--output", "json")).contains("test", "files");
        assertThat(list("tasks", "list", "test", "--output", "json"))
                .extracting(task -> (Object) ((Map<?, ?>) task).get("task_id")).contains(root, done);

        Map<String, Object> status = object("tasks", "status", root, "--output", "json");
        assertThat(status).containsEntry("id", root).containsEntry("entity", "backup")
                .containsEntry("children_ids", List.of(Map.of("task_id", child, "node", "127.0.0.1")));

        assertThat(list("tasks", "tree", root, "--output", "json"))
                .extracting(task -> (Object) ((Map<?, ?>) task).get("id")).containsExactly(root, child);
        assertThat(object("tasks", "wait", done, "--output", "json")).containsEntry("state", "done");
        assertThat(object("tasks", "wait", root, "--timeout", "0", "--output", "json"))
                .isEqualTo(Map.of("id", root, "timed_out", true));
        assertThat(object("tasks", "abort", root, "--output", "json")).isEqualTo(Map.of("id", root,
                "abort_requested", false, "error", "task with id " + root + " cannot be aborted"));
        assertThat(object("tasks", "ttl", "--set", "60", "--output", "json"))
                .isEqualTo(Map.of("ttl", 60L, "previous", 60L));
        assertThat(object("tasks", "drain", "--module", "test", "--output", "json"))
                .isEqualTo(Map.of("drained", List.of("test")));
    }

    @Test
    void treeCompactShowsEachTaskUnderItsParent() {
        String root = testTask("entity=root");
        String child = testTask("parent_id=" + root + "&entity=child");
        String grandchild = testTask("parent_id=" + child + "&entity=grandchild");

        Run run = server.run("tasks", "tree", root, "--compact");

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out().lines().toList()).satisfiesExactly(
                header -> assertThat(header).isEqualTo(
                        "id" + " ".repeat(39) + "state   progress entity     error"),
                r -> assertThat(r).isEqualTo(root + "     running          root"),
                c -> assertThat(c).isEqualTo("  " + child + "   running          child"),
                g -> assertThat(g).isEqualTo("    " + grandchild + " running          grandchild"));
    }

    @Test
    void versionIsPrintedWithoutAServer() {
        Run run = Run.main("tasks", "--version");
        assertThat(run.code()).isZero();
        assertThat(run.out()).matches("taskmanager \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    }

    /** {@link #json} of a command whose document is an array. */
    private List<Object> list(String... args) {
        Object value = json(args);
        assertThat(value).isInstanceOf(List.class);
        List<Object> list = new ArrayList<>();
        ((List<?>) value).forEach(list::add);
        return list;
    }

    /** {@link #json} of a command whose document is an object. */
    private Map<String, Object> object(String... args) {
        Object value = json(args);
        assertThat(value).isInstanceOf(Map.class);
        Map<String, Object> object = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> object.put((String) k, v));
        return object;
    }

    /** Runs a command that prints one JSON document and parses it (maps, lists, longs, ...). */
    private Object json(String... args) {
        Run run = server.run(args);
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).endsWith("\n").hasLineCount(1);
        return JsonDocument.parse(run.out());
    }
}
