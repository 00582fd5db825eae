package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: slow readers of a big listing kept ~100 bytes per task each in memory (JDK 17's
 * {@code flatMap} behind {@code iterator()} buffered a whole shard; recursive statuses were
 * rendered whole into a byte array), and nothing bounded how many ran at once. Now a large answer
 * is written chunk by chunk as its client takes it, and at most a configured number run at once.
 */
class LargeAnswerTest {
    private static final int TASKS = 200_000;
    private static final int PERMITS = 4;

    private ServerFixture f;

    @BeforeEach
    void start() {
        f = new ServerFixture(b -> b, s -> s.maxConcurrentListings(PERMITS));
        f.withTestModule();
        TaskModule big = f.tm.module("big");
        for (int i = 0; i < TASKS; i++) {
            TrackedTask task = big.task("copy").scope("file").keyspace("ks").table("t" + (i % 10))
                    .entity("entity-" + i).shard(i % 2).track();
            task.start();
        }
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void slowReadersOfABigListingHoldAFewChunksNotTheListing() {
        RenderPermits renders = f.server.api().renders();
        long before = usedHeapAfterGc();
        List<Socket> readers = new ArrayList<>();
        try {
            for (int i = 0; i < PERMITS; i++) {
                readers.add(slowReader("/task_manager/list_module_tasks/big"));
            }
            Await.until("every listing waits for its reader", () -> renders.blockedWrites() == PERMITS);
            long grown = usedHeapAfterGc() - before;
            // Buffering the listing cost ~100 bytes per task per reader: 80 MB here. Allow 4 MB in all.
            assertThat(grown).as("heap grown by %,d bytes", grown).isLessThan(4L * 1024 * 1024);
        } finally {
            readers.forEach(LargeAnswerTest::closeQuietly);
        }
        Await.until("the permits are back", () -> renders.inUse() == 0);
    }

    @Test
    void pastTheLimitALargeAnswerIs503WithRetryAfterWhileSmallAnswersStillWork() {
        RenderPermits renders = f.server.api().renders();
        List<Socket> readers = new ArrayList<>();
        try {
            for (int i = 0; i < PERMITS; i++) {
                readers.add(slowReader("/task_manager/list_module_tasks/big"));
            }
            Await.until("every permit is taken", () -> renders.inUse() == PERMITS);

            try (KeepAlive extra = new KeepAlive(f.server.port())) {
                KeepAlive.Answer refused = extra.get("/task_manager/list_module_tasks/big");
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("2");
                assertThat(refused.body()).isEqualTo("{\"message\":\"too many large answers in progress (the limit is 4 "
                        + "at once); retry in 2 seconds\",\"code\":503}");
                // the connection stays usable, and answers that fit in one chunk need no permit
                String id = f.client.createTestTask("");
                KeepAlive.Answer small = extra.get("/task_manager/list_module_tasks/test");
                assertThat(small.status()).isEqualTo(200);
                assertThat(small.header("Content-Length")).isNotNull();
                assertThat(small.body()).contains(id);
                assertThat(extra.get("/task_manager/task_status_recursive/" + id).status()).isEqualTo(200);
            }
        } finally {
            readers.forEach(LargeAnswerTest::closeQuietly);
        }
        Await.until("the permits are back", () -> renders.inUse() == 0);

        KeepAlive.Answer whole;
        try (KeepAlive reader = new KeepAlive(f.server.port())) {
            whole = reader.get("/task_manager/list_module_tasks/big?table=t3");
        }
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("Transfer-Encoding")).isEqualTo("chunked");
        List<?> listed = ApiClient.MAPPER.convertValue(readTree(whole.body()), List.class);
        assertThat(listed).hasSize(TASKS / 10);
    }

    @Test
    void aLargeRecursiveStatusIsStreamedUnderTheSameLimit() {
        String root = f.client.createTestTask("");
        for (int i = 0; i < 300; i++) {
            f.client.createTestTask("parent_id=" + root);
        }
        RenderPermits renders = f.server.api().renders();
        try (KeepAlive reader = new KeepAlive(f.server.port())) {
            KeepAlive.Answer answer = reader.get("/task_manager/task_status_recursive/" + root);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(readTree(answer.body()).size()).isEqualTo(301);
            assertThat(readTree(answer.body()).get(0).get("children_ids").size()).isEqualTo(300);
        }
        // the server gives the permit back once its last chunk is sent, which may be just after the
        // client has read it
        Await.until("the permit is back", () -> renders.inUse() == 0);
    }

    @Test
    void aReaderThatStopsReadingIsCutOffAndGivesItsPermitBack() {
        try (ServerFixture quick = new ServerFixture(b -> b, s -> s.maxConcurrentListings(1)
                .idleTimeout(java.time.Duration.ofMillis(300)))) {
            TaskModule big = quick.tm.module("big");
            for (int i = 0; i < 20_000; i++) {
                big.task("copy").scope("file").entity("entity-" + i).track().start();
            }
            RenderPermits renders = quick.server.api().renders();
            Socket stalled = slowReader(quick.server.port(), "/task_manager/list_module_tasks/big");
            try {
                Await.until("the listing holds the permit", () -> renders.inUse() == 1);
                Await.until("the stalled listing gives its permit back", () -> renders.inUse() == 0);
            } finally {
                closeQuietly(stalled);
            }
            try (KeepAlive next = new KeepAlive(quick.server.port())) {
                assertThat(next.get("/task_manager/list_module_tasks/big").status()).isEqualTo(200);
            }
        }
    }

    /** Sends a request on a socket with a small receive buffer and never reads the answer. */
    private Socket slowReader(String target) {
        return slowReader(f.server.port(), target);
    }

    private static Socket slowReader(int port, String target) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return socket;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return ApiClient.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (java.io.IOException e) {
            // a test socket
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
