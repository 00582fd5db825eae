package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a timed-out {@code wait_task} left its cancelled future attached to the task's completion
 * future until the task ended (~810 bytes per call; 293,000 polls grew the heap by 229 MB). Now the
 * waits of a task share one attachment and a wait that ends leaves nothing behind.
 */
class WaitLeakTest extends ApiTestBase {
    private static final int POLLS = 100_000;
    private static final int BATCH = 200;

    @Test
    void oneHundredThousandTimedOutPollsOfARunningTaskAttachNothingAndKeepNoMemory() {
        String id = client.createTestTask("");
        Waiters waiters = f.server.api().waiters();
        long before = usedHeapAfterGc();
        try (KeepAlive connection = new KeepAlive(f.server.port())) {
            String request = "GET /task_manager/wait_task/" + id + "?timeout=0 HTTP/1.1\r\nHost: localhost\r\n\r\n";
            for (int sent = 0; sent < POLLS; sent += BATCH) {
                connection.send(request.repeat(BATCH)); // pipelined: the whole batch in one write
                for (int i = 0; i < BATCH; i++) {
                    KeepAlive.Answer answer = connection.read();
                    assertThat(answer.status()).isEqualTo(408);
                }
            }
        }
        long grown = usedHeapAfterGc() - before;
        assertThat(waiters.attachmentCount()).isZero();
        assertThat(waiters.waitedTaskCount()).isZero();
        // The leak was ~810 bytes per poll: 81 MB for these. Allow a tenth of one poll's leak each.
        assertThat(grown).as("heap grown by %,d bytes", grown).isLessThan(POLLS * 81L);
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void waitsThatTimeOutOrLoseTheirClientLeaveNoWaiterReachable() throws Exception {
        // a short idle period finds abandoned waits soon; not so short that a loaded machine times out a
        // connection before its request is read
        try (ServerFixture fast = new ServerFixture(b -> b, s -> s.idleTimeout(Duration.ofSeconds(1)))) {
            fast.withTestModule();
            String id = fast.client.createTestTask("");
            Waiters waiters = fast.server.api().waiters();
            Queue<WeakReference<Object>> created = new ConcurrentLinkedQueue<>();
            waiters.onWaiterCreated = waiter -> created.add(new WeakReference<>(waiter));

            List<KeepAlive> timingOut = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                KeepAlive connection = new KeepAlive(fast.server.port());
                connection.send("GET /task_manager/wait_task/" + id + "?timeout=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
                timingOut.add(connection);
            }
            List<KeepAlive> leaving = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                KeepAlive connection = new KeepAlive(fast.server.port());
                connection.send("GET /task_manager/wait_task/" + id + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                leaving.add(connection);
            }
            Await.until("every wait is held or answered", () -> created.size() == 200);
            leaving.forEach(KeepAlive::close);
            for (KeepAlive connection : timingOut) {
                assertThat(connection.read().status()).isEqualTo(408);
                connection.close();
            }
            Await.until("the abandoned waits are dropped", () -> waiters.droppedCount() == 50);

            assertThat(waiters.pendingCount()).isZero();
            assertThat(waiters.waiterCount(UUID.fromString(id))).isZero();
            assertThat(waiters.attachmentCount()).as("the task's future is taken once for all 200 waits").isOne();
            Await.until("every waiter is garbage", () -> {
                System.gc();
                return created.stream().allMatch(ref -> ref.get() == null);
            });

            // The shared attachment still releases a later waiter, and goes with the task.
            var wait = fast.client.sendAsync("GET", "/task_manager/wait_task/" + id);
            Await.until("the wait is held", () -> waiters.pendingCount() == 1);
            fast.client.finish(id);
            assertThat(wait.get().json().get("state").asText()).isEqualTo("done");
            assertThat(waiters.waitedTaskCount()).isZero();
            assertThat(waiters.attachmentCount()).isOne();
        }
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
