package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.server.TaskManagerServer;
import dev.taskmanager.store.Fleet;
import dev.taskmanager.store.HistoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three servers of a fleet in one JVM, each on port 0, sharing one real PostgreSQL: every node lists,
 * filters and pages every node's tasks over {@code /v2}, aborts (202) and waits for another node's
 * task, and sees a lost node's running tasks fail, driven by a fake lease clock.
 */
class FleetOverHttpTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final FakeTime time = new FakeTime();
    private final List<Node> nodes = new ArrayList<>();
    private Node a;
    private Node b;
    private Node c;

    /** One server: its task manager, its store (a fleet node), its HTTP server. */
    private record Node(String name, String address, TaskManager tm, HistoryStore store, TaskManagerServer server) {
        Fleet fleet() {
            return store.fleet().orElseThrow();
        }

        void flush() throws InterruptedException {
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
        }

        HttpResponse<String> send(String method, String pathAndQuery, String body, String requestId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (requestId != null) {
                request.header("X-Request-Id", requestId);
            }
            try {
                return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
            return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> getJson(String pathAndQuery) {
            HttpResponse<String> answer = send("GET", pathAndQuery, null, null);
            assertThat(answer.statusCode()).as("GET %s: %s", pathAndQuery, answer.body()).isEqualTo(200);
            return (Map<String, Object>) ServerProcess.json(answer.body());
        }
    }

    @BeforeEach
    void startThreeNodes() throws Exception {
        String url = SharedPostgres.newDatabase();
        a = start(url, "node-a");
        b = start(url, "node-b");
        c = start(url, "node-c");
    }

    private Node start(String url, String name) throws Exception {
        String address = name + ".test:10000";
        TaskManager tm = time.builder().userTaskTtl(Duration.ofHours(1)).build();
        // rounds an hour apart and a lease of two: the test moves the lease with the fake clock
        HistoryStore store = HistoryStore.builder().postgres(url).nodeName(name).taskManager(tm)
                .advertiseAddress(address).flushInterval(Duration.ofMillis(1)).leaseInterval(Duration.ofHours(1))
                .leaseDuration(Duration.ofHours(2)).pollInterval(Duration.ofHours(1)).leaseClock(time)
                .clock(time).open(); // the store's clock too: retention must not purge tasks of 2025 as old
        TaskManagerServer server = TaskManagerServer.builder(tm).port(0).nodeAddress(address)
                .taskSource(new HistoryTaskSource(store)).build().start();
        Node node = new Node(name, address, tm, store, server);
        nodes.add(node);
        return node;
    }

    @AfterEach
    void stopAll() {
        for (Node node : nodes) {
            node.server().close();
            node.tm().close();
            node.store().close();
        }
    }

    /** A running, abortable task on a node whose owner ends it as soon as it is asked to abort. */
    private static TrackedTask work(Node node, String keyspace) {
        TrackedTask task = node.tm().module("work").task("copy").keyspace(keyspace).entity(node.name())
                .abortable().userTask().track();
        task.start();
        task.onAbort(() -> ForkJoinPool.commonPool().execute(task::complete));
        return task;
    }

    @Test
    void everyNodeListsFiltersAndPagesEveryNodesTasksEachWithItsNode() throws Exception {
        Map<UUID, String> expected = new HashMap<>();
        for (Node node : List.of(a, b, c)) {
            for (int i = 0; i < 3; i++) {
                TrackedTask task = work(node, "ks-" + node.name());
                if (i == 0) {
                    task.complete(); // finished ones too
                }
                expected.put(task.id(), node.address());
            }
            node.flush();
        }

        Map<UUID, String> listed = new HashMap<>();
        Set<String> sources = new HashSet<>();
        String token = "";
        int pages = 0;
        do {
            Map<String, Object> page = b.getJson("/v2/tasks?cluster=true&page_size=2&page_token=" + token);
            assertThat(((Number) page.get("total_size")).longValue()).as("b's live tasks count live and stored")
                    .isGreaterThanOrEqualTo(9);
            for (Object o : (List<?>) page.get("tasks")) {
                Map<?, ?> task = (Map<?, ?>) o;
                UUID id = UUID.fromString((String) task.get("id"));
                assertThat(listed.put(id, (String) task.get("node"))).as("listed once: " + id).isNull();
                if (expected.get(id) != null && expected.get(id).equals(b.address())) {
                    sources.add((String) task.get("source"));
                }
            }
            token = (String) page.get("next_page_token");
            pages++;
        } while (!token.isEmpty());
        assertThat(listed).containsAllEntriesOf(expected).hasSize(9);
        assertThat(pages).isGreaterThanOrEqualTo(5);
        assertThat(sources).as("b's own tasks come from its registry").containsExactly("live");

        List<?> onlyB = (List<?>) b.getJson("/v2/tasks?page_size=100").get("tasks");
        assertThat(onlyB).as("without cluster=true: this node's").hasSize(3)
                .allSatisfy(t -> assertThat(((Map<?, ?>) t).get("node")).isEqualTo(b.address()));
        List<?> cOnA = (List<?>) a.getJson("/v2/tasks?cluster=true&keyspace=ks-node-c&state=running").get("tasks");
        assertThat(cOnA).hasSize(2).allSatisfy(t -> {
            assertThat(((Map<?, ?>) t).get("node")).isEqualTo(c.address());
            assertThat(((Map<?, ?>) t).get("state")).isEqualTo("running");
        });
        String first = (String) b.getJson("/v2/tasks?cluster=true&page_size=2").get("next_page_token");
        assertThat(b.send("GET", "/v2/tasks?page_size=2&page_token=" + first, null, null).statusCode())
                .as("a token of the fleet's listing does not continue this node's").isEqualTo(400);
        UUID onC = expected.entrySet().stream().filter(e -> e.getValue().equals(c.address())).findFirst()
                .orElseThrow().getKey();
        Map<String, Object> one = a.getJson("/v2/tasks/" + onC);
        assertThat(one.get("node")).isEqualTo(c.address());
        assertThat(one.get("source")).isEqualTo("history");
    }

    @Test
    void anAbortOnOneNodeOfAnotherNodesTaskIsAcceptedAndReachesIt() throws Exception {
        TrackedTask onA = work(a, "ks");
        a.flush();

        HttpResponse<String> answer = b.send("POST", "/v2/tasks/" + onA.id() + ":abort",
                "{\"reason\": \"wrong directory\"}", "alice");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        Map<?, ?> body = (Map<?, ?>) ServerProcess.json(answer.body());
        assertThat(body.get("node")).isEqualTo(a.address());
        assertThat(body.get("id")).isEqualTo(onA.id().toString());
        TaskStatus ended = onA.done().get(30, TimeUnit.SECONDS);
        assertThat(ended.aborted()).isTrue();
        assertThat(ended.abortRequest().reason()).isEqualTo("wrong directory");
        assertThat(ended.abortRequest().requestedBy()).isEqualTo("alice");

        a.flush();
        HttpResponse<String> again = b.send("POST", "/v2/tasks/" + onA.id() + ":abort", null, null);
        assertThat(again.statusCode()).as("it ended: " + again.body()).isEqualTo(409);
        TrackedTask locked = a.tm().module("work").task("copy").track();
        locked.start();
        a.flush();
        assertThat(b.send("POST", "/v2/tasks/" + locked.id() + ":abort", null, null).statusCode()).isEqualTo(403);
        assertThat(b.send("POST", "/v2/tasks/" + UUID.randomUUID() + ":abort", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aWaitOnOneNodeForAnotherNodesTaskEndsWhenThatNodeRecordsTheFinalState() throws Exception {
        TrackedTask onC = work(c, "ks");
        TrackedTask onA = work(a, "ks");
        for (Node node : List.of(a, c)) {
            node.flush();
        }

        CompletableFuture<HttpResponse<String>> single = b.getAsync("/v2/tasks/" + onC.id() + ":wait?timeout=60s");
        CompletableFuture<HttpResponse<String>> all = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(b.server().uri() + "/v2/tasks:wait")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"ids\": [\"" + onC.id() + "\", \"" + onA.id() + "\"], \"mode\": \"all\", \"timeout\": \"60s\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> timedOut = b.send("GET", "/v2/tasks/" + onC.id() + ":wait?timeout=0", null, null);
        assertThat(timedOut.statusCode()).isEqualTo(408);
        assertThat(single).isNotDone();

        onC.complete();
        HttpResponse<String> answer = single.get(30, TimeUnit.SECONDS); // by NOTIFY: polls are an hour apart
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<?, ?> ended = (Map<?, ?>) ServerProcess.json(answer.body());
        assertThat(ended.get("state")).isEqualTo("done");
        assertThat(ended.get("node")).isEqualTo(c.address());
        assertThat(all).isNotDone();
        onA.fail("disk full");
        HttpResponse<String> both = all.get(30, TimeUnit.SECONDS);
        assertThat(both.statusCode()).as(both.body()).isEqualTo(200);
        List<?> tasks = (List<?>) ((Map<?, ?>) ServerProcess.json(both.body())).get("tasks");
        assertThat(fields(tasks, "state")).containsExactly("done", "failed");
        assertThat(fields(tasks, "node")).containsExactly(c.address(), a.address());
    }

    @Test
    void aLostNodesRunningTasksFailOnTheOthersAndItsWaitersAreAnswered() throws Exception {
        TrackedTask running = work(c, "ks");
        TrackedTask finished = work(c, "ks");
        finished.complete();
        c.flush();
        CompletableFuture<HttpResponse<String>> waiting = a.getAsync("/v2/tasks/" + running.id() + ":wait");
        assertThat(a.send("GET", "/v2/tasks/" + running.id() + ":wait?timeout=0", null, null).statusCode())
                .isEqualTo(408);

        for (int hour = 0; hour < 3; hour++) { // c stops renewing; a and b renew every hour of its two-hour lease
            time.advance(Duration.ofHours(1));
            a.fleet().renewLease();
            b.fleet().renewLease();
        }
        assertThat(b.fleet().claimLostNodes()).containsExactly("node-c");

        HttpResponse<String> answer = waiting.get(30, TimeUnit.SECONDS);
        Map<?, ?> lost = (Map<?, ?>) ServerProcess.json(answer.body());
        assertThat(lost.get("state")).isEqualTo("failed");
        assertThat((String) lost.get("error")).startsWith("node lost: node-c stopped renewing its lease at ");
        Map<String, Object> viaList = a.getJson("/v2/tasks?cluster=true&state=failed&keyspace=ks");
        assertThat(fields((List<?>) viaList.get("tasks"), "id")).containsExactly(running.id().toString());
        assertThat(a.getJson("/v2/tasks/" + finished.id()).get("state")).as("nothing finished is touched")
                .isEqualTo("done");
    }

    @Test
    void everyNodesCompatApiListsAClusterTaskWithItsChildrenOnSeveralNodes() throws Exception {
        for (Node node : List.of(a, b, c)) {
            node.tm().module("repair");
            node.fleet().renewLease(); // a round attaches the fleet's cluster task provider to every module
        }
        TrackedTask cluster = a.tm().module("repair").task("repair").kind(dev.taskmanager.TaskKind.CLUSTER)
                .abortable().progressUnits("ranges").track();
        cluster.start();
        TrackedTask onA = cluster.child("repair").scope("node").track();
        onA.start();
        onA.progress().set(2, 10);
        TrackedTask onB = b.tm().module("repair").task("repair").scope("node").progressUnits("ranges")
                .clusterParent(cluster.id()).track();
        onB.start();
        onB.progress().set(5, 10);
        for (Node node : List.of(a, b)) {
            node.flush();
        }

        for (Node node : List.of(a, b, c)) {
            HttpResponse<String> listed = node.send("GET", "/task_manager/list_module_tasks/repair", null, null);
            List<?> stats = (List<?>) ServerProcess.json(listed.body());
            Map<?, ?> first = (Map<?, ?>) stats.stream().filter(t -> ((Map<?, ?>) t).get("task_id")
                    .equals(cluster.id().toString())).findFirst().orElseThrow(() -> new AssertionError(listed.body()));
            assertThat(first.get("kind")).isEqualTo("cluster");
            assertThat(first.get("sequence_number")).isEqualTo(0.0);
            assertThat(first.get("shard")).isEqualTo(0.0);
            Map<?, ?> status = (Map<?, ?>) ServerProcess.json(node.send("GET", "/task_manager/task_status/"
                    + cluster.id(), null, null).body());
            assertThat(status.get("progress_completed")).as(node.name()).isEqualTo(7.0);
            assertThat(status.get("progress_total")).isEqualTo(20.0);
            Map<Object, Object> children = new HashMap<>();
            for (Object child : (List<?>) status.get("children_ids")) {
                children.put(((Map<?, ?>) child).get("task_id"), ((Map<?, ?>) child).get("node"));
            }
            assertThat(children).as(node.name()).containsOnly(Map.entry(onA.id().toString(), a.address()),
                    Map.entry(onB.id().toString(), b.address()));
        }
        HttpResponse<String> recursive = c.send("GET", "/task_manager/task_status_recursive/" + cluster.id(), null,
                null);
        assertThat(fields((List<?>) ServerProcess.json(recursive.body()), "id")).containsExactlyInAnyOrder(
                cluster.id().toString(), onA.id().toString(), onB.id().toString());
    }

    private static List<Object> fields(List<?> tasks, String field) {
        List<Object> values = new ArrayList<>();
        for (Object task : tasks) {
            values.add(((Map<?, ?>) task).get(field));
        }
        return values;
    }
}
