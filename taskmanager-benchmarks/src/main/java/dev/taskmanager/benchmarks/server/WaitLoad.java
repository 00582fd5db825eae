package dev.taskmanager.benchmarks.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.server.TaskManagerServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Holds many concurrent {@code wait_task} requests on one task and reports what they cost the
 * server: JVM threads and heap while they are pending, the latency of a {@code task_status} request
 * meanwhile, and whether every waiter receives the final status once the task finishes. Targets
 * (issue #3): fewer than 200 extra threads for 5,000 waits, status well under a second.
 *
 * <p>The server runs in this JVM so that its threads and heap can be read directly; the waiters are
 * raw non-blocking sockets driven by this one thread, so they add no threads of their own.
 *
 * <p>Run: {@code java -Xmx1g -cp taskmanager-benchmarks/target/benchmarks.jar
 * dev.taskmanager.benchmarks.server.WaitLoad 5000} (needs about 2 file descriptors per waiter;
 * {@code ulimit -n} must allow it). Exits non-zero if a waiter got a wrong answer.
 */
public final class WaitLoad {
    private WaitLoad() {
    }

    /** Runs the measurement with the number of waiters given as the first argument (default 5000). */
    public static void main(String[] args) throws Exception {
        int waiters = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        TaskManager tm = TaskManager.builder().build();
        TrackedTask task = tm.module("bench").task("bench").scope("node").track();
        task.start();
        try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0)
                .maxConnectionsPerAddress(waiters + 100).maxConnections(waiters + 100).ownsTaskManager(true).build().start()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            for (int i = 0; i < 200; i++) {
                BenchServer.fetch(server.uri().resolve("/task_manager/task_status/" + task.id())); // warm up
            }
            long baseThreads = threads.getThreadCount();
            long baseHeap = usedHeapAfterGc(memory);

            byte[] request = ("GET /task_manager/wait_task/" + task.id() + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            List<SocketChannel> channels = new ArrayList<>(waiters);
            long openStart = System.nanoTime();
            for (int i = 0; i < waiters; i++) {
                SocketChannel channel = SocketChannel.open(address);
                channel.write(ByteBuffer.wrap(request));
                channel.configureBlocking(false);
                channels.add(channel);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (server.pendingWaits() < waiters) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + server.pendingWaits() + " waits pending after 60 s");
                }
                Thread.sleep(10);
            }
            long openMillis = (System.nanoTime() - openStart) / 1_000_000;
            long pendingThreads = threads.getThreadCount();
            String breakdown = poolBreakdown(threads);
            long pendingHeap = usedHeapAfterGc(memory);

            long statusStart = System.nanoTime();
            byte[] status = BenchServer.fetch(server.uri().resolve("/task_manager/task_status/" + task.id()));
            double statusMillis = (System.nanoTime() - statusStart) / 1e6;

            long finishStart = System.nanoTime();
            task.complete();
            int ok = readAnswers(channels);
            long finishMillis = (System.nanoTime() - finishStart) / 1_000_000;

            System.out.printf("waiters                     %d (all pending after %d ms)%n", waiters, openMillis);
            System.out.printf("JVM threads                 %d before, %d while pending: %+d%n", baseThreads,
                    pendingThreads, pendingThreads - baseThreads);
            System.out.printf("  of which HTTP pool         %s%n", breakdown);
            System.out.printf("heap used after GC          %.1f MiB before, %.1f MiB while pending: %+.1f MiB (%.0f bytes per wait)%n",
                    mib(baseHeap), mib(pendingHeap), mib(pendingHeap - baseHeap),
                    (double) (pendingHeap - baseHeap) / waiters);
            System.out.printf("task_status while pending   %.1f ms (%d bytes)%n", statusMillis, status.length);
            System.out.printf("final status received by    %d of %d waiters, %d ms after the task finished%n",
                    ok, waiters, finishMillis);
            for (SocketChannel channel : channels) {
                channel.close();
            }
            if (ok != waiters) {
                System.exit(1);
            }
        }
    }

    /** Reads one HTTP answer per channel; counts the 200s whose body shows the task done. */
    private static int readAnswers(List<SocketChannel> channels) throws IOException {
        Selector selector = Selector.open();
        for (SocketChannel channel : channels) {
            channel.register(selector, SelectionKey.OP_READ, new ByteArrayOutputStream());
        }
        int remaining = channels.size();
        int ok = 0;
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (remaining > 0 && System.nanoTime() < deadline) {
            selector.select(1000);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                ByteArrayOutputStream received = (ByteArrayOutputStream) key.attachment();
                buffer.clear();
                int n = ((SocketChannel) key.channel()).read(buffer);
                if (n > 0) {
                    received.write(buffer.array(), 0, n);
                }
                String text = received.toString(StandardCharsets.ISO_8859_1);
                if (n < 0 || isComplete(text)) {
                    key.cancel();
                    remaining--;
                    if (text.startsWith("HTTP/1.1 200") && text.contains("\"state\":\"done\"")) {
                        ok++;
                    }
                }
            }
        }
        selector.close();
        return ok;
    }

    private static boolean isComplete(String text) {
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            return false;
        }
        String head = text.substring(0, headerEnd).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int eol = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
        return text.length() - headerEnd - 4 >= length;
    }

    /** How many of the HTTP pool's threads exist and how many of them are parked idle. */
    private static String poolBreakdown(ThreadMXBean threads) {
        int pool = 0;
        int parked = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("taskmanager-http")) {
                pool++;
                if (info.getThreadState() == Thread.State.TIMED_WAITING || info.getThreadState() == Thread.State.WAITING) {
                    parked++;
                }
            }
        }
        return pool + " threads, " + parked + " of them parked idle (the pool grew to parse the burst of "
                + "new connections; idle pool threads exit after 60 s)";
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
