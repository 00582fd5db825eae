package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskmanager.FakeTime;
import dev.taskmanager.Task;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes of a fleet in one JVM on one real PostgreSQL: leases on a fake clock, the claim of a
 * lost node by exactly one survivor, a lost node that comes back, aborts and waits across nodes,
 * and a cluster task with parts on several nodes.
 */
class FleetTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final FakeTime time = new FakeTime();
    private final String url = Postgres.newDatabase();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A node whose lease moves only when the test says: rounds every hour, leases of two. */
    private Node node(String name) {
        return node(name, Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(1));
    }

    private Node node(String name, Duration leaseInterval, Duration leaseDuration, Duration pollInterval) {
        TaskManager tm = time.builder().build();
        HistoryStore store;
        try {
            store = HistoryStore.builder().postgres(url).nodeName(name).taskManager(tm)
                    .advertiseAddress(name + ".example:10000").flushInterval(Duration.ofMillis(1))
                    .leaseInterval(leaseInterval).leaseDuration(leaseDuration).pollInterval(pollInterval)
                    .leaseClock(time).clock(time).open(); // the store's clock too: retention must not see 2025 as old
        } catch (RuntimeException e) {
            tm.close();
            throw e;
        }
        Node node = new Node(tm, store);
        open.add(node);
        return node;
    }

    private record Node(TaskManager tm, HistoryStore store) implements AutoCloseable {
        Fleet fleet() {
            return store.fleet().orElseThrow();
        }

        void flush() throws InterruptedException {
            assertThat(store.flush(WAIT)).isTrue();
        }

        @Override
        public void close() {
            tm.close();
            store.close();
        }
    }

    @Test
    void aNodeRegistersWithItsAddressAndANewEpochAtEachStart() throws Exception {
        Node a = node("a");
        Node b = node("b");

        assertThat(a.fleet().nodes()).extracting(FleetNode::name, FleetNode::address, FleetNode::live)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "a.example:10000", true),
                        org.assertj.core.groups.Tuple.tuple("b", "b.example:10000", true));
        a.fleet().renewLease(); // a round reads the addresses
        assertThat(a.fleet().addressOf("b")).isEqualTo("b.example:10000");
        assertThat(a.fleet().addressOf("unknown")).isEqualTo("unknown");
        long first = b.fleet().epoch();
        b.close();
        open.remove(b);
        Node again = node("b");
        assertThat(again.fleet().epoch()).as("a clean stop released the name at once").isEqualTo(first + 1);
    }

    @Test
    void aNodeThatRegisteredSinceTheLastReadIsNamedByItsAddressAtOnce() {
        Node a = node("a");
        assertThat(a.fleet().addressOf("gone")).isEqualTo("gone"); // a read of the addresses, just now

        node("b");

        assertThat(a.fleet().addressOf("b")).as("not the name until the next lease round").isEqualTo("b.example:10000");
    }

    @Test
    void aStartWithTheNameOfALiveNodeIsRefusedNamingIt() {
        node("a", Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(1)); // renews all along

        assertThatThrownBy(() -> node("a", Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(HistoryStoreException.class)
                .hasMessageContaining("node name a is held by a live node at a.example:10000")
                .hasMessageContaining("give this server another --node-name");
    }

    @Test
    void aLostNodesUnfinishedTasksFailOnceClaimedByExactlyOneSurvivor() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        TrackedTask running = c.tm().module("copy").task("copy").progressUnits("bytes").track();
        running.start();
        running.progress().set(40, 100);
        TrackedTask done = c.tm().module("copy").task("copy").track();
        done.start();
        done.complete();
        TrackedTask aRunning = a.tm().module("copy").task("copy").track();
        aRunning.start();
        c.flush();
        a.flush();

        passHours(3, a, b); // a and b renew every hour; c's lease (two hours) runs out
        List<String> claimed = claimTogether(a.fleet(), b.fleet());

        assertThat(claimed).as("exactly one survivor claims c").containsExactly("c");
        TaskStatus lost = a.store().find(running.id()).orElseThrow().status();
        assertThat(lost.state()).isEqualTo(TaskState.FAILED);
        assertThat(lost.error()).matches("node lost: c stopped renewing its lease at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
        assertThat(lost.progress().completed()).as("its last checkpoint").isEqualTo(40);
        assertThat(a.store().find(done.id()).orElseThrow().status().state()).as("nothing finished is touched")
                .isEqualTo(TaskState.DONE);
        assertThat(a.store().find(aRunning.id()).orElseThrow().status().state()).isEqualTo(TaskState.RUNNING);
        FleetNode cRow = a.fleet().nodes().stream().filter(n -> n.name().equals("c")).findFirst().orElseThrow();
        assertThat(cRow.live()).isFalse();
        assertThat(cRow.lostTasks()).isEqualTo(1);
        assertThat(cRow.lostBy()).isIn("a", "b");
        assertThat(a.fleet().claimLostNodes()).as("claimed once").isEmpty();
    }

    /** Moves the fake clock an hour at a time, the given nodes renewing their lease each hour. */
    private void passHours(int hours, Node... renewing) {
        for (int i = 0; i < hours; i++) {
            time.advance(Duration.ofHours(1));
            for (Node node : renewing) {
                assertThat(node.fleet().renewLease()).isTrue();
            }
        }
    }

    @Test
    void afterEveryLeaseLapsedANodeClaimsNobodyUntilItHeldItsOwnForAWholeLease() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        TrackedTask onB = b.tm().module("copy").task("copy").track();
        onB.start();
        b.flush();

        time.advance(Duration.ofHours(3)); // the database was away longer than a lease: every lease lapsed
        assertThat(a.fleet().renewLease()).isTrue();
        assertThat(a.fleet().claimLostNodes()).as("b and c may just not have renewed yet").isEmpty();
        assertThat(b.fleet().renewLease()).isTrue();
        passHours(1, a, b);
        assertThat(a.fleet().claimLostNodes()).as("held an hour of a two-hour lease").isEmpty();
        passHours(2, a, b);

        assertThat(a.fleet().claimLostNodes()).containsExactly("c");
        assertThat(a.store().find(onB.id()).orElseThrow().status().state()).isEqualTo(TaskState.RUNNING);
        assertThat(c.fleet().renewLease()).as("c registers again").isTrue();
    }

    @Test
    void survivorsClaimingAtOnceClaimEachLostNodeExactlyOnce() throws Exception {
        List<Node> survivors = List.of(node("s1"), node("s2"), node("s3"));
        List<Node> lost = List.of(node("l1"), node("l2"), node("l3"));
        List<TrackedTask> running = new ArrayList<>();
        for (Node node : lost) {
            for (int i = 0; i < 5; i++) {
                TrackedTask task = node.tm().module("copy").task("copy").track();
                task.start();
                running.add(task);
            }
            node.flush();
        }
        passHours(3, survivors.toArray(new Node[0]));

        List<String> claimed = claimTogether(survivors.stream().map(Node::fleet).toArray(Fleet[]::new));

        assertThat(claimed).containsExactlyInAnyOrder("l1", "l2", "l3");
        for (TrackedTask task : running) {
            assertThat(survivors.get(0).store().find(task.id()).orElseThrow().status().error())
                    .startsWith("node lost: l");
        }
        assertThat(survivors.get(0).fleet().nodes()).filteredOn(n -> n.name().startsWith("l"))
                .allSatisfy(n -> assertThat(n.lostTasks()).isEqualTo(5));
    }

    @Test
    void nodesAskingForThePageTokenKeyAtOnceAllGetOneKeyThatOutlivesThem() throws Exception {
        List<Node> nodes = List.of(node("k1"), node("k2"), node("k3"), node("k4"));
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        List<byte[]> keys = new ArrayList<>();
        try {
            CyclicBarrier barrier = new CyclicBarrier(nodes.size());
            List<Future<byte[]>> asked = new ArrayList<>();
            for (Node node : nodes) {
                asked.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return node.fleet().pageTokenKey(); // each draws one; the first insert wins
                }));
            }
            for (Future<byte[]> key : asked) {
                keys.add(key.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.get(0)).hasSize(32);
        assertThat(keys).allSatisfy(key -> assertThat(key).isEqualTo(keys.get(0)));

        nodes.get(0).close();
        open.remove(nodes.get(0));
        assertThat(node("k1").fleet().pageTokenKey()).as("after a restart").isEqualTo(keys.get(0));
        byte[] copy = nodes.get(1).fleet().pageTokenKey();
        copy[0] ^= 1;
        assertThat(nodes.get(1).fleet().pageTokenKey()).as("a copy each time").isEqualTo(keys.get(0));
    }

    /** The fleets claim at the same instant, released by a barrier; returns every name any of them claimed. */
    private static List<String> claimTogether(Fleet... fleets) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(fleets.length);
        try {
            CyclicBarrier barrier = new CyclicBarrier(fleets.length);
            List<Future<List<String>>> claims = new ArrayList<>();
            for (Fleet fleet : fleets) {
                claims.add(pool.submit(() -> {
                    barrier.await();
                    return fleet.claimLostNodes();
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> claim : claims) {
                all.addAll(claim.get(30, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLostNodeThatComesBackDoesNotResurrectItsTasksAbortsThemAndRegistersAgain() throws Exception {
        Node a = node("a");
        Node c = node("c");
        TrackedTask running = endsOnAbort(c.tm().module("copy").task("copy").track());
        c.flush();
        long epoch = c.fleet().epoch();

        passHours(3, a);
        assertThat(a.fleet().claimLostNodes()).containsExactly("c");

        assertThat(c.fleet().renewLease()).as("c comes back and registers again").isTrue();
        assertThat(c.fleet().epoch()).isEqualTo(epoch + 1);
        TaskStatus aborted = running.done().get(30, TimeUnit.SECONDS);
        assertThat(aborted.aborted()).isTrue();
        assertThat(aborted.abortRequest().requestedBy()).isEqualTo(Fleet.FLEET_REQUESTER);
        assertThat(aborted.abortRequest().reason()).startsWith("node lost: this node (c) was declared lost by a");
        c.flush();
        TaskStatus stored = a.store().find(running.id()).orElseThrow().status();
        assertThat(stored.error()).as("the store keeps what the survivor recorded").startsWith("node lost: c stopped");
        assertThat(a.fleet().nodes()).filteredOn(n -> n.name().equals("c")).singleElement()
                .satisfies(n -> assertThat(n.live()).isTrue()).satisfies(n -> assertThat(n.lostAt()).isNull());
    }

    @Test
    void anAbortAskedOnOneNodeReachesTheTaskOnAnotherWithItsReasonAndRequester() throws Exception {
        Node a = node("a");
        Node b = node("b");
        TrackedTask task = endsOnAbort(a.tm().module("copy").task("copy").abortable().track());
        TrackedTask locked = a.tm().module("copy").task("copy").track();
        locked.start();
        a.flush();

        Fleet.AbortAnswer answer = b.fleet().requestAbort(task.id(), "wrong directory", "alice");

        assertThat(answer.outcome()).isEqualTo(Fleet.AbortOutcome.REQUESTED);
        assertThat(answer.task().node()).isEqualTo("a");
        TaskStatus ended = task.done().get(30, TimeUnit.SECONDS); // delivered by LISTEN: polls are an hour apart
        assertThat(ended.aborted()).isTrue();
        assertThat(ended.abortRequest().reason()).isEqualTo("wrong directory");
        assertThat(ended.abortRequest().requestedBy()).isEqualTo("alice");
        assertThat(b.fleet().requestAbort(locked.id(), null, null).outcome()).isEqualTo(Fleet.AbortOutcome.NOT_ABORTABLE);
        assertThat(b.fleet().requestAbort(UUID.randomUUID(), null, null).outcome())
                .isEqualTo(Fleet.AbortOutcome.NOT_FOUND);
        assertThat(a.fleet().requestAbort(task.id(), null, null).outcome()).isEqualTo(Fleet.AbortOutcome.LOCAL);
        a.flush();
        assertThat(b.fleet().requestAbort(task.id(), null, null).outcome()).isEqualTo(Fleet.AbortOutcome.FINISHED);
    }

    @Test
    void anAbortRequestFiledWhileTheTargetWasNotListeningIsDeliveredByItsPoll() throws Exception {
        Node a = node("a", Duration.ofHours(1), Duration.ofHours(2), Duration.ofMillis(50));
        Node b = node("b");
        TrackedTask task = endsOnAbort(a.tm().module("copy").task("copy").abortable().track());
        a.flush();
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(
                "INSERT INTO abort_requests (task_id, target_node, reason, requested_by, requested_at, requested_on) "
                        + "VALUES (?, 'a', 'missed', '', 0, 'b')")) {
            s.setObject(1, task.id());
            s.executeUpdate(); // no NOTIFY: as if it was sent while a's listener was reconnecting
        }

        assertThat(task.done().get(30, TimeUnit.SECONDS).abortRequest().reason()).isEqualTo("missed");
        a.flush();
        assertThat(b.fleet().requestAbort(task.id(), "again", null).outcome()).isEqualTo(Fleet.AbortOutcome.FINISHED);
        long deadline = System.nanoTime() + WAIT.toNanos(); // marked once applied: at least once, never lost
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM abort_requests WHERE task_id = ? AND delivered_at IS NOT NULL")) {
            s.setObject(1, task.id());
            while (true) {
                try (java.sql.ResultSet rows = s.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) == 1) {
                        break;
                    }
                }
                assertThat(System.nanoTime() - deadline).as("the request is marked delivered").isNegative();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    @Test
    void aWaitOnAnotherNodesTaskCompletesWhenThatNodeRecordsTheFinalState() throws Exception {
        Node a = node("a");
        Node b = node("b");
        TrackedTask task = a.tm().module("copy").task("copy").track();
        task.start();
        a.flush();

        RemoteTask remote = b.fleet().remote(task.id()).orElseThrow();
        assertThat(remote.node()).isEqualTo("a");
        assertThat(remote.address()).isEqualTo("a.example:10000");
        CompletableFuture<TaskStatus> waited = remote.done();
        CompletableFuture<TaskStatus> abandoned = remote.done();
        abandoned.cancel(false);
        assertThat(waited).isNotDone();

        task.fail("disk full");
        TaskStatus ended = waited.get(30, TimeUnit.SECONDS); // by NOTIFY: polls are an hour apart
        assertThat(ended.state()).isEqualTo(TaskState.FAILED);
        assertThat(ended.error()).contains("disk full");
        // The wait detaches itself in a completion callback, which may run just after get() returns.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (b.fleet().watchedCount() != 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertThat(b.fleet().watchedCount()).as("nothing left attached").isZero();
        assertThat(a.fleet().remote(task.id())).as("a's own task is not remote to a").isEmpty();
        assertThat(b.fleet().remote(task.id()).orElseThrow().done()).as("ended: answered at once").isDone();
    }

    @Test
    void aClusterTaskIsListedByEveryNodeWithItsChildrenOnSeveralNodesAndAbortsThemAll() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        for (Node n : List.of(b, c)) {
            n.tm().module("repair");
            n.fleet().renewLease(); // a round attaches the fleet's provider to the new module
        }
        TrackedTask cluster = endsOnAbort(a.tm().module("repair").task("repair").kind(TaskKind.CLUSTER).abortable()
                .progressUnits("ranges").track());
        TrackedTask onA = endsOnAbort(cluster.child("repair").scope("node").track());
        onA.progress().set(1, 10);
        TrackedTask onB = endsOnAbort(b.tm().module("repair").task("repair").scope("node").progressUnits("ranges")
                .clusterParent(cluster.id()).track());
        onB.progress().set(3, 10);
        for (Node n : List.of(a, b)) {
            n.flush();
        }

        List<TaskStats> listed = c.tm().findModule("repair").orElseThrow().tasks().toList();
        assertThat(listed).extracting(TaskStats::id).containsExactly(cluster.id());
        assertThat(listed.get(0).kind()).isEqualTo(TaskKind.CLUSTER);
        assertThat(listed.get(0).sequenceNumber()).isZero();
        assertThat(listed.get(0).shard()).isZero();
        Task view = c.tm().find(cluster.id()).orElseThrow();
        TaskStatus status = view.status();
        assertThat(status.children()).containsExactlyInAnyOrder(onA.id(), onB.id());
        assertThat(status.progress().completed()).isEqualTo(4);
        assertThat(status.progress().total()).isEqualTo(20);
        Task onCoordinator = a.tm().find(cluster.id()).orElseThrow();
        assertThat(onCoordinator.status().children()).as("the coordinator sees its parts elsewhere too")
                .containsExactlyInAnyOrder(onA.id(), onB.id());
        assertThat(a.tm().findModule("repair").orElseThrow().tasks()).as("listed once, from the registry")
                .extracting(TaskStats::id).containsExactly(cluster.id(), onA.id());

        view.abort("stop the repair", "bob"); // asked on c, coordinated by a, with a part on b
        TaskStatus onBEnded = onB.done().get(30, TimeUnit.SECONDS);
        assertThat(onBEnded.aborted()).isTrue();
        assertThat(onBEnded.abortRequest().reason()).isEqualTo("stop the repair");
        assertThat(cluster.done().get(30, TimeUnit.SECONDS).aborted()).isTrue();
        assertThat(onA.done().get(30, TimeUnit.SECONDS).aborted()).isTrue();
        Optional<Task> unknown = c.tm().find(UUID.randomUUID());
        assertThat(unknown).isEmpty();
    }

    @Test
    void aStoreThatOnlyReadsOrRunsOnSqliteIsNoFleetAndRefusesFleetSettings() {
        assertThat(HistoryStore.builder().postgres(url).open()).satisfies(reader -> {
            assertThat(reader.fleet()).isEmpty();
            reader.close();
        });
        assertThatThrownBy(() -> HistoryStore.builder().sqlite(java.nio.file.Path.of("unused"))
                .advertiseAddress("x:1").open()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("advertiseAddress is for a fleet on postgres(url)");
        assertThatThrownBy(() -> HistoryStore.builder().postgres(url).leaseInterval(Duration.ofSeconds(10))
                .leaseDuration(Duration.ofSeconds(5)).open()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be shorter than leaseDuration");
    }

    /** A started tracked task whose owner ends it as soon as it is asked to abort, as a worker would. */
    private static TrackedTask endsOnAbort(TrackedTask task) {
        task.start();
        task.onAbort(() -> java.util.concurrent.ForkJoinPool.commonPool().execute(task::complete));
        return task;
    }
}
