package dev.taskmanager.benchmarks.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.server.TaskManagerServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v2/tasks?page_size=100} with a million tasks registered (issue 9): requests per
 * second, latency percentiles, and what serving it costs the server's heap. Two workloads, one after
 * the other, each for the given time on the given number of keep-alive connections:
 * <ol>
 *   <li><b>first page</b>: the same request again and again; it counts the matching tasks for
 *       {@code total_size}, a pass over every task;</li>
 *   <li><b>walk</b>: each connection pages through the whole listing with {@code next_page_token}
 *       and starts over; later pages carry the first page's total and cost a seek plus one page.</li>
 * </ol>
 * For each it prints req/s, p50/p99/max latency and the bytes allocated per request by the server's
 * threads; then runs each again for 5 seconds reading the live heap after a full GC every half second,
 * and prints its peak above the idle baseline: what in-flight requests hold. Pages are built from the core's cursor, so the extra
 * heap stays at a few pages however many tasks there are. Clients are raw sockets in this JVM, one
 * thread each; the server is the real one, in-process, so its heap can be read directly.
 *
 * <p>Run (smoke: {@code 100000 5 2}):
 * <pre>
 * ./mvnw -q -pl taskmanager-benchmarks -am package -DskipTests
 * java -Xmx3g -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.server.ListLoad 1000000 20 4
 * </pre>
 * Arguments: tasks (default 1,000,000), seconds per workload (default 20), connections (default 4;
 * at most the server's 8 large-answer permits, or the excess is answered 503).
 */
public final class ListLoad {
    private static final Pattern NEXT_TOKEN = Pattern.compile("\"next_page_token\":\"([^\"]*)\"");
    private static final String FIRST_PAGE = "/v2/tasks?page_size=100";

    private ListLoad() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Probe.quietShutdownReport();
        TaskManager tm = TaskManager.builder().stopTimeout(Duration.ZERO).userTaskTtl(Duration.ofHours(1)).build();
        try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0).ownsTaskManager(true).build().start()) {
            TaskModule module = tm.module("bench");
            long created = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                TrackedTask task = module.task("copy").scope("file").entity("/data/file-" + i).userTask().track();
                task.start();
                if (i % 4 == 0) {
                    task.complete(); // a quarter finished, kept for their TTL
                }
            }
            System.out.printf("registered %,d tasks in %.1f s%n", tasks, (System.nanoTime() - created) / 1e9);
            String first;
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                first = exchange(socket, FIRST_PAGE);
            }
            if (first == null || !first.contains("\"total_size\":" + tasks)) {
                throw new IllegalStateException("unexpected first page: " + first.substring(0, Math.min(300, first.length())));
            }
            run(server, "warm-up", false, 5, connections, false, false);
            System.out.printf("live heap with %,d tasks, idle: %s%n", tasks, Probe.mib(liveHeapAfterGc()));
            run(server, "first page (counts total_size)", false, seconds, connections, true, false);
            run(server, "walk with next_page_token", true, seconds, connections, true, false);
            run(server, "first page, heap sampled", false, 5, connections, true, true);
            run(server, "walk, heap sampled", true, 5, connections, true, true);
            System.out.printf("live heap idle again: %s%n", Probe.mib(liveHeapAfterGc()));
        }
    }

    /**
     * Runs one workload. With {@code sampleHeap}, the live heap is read after a full GC every half
     * second while it runs (the GC pauses then make its latencies meaningless: those runs report the
     * heap only); without, nothing disturbs the latencies.
     */
    private static void run(TaskManagerServer server, String name, boolean walk, int seconds, int connections,
                            boolean report, boolean sampleHeap) throws Exception {
        long idle = sampleHeap ? liveHeapAfterGc() : 0;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[connections];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(connections);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int index = c;
            long[] times = new long[seconds * 20_000]; // far more than a connection does in that time
            latencies.add(times);
            Thread client = new Thread(() -> {
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    socket.setTcpNoDelay(true);
                    int n = 0;
                    String target = FIRST_PAGE;
                    while (System.nanoTime() < deadline && n < times.length) {
                        long start = System.nanoTime();
                        String body = exchange(socket, target);
                        times[n++] = System.nanoTime() - start;
                        if (body == null) {
                            errors.incrementAndGet();
                            target = FIRST_PAGE;
                            continue;
                        }
                        if (walk) {
                            Matcher m = NEXT_TOKEN.matcher(body);
                            target = m.find() && !m.group(1).isEmpty()
                                    ? FIRST_PAGE + "&page_token=" + m.group(1) : FIRST_PAGE;
                        }
                    }
                    counts[index] = n;
                } catch (IOException e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }, "list-client-" + c);
            clients.add(client);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = serverAllocated(threads, clients);
        long started = System.nanoTime();
        clients.forEach(Thread::start);
        long peak = 0;
        while (!done.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (sampleHeap) {
                peak = Math.max(peak, liveHeapAfterGc() - idle);
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long allocated = serverAllocated(threads, clients) - allocatedBefore;
        if (!report) {
            return;
        }
        long total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        if (sampleHeap) {
            System.out.printf("%-32s live heap above idle while serving: peak %s (%,d requests, %d errors)%n",
                    name, Probe.mib(peak), total, errors.get());
            return;
        }
        System.out.printf("%-32s %,9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  %,8.0f bytes allocated/req"
                        + "  (%,d requests, %d errors, %d connections)%n",
                name, total / elapsed, percentile(all, 0.50), percentile(all, 0.99), all[all.length - 1] / 1e6,
                allocated / (double) total, total, errors.get(), clients.size());
    }

    /**
     * The heap right after a full collection, read from the collectors' own figures (what the pools
     * held when the collection ended), so that what the server allocates after it does not count.
     */
    private static long liveHeapAfterGc() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    /** Bytes allocated so far by every thread of this JVM but the clients (and this one). */
    private static long serverAllocated(com.sun.management.ThreadMXBean threads, List<Thread> clients) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        long sum = 0;
        for (int i = 0; i < ids.length; i++) {
            boolean client = ids[i] == Thread.currentThread().getId();
            for (Thread c : clients) {
                client |= c.getId() == ids[i];
            }
            if (!client && bytes[i] > 0) {
                sum += bytes[i];
            }
        }
        return sum;
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    /** One keep-alive GET; the body, or {@code null} for a status other than 200. */
    private static String exchange(Socket socket, String target) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase();
        byte[] body;
        int length = lower.indexOf("content-length:");
        if (length >= 0) {
            int end = lower.indexOf("\r\n", length);
            body = in.readNBytes(Integer.parseInt(lower.substring(length + 15, end < 0 ? lower.length() : end).trim()));
        } else {
            body = readChunked(in);
        }
        return status == 200 ? new String(body, StandardCharsets.UTF_8) : null;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && (matched % 2 == 0) == (b == '\r') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed in a chunk header");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            int size = Integer.parseInt(line.toString().trim(), 16);
            if (size == 0) {
                in.readNBytes(2);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }
}
