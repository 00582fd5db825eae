package dev.taskmanager.benchmarks.store;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.app.HistoryTaskSource;
import dev.taskmanager.server.TaskManagerServer;
import dev.taskmanager.store.Fleet;
import dev.taskmanager.store.HistoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet under load: three nodes in one JVM on one PostgreSQL, each running {@code rate} tasks per
 * second (created, started, finished, recorded), while samplers measure what the fleet promises:
 *
 * <ol>
 *   <li><b>finish to visible</b>: a task of node a finishes; how long until node b, waiting for it
 *       ({@code RemoteTask.done()}, the path of {@code :wait} on b), has its final state read from the
 *       store: a's batch commit, the {@code NOTIFY}, b's listener, b's read. p50, p99.</li>
 *   <li><b>abort delivery</b>: node b asks for the abort of a running task of node c
 *       ({@code Fleet.requestAbort}, the path of {@code POST :abort} on b); how long until c's task hears
 *       it. p50, p99.</li>
 *   <li><b>cluster list</b>: {@code GET /v2/tasks?cluster=true&page_size=100} on node a with at least
 *       {@code storeTasks} tasks in the store (filled once by SQL, kept between runs): first pages
 *       (which count {@code total_size}) and pages that follow a token. p50, p99.</li>
 * </ol>
 *
 * <p>Run (after {@code ./mvnw -q -pl taskmanager-benchmarks -am package -DskipTests}):
 * <pre>
 * java -Xmx2g -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.store.FleetLoad 2000 30 1000000
 * </pre>
 * Arguments: tasks per second per node (2000), seconds of load (30), tasks in the store for the list
 * (1,000,000). The embedded PostgreSQL keeps its data under {@code taskmanager-benchmarks/target/store-bench/fleet}
 * ({@code -Dstore.postgres=jdbc:postgresql://...} uses another). Not JMH: these are end-to-end latencies
 * across threads and a database.
 */
public final class FleetLoad {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern NEXT_TOKEN = Pattern.compile("\"next_page_token\":\"([^\"]*)\"");
    private static final String[] NODES = {"bench-a", "bench-b", "bench-c"};

    private FleetLoad() {
    }

    /** A node: its task manager and its store (a fleet node). */
    private record Node(TaskManager tm, HistoryStore store) {
        Fleet fleet() {
            return store.fleet().orElseThrow();
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long storeTasks = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
        BenchStores postgres = BenchStores.postgres("fleet");
        List<Node> nodes = new ArrayList<>();
        TaskManagerServer server = null;
        try {
            postgres.builder().open().close(); // opening migrates: the tables exist from here on
            fill(postgres.url(), storeTasks);
            for (String name : NODES) {
                TaskManager tm = TaskManager.builder().taskTtl(Duration.ZERO).build();
                HistoryStore store = postgres.builder().nodeName(name).taskManager(tm).advertiseAddress(name + ":10000")
                        .retention(Duration.ZERO).maxTasks(0).open();
                nodes.add(new Node(tm, store));
            }
            Node a = nodes.get(0);
            Node b = nodes.get(1);
            Node c = nodes.get(2);

            List<Thread> producers = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long[] produced = new long[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                int index = i;
                Thread producer = new Thread(() -> produced[index] = produce(nodes.get(index).tm(), rate, deadline),
                        "producer-" + NODES[i]);
                producers.add(producer);
                producer.start();
            }
            List<Long> visible = new ArrayList<>();
            List<Long> aborts = new ArrayList<>();
            Thread visibility = new Thread(() -> sampleVisibility(a, b, deadline, visible), "sample-visibility");
            Thread abortDelivery = new Thread(() -> sampleAborts(c, b, deadline, aborts), "sample-aborts");
            visibility.start();
            abortDelivery.start();
            for (Thread t : producers) {
                t.join();
            }
            visibility.join();
            abortDelivery.join();
            for (Node node : nodes) {
                BenchStores.flush(node.store());
            }
            System.out.printf("load: %d nodes x %,d tasks/s for %d s: produced %s; store health of a: %s%n",
                    nodes.size(), rate, seconds, Arrays.toString(produced), a.store().health());
            report("finish on a to visible on b (remote wait)", visible);
            report("abort asked on b to heard on c", aborts);

            server = TaskManagerServer.builder(a.tm()).port(0).nodeAddress("bench-a:10000")
                    .taskSource(new HistoryTaskSource(a.store())).build().start();
            long rows = BenchStores.scalar(postgres.url(), "SELECT count(*) FROM tasks");
            System.out.printf("cluster list over %,d stored tasks:%n", rows);
            listLatency(server, false, 50);
            listLatency(server, true, 500);
        } finally {
            if (server != null) {
                server.close();
            }
            for (Node node : nodes) {
                node.tm().close();
                node.store().close();
            }
            postgres.close();
        }
    }

    /** Finished tasks of the three nodes, written by SQL (a million through the writer takes a minute). */
    private static void fill(String url, long target) throws Exception {
        long have = BenchStores.scalar(url, "SELECT count(*) FROM tasks");
        if (have >= target) {
            return;
        }
        long missing = target - have;
        long now = System.currentTimeMillis() * 1_000_000L;
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(
                "INSERT INTO tasks (id, node, module, type, kind, scope, state, abortable, user_task, internal, "
                        + "sequence_number, shard, keyspace, table_name, entity, progress_units, progress_completed, "
                        + "progress_total, error, created, started, ended, updated, stalled, written) "
                        + "SELECT gen_random_uuid(), 'bench-' || chr(97 + (i % 3)::int), 'bulk', 'copy', 'node', 'node', "
                        + "CASE WHEN i % 10 = 3 THEN 'failed' ELSE 'done' END, true, false, false, i, 0, 'ks' || (i % 10), "
                        + "'', '/data/part-' || i, 'bytes', 1000, 1000, "
                        + "CASE WHEN i % 10 = 3 THEN 'java.io.IOException (disk full)' ELSE '' END, "
                        + "? - (? - i) * 1000, ? - (? - i) * 1000 + 10, ? - (? - i) * 1000 + 20, ? - (? - i) * 1000 + 20, "
                        + "false, ? FROM generate_series(1, ?) AS i")) {
            for (int p = 1; p <= 8; p += 2) {
                s.setLong(p, now);
                s.setLong(p + 1, missing);
            }
            s.setLong(9, now);
            s.setLong(10, missing);
            s.executeUpdate();
        }
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("ANALYZE tasks");
        }
        System.out.printf("filled the store with %,d finished tasks (%,d in all)%n", missing, target);
    }

    /** Creates, starts and finishes {@code rate} root tasks per second until the deadline; returns how many. */
    private static long produce(TaskManager tm, int rate, long deadline) {
        TaskModule module = tm.module("load");
        long start = System.nanoTime();
        long count = 0;
        while (System.nanoTime() - deadline < 0) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            while (count < due) {
                TrackedTask task = module.task("copy").scope("node").entity("/data/" + count).track();
                task.start();
                if (count % 10 == 3) {
                    task.fail("disk full");
                } else {
                    task.complete();
                }
                count++;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return count;
    }

    /** About 20 a second: a task of {@code on} that {@code watcher} waits for, then finished. */
    private static void sampleVisibility(Node on, Node watcher, long deadline, List<Long> latencies) {
        TaskModule module = on.tm().module("sampled");
        while (System.nanoTime() - deadline < 0) {
            TrackedTask task = module.task("copy").track();
            task.start();
            CompletableFuture<TaskStatus> seen = null;
            while (seen == null && System.nanoTime() - deadline < 0) {
                seen = watcher.fleet().remote(task.id()).map(remote -> remote.done()).orElse(null);
                if (seen == null) {
                    LockSupport.parkNanos(1_000_000); // not written yet
                }
            }
            long t0 = System.nanoTime();
            task.complete();
            if (seen != null) {
                seen.join();
                latencies.add(System.nanoTime() - t0);
            }
            LockSupport.parkNanos(50_000_000);
        }
    }

    /** About 20 a second: a running task of {@code on} that {@code asker} asks to abort. */
    private static void sampleAborts(Node on, Node asker, long deadline, List<Long> latencies) {
        TaskModule module = on.tm().module("aborted");
        while (System.nanoTime() - deadline < 0) {
            TrackedTask task = module.task("copy").abortable().track();
            task.start();
            CompletableFuture<Long> heard = new CompletableFuture<>();
            task.onAbort(() -> heard.complete(System.nanoTime()));
            while (asker.store().find(task.id()).isEmpty() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000); // not written yet
            }
            long t0 = System.nanoTime();
            if (asker.fleet().requestAbort(task.id(), "bench", "fleet-load").outcome() == Fleet.AbortOutcome.REQUESTED) {
                latencies.add(heard.join() - t0);
            }
            task.complete();
            LockSupport.parkNanos(50_000_000);
        }
    }

    /** {@code requests} pages: first pages (counting the total) or a walk following the tokens. */
    private static void listLatency(TaskManagerServer server, boolean walk, int requests) throws Exception {
        List<Long> latencies = new ArrayList<>();
        String token = "";
        for (int i = 0; i < requests + 5; i++) {
            String target = server.uri() + "/v2/tasks?cluster=true&page_size=100" + (walk ? "&page_token=" + token : "");
            long t0 = System.nanoTime();
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(target)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - t0;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(target + ": " + answer.statusCode() + " " + answer.body());
            }
            if (i >= 5) { // warm-up
                latencies.add(took);
            }
            Matcher next = NEXT_TOKEN.matcher(answer.body());
            token = next.find() ? next.group(1) : "";
        }
        report(walk ? "  GET ?cluster=true&page_size=100, following next_page_token" : "  GET ?cluster=true&page_size=100, first page (counts total_size)", latencies);
    }

    private static void report(String what, List<Long> nanos) {
        if (nanos.isEmpty()) {
            System.out.printf("%s: no samples%n", what);
            return;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s: %d samples, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted.length,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }
}
