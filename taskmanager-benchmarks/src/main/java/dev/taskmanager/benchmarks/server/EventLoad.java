package dev.taskmanager.benchmarks.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.server.TaskManagerServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code GET /v2/events} under load (issue 10): N concurrent clients while a steady flow of task
 * changes produces E events a second. The server runs in this JVM, so that its threads and heap can
 * be read directly; the clients are raw non-blocking sockets spread over T selector threads of their
 * own (counted apart), which read every byte (each frame is scanned; the first client of a thread to
 * read an event parses its {@code updated_time}). One thread is not enough: on a busy machine the
 * scheduler gives it one thread's share, it reads slowly, and the latency measured is the reader's.
 *
 * <p>The flow: each task is created, started, reports progress once and completes (TTL 0, so it is
 * unregistered at once): 5 events, E/5 tasks a second. The work: one thread reporting progress in a
 * tight loop on four running tasks (the hot path of a million-file job; its progress events are
 * coalesced, a handful a second). Phases, each S seconds: (1) the flow and the work, no clients;
 * (2) N clients connect (all at once, or R a second); (3) the flow alone, for latency; (4) the flow
 * and the work, N clients. It prints
 * <ol>
 *   <li><b>threads</b>: idle, right after the N connected, and at most while they stream, with the
 *       event stream's own threads, Jetty's (and how many of those are parked idle: Jetty's pool grows
 *       to parse a burst of connections and sheds one idle thread a minute) and the rest (target:
 *       fewer than 100 extra);</li>
 *   <li><b>heap per client</b>: the live heap after GC with the N streams open and idle, minus before,
 *       over N (both ends of each connection: the client sockets are in this JVM);</li>
 *   <li><b>latency</b>: for each event, from the task's change (its {@code updated_time}: creation,
 *       start, last progress or end) to the moment the last of the N clients has read it, p50, p99
 *       and max, overall and p99 by type (target: p99 under 1 s); and whether every client got every
 *       event (no {@code reset}, no gap, no stream ended);</li>
 *   <li><b>CPU</b> by group of threads while streaming, in percent of one core;</li>
 *   <li><b>task throughput</b>: the work's progress reports per second with N clients against none
 *       (target: within 10%), and per second of the work thread's own CPU time, which tells what the
 *       tasks' thread pays per report whatever else runs on the machine; and the time the flow's task
 *       operations took on their thread, p50 and p99.</li>
 * </ol>
 *
 * <p>Run (smoke: {@code 100 200 5}):
 * <pre>
 * ./mvnw -q -pl taskmanager-benchmarks -am package -DskipTests
 * java -Xmx1g -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.server.EventLoad 1000 1000 30
 * </pre>
 * Arguments: clients N (default 1,000; two descriptors each, see {@code ulimit -n}), events per second
 * E (default 1,000), seconds per phase S (default 30), connections per second R (default 0: all at
 * once), client threads T (default 2). Exits 1 if a client missed an event, got a {@code reset} or was
 * disconnected.
 */
public final class EventLoad {
    private static final int EVENTS_PER_TASK = 5;

    private EventLoad() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int eventsPerSecond = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int connectRate = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int clientThreads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        Probe.quietShutdownReport();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        TaskManager tm = TaskManager.builder().stopTimeout(Duration.ZERO).build();
        try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0).ownsTaskManager(true)
                .maxConnections(clients + 100).maxConnectionsPerAddress(clients + 100).build().start()) {
            Flow flow = new Flow(tm.module("flow"), eventsPerSecond / EVENTS_PER_TASK);
            Work work = new Work(tm.module("work"));
            System.out.printf("EventLoad: %,d clients, %,d events/s (%,d tasks/s of 5 events), %d s per phase%n",
                    clients, eventsPerSecond, eventsPerSecond / EVENTS_PER_TASK, seconds);

            phase("warm-up, no clients", flow, work, Math.max(2, seconds / 3), null);
            Phase none = phase("no clients", flow, work, seconds, null);

            Clients readers = new Clients(server.port(), clients, clientThreads); // before the baseline
            long idleThreads = threads.getThreadCount();
            long idleHeap = Probe.usedHeapAfterGc();
            long connectStart = System.nanoTime();
            readers.connect(connectRate);
            while (server.eventStreamClients() < clients) {
                Thread.sleep(10);
                if (System.nanoTime() - connectStart > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("only " + server.eventStreamClients() + " streams open after 60 s");
                }
            }
            long connectMillis = (System.nanoTime() - connectStart) / 1_000_000;
            long connectedThreads = threads.getThreadCount();
            String afterBurst = breakdown(threads);
            long withClientsHeap = Probe.usedHeapAfterGc();
            System.out.printf("%,d streams open after %,d ms; live heap %s idle -> %s with them: %,.0f bytes per client"
                    + " (server and client sides of the connection)%n", clients, connectMillis, Probe.mib(idleHeap),
                    Probe.mib(withClientsHeap), (double) (withClientsHeap - idleHeap) / clients);
            System.out.printf("JVM threads: %d idle, %d right after the %,d connected (%s)%n", idleThreads,
                    connectedThreads, clients, afterBurst);

            long latencyFrom = readers.mark();
            Phase latencyPhase = phase(clients + " clients, the flow alone", flow, work, seconds, readers, false);
            Latency latency = readers.latency(clients, latencyFrom, readers.mark());
            System.out.printf("JVM threads: %d at most while %,d clients streamed: %+d over idle (%s)%n",
                    latencyPhase.peakThreads, clients, latencyPhase.peakThreads - idleThreads, breakdown(threads));
            System.out.printf("CPU while streaming, %% of one core: %s%n", latencyPhase.cpu);
            System.out.printf("latency change -> last client: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d events"
                    + " (%,d received by every client, %,d by fewer; %,d resets, %,d streams ended)%n",
                    latency.p50Millis, latency.p99Millis, latency.maxMillis, latency.events, latency.complete,
                    latency.incomplete, readers.resets(), readers.ended());
            System.out.printf("  p99 by type, ms: %s%n", latency.p99ByType);

            long busyFrom = readers.mark();
            Phase with = phase(clients + " clients", flow, work, seconds, readers);
            Latency busy = readers.latency(clients, busyFrom, readers.mark());
            System.out.printf("CPU while streaming beside the work thread, %% of one core: %s%n", with.cpu);
            System.out.printf("latency beside the work thread: p50 %.1f ms, p99 %.1f ms (%,d events, %,d by fewer than all)%n",
                    busy.p50Millis, busy.p99Millis, busy.events, busy.incomplete);
            System.out.printf("task throughput (progress reports/s, 1 thread): %,.0f with no clients, %,.0f with %,d: %.1f%%%n",
                    none.reportsPerSecond, with.reportsPerSecond, clients, 100.0 * with.reportsPerSecond / none.reportsPerSecond);
            System.out.printf("  per second of that thread's CPU: %,.0f with no clients, %,.0f with %,d: %.1f%%%n",
                    none.reportsPerCpuSecond, with.reportsPerCpuSecond, clients,
                    100.0 * with.reportsPerCpuSecond / none.reportsPerCpuSecond);
            System.out.printf("flow task operations (create, start, progress, complete): p50 %.1f / %.1f us, "
                    + "p99 %.1f / %.1f us (no clients / %,d clients)%n", none.flowP50Micros, with.flowP50Micros,
                    none.flowP99Micros, with.flowP99Micros, clients);
            System.out.printf("server: %,d clients dropped%n", server.droppedEventStreamClients());
            readers.close();
            boolean ok = latency.incomplete == 0 && busy.incomplete == 0 && readers.resets() == 0 && readers.ended() == 0
                    && server.droppedEventStreamClients() == 0;
            if (!ok) {
                System.exit(1);
            }
        }
    }

    /** What one phase measured; {@code cpu} is each thread group's share of one core. */
    private record Phase(double reportsPerSecond, double reportsPerCpuSecond, double flowP50Micros,
                         double flowP99Micros, long peakThreads, String cpu) {
    }

    /** Runs the flow and the work for {@code seconds}; the clients (if any) read on their own threads. */
    private static Phase phase(String name, Flow flow, Work work, int seconds, Clients readers) throws Exception {
        return phase(name, flow, work, seconds, readers, true);
    }

    /** As above; without {@code withWork} only the flow runs (the latency phase). */
    private static Phase phase(String name, Flow flow, Work work, int seconds, Clients readers, boolean withWork)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicBoolean stop = new AtomicBoolean();
        Thread flowThread = new Thread(() -> flow.run(stop), "event-load-flow");
        Thread workThread = new Thread(() -> {
            if (withWork) {
                work.run(stop);
            }
        }, "event-load-work");
        flow.reset();
        work.reset();
        Map<String, Long> cpuBefore = cpuByGroup(threads);
        long started = System.nanoTime();
        flowThread.start();
        workThread.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long peak = threads.getThreadCount();
        while (System.nanoTime() < end) {
            Thread.sleep(50);
            peak = Math.max(peak, threads.getThreadCount());
        }
        Map<String, Long> cpuAfter = cpuByGroup(threads);
        long elapsed = System.nanoTime() - started;
        stop.set(true);
        flowThread.join();
        workThread.join();
        StringBuilder cpu = new StringBuilder();
        cpuAfter.forEach((group, nanos) -> cpu.append(cpu.length() == 0 ? "" : ", ").append(group).append(' ')
                .append(String.format("%.0f", 100.0 * (nanos - cpuBefore.getOrDefault(group, 0L)) / elapsed)));
        if (readers != null) {
            Thread.sleep(5000); // what is still on its way arrives
        }
        double reports = work.reports.get() / (double) seconds;
        long[] times = flow.operationNanos();
        long workCpu = cpuAfter.getOrDefault("work", 0L) - cpuBefore.getOrDefault("work", 0L);
        double perCpuSecond = workCpu <= 0 ? 0 : work.reports.get() / (workCpu / 1e9);
        Phase phase = new Phase(reports, perCpuSecond, percentile(times, 0.50) / 1e3, percentile(times, 0.99) / 1e3,
                peak, cpu.toString());
        System.out.printf("  %-34s progress reports/s %,.0f; flow %,d tasks, operations p50 %.1f us, p99 %.1f us%n",
                name, phase.reportsPerSecond, times.length, phase.flowP50Micros, phase.flowP99Micros);
        return phase;
    }

    /** Task lifecycles at a steady rate: created, started, one progress report, completed (5 events). */
    private static final class Flow {
        private final TaskModule module;
        private final int tasksPerSecond;
        private long[] operationNanos = new long[1024];
        private int count;

        Flow(TaskModule module, int tasksPerSecond) {
            this.module = module;
            this.tasksPerSecond = Math.max(1, tasksPerSecond);
        }

        void reset() {
            count = 0;
        }

        void run(AtomicBoolean stop) {
            long interval = 1_000_000_000L / tasksPerSecond;
            long next = System.nanoTime();
            while (!stop.get()) {
                long start = System.nanoTime();
                TrackedTask task = module.task("copy").scope("file").entity("/data/file").track();
                task.start();
                task.progress().set(1, 1);
                task.complete();
                record(System.nanoTime() - start);
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }

        private void record(long nanos) {
            if (count == operationNanos.length) {
                operationNanos = Arrays.copyOf(operationNanos, count * 2);
            }
            operationNanos[count++] = nanos;
        }

        long[] operationNanos() {
            return Arrays.copyOf(operationNanos, count);
        }
    }

    /** Progress reports in a tight loop on four running tasks, replaced every million reports. */
    private static final class Work {
        private final TaskModule module;
        final AtomicLong reports = new AtomicLong();

        Work(TaskModule module) {
            this.module = module;
        }

        void reset() {
            reports.set(0);
        }

        void run(AtomicBoolean stop) {
            TrackedTask[] tasks = new TrackedTask[4];
            long done = 0;
            while (!stop.get()) {
                for (int i = 0; i < tasks.length; i++) {
                    if (tasks[i] != null) {
                        tasks[i].complete();
                    }
                    tasks[i] = module.task("hash").scope("file").track();
                    tasks[i].start();
                }
                for (int n = 0; n < 1_000_000 && !stop.get(); n++) {
                    tasks[n & 3].progress().add(1);
                    if ((n & 1023) == 1023) {
                        reports.addAndGet(1024);
                    }
                }
            }
            for (TrackedTask task : tasks) {
                if (task != null) {
                    task.complete();
                }
            }
        }
    }

    /**
     * The streams: raw non-blocking sockets spread over a few selector threads (so that reading, not
     * the server, is not what a loaded machine starves), every byte read and scanned. Each thread keeps
     * its own per-event counts, merged when the latency is asked for.
     */
    private static final class Clients {
        private final int port;
        private final int count;
        private final List<Group> groups = new ArrayList<>();
        private final AtomicLong base = new AtomicLong(-1);

        Clients(int port, int count, int threads) throws IOException {
            this.port = port;
            this.count = count;
            for (int i = 0; i < threads; i++) {
                groups.add(new Group(i));
            }
        }

        /** Opens every stream, {@code perSecond} a second at most (0: all at once), and starts reading. */
        void connect(int perSecond) throws IOException, InterruptedException {
            groups.forEach(Group::start);
            byte[] request = "GET /v2/events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (perSecond > 0) {
                    long wait = start + i * 1_000_000_000L / perSecond - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.write(ByteBuffer.wrap(request));
                channel.configureBlocking(false);
                groups.get(i % groups.size()).add(channel);
            }
        }

        long resets() {
            return groups.stream().mapToLong(g -> g.resets).sum();
        }

        long ended() {
            return groups.stream().mapToLong(g -> g.ended).sum();
        }

        /** The index after the highest event read so far: where the next phase's events start. */
        long mark() {
            return groups.stream().mapToLong(g -> g.highest).max().orElse(-1) + 1;
        }

        Latency latency(int clients, long from, long to) {
            List<Long> delays = new ArrayList<>();
            List<List<Long>> byType = new ArrayList<>();
            TYPES.forEach(t -> byType.add(new ArrayList<>()));
            long incomplete = 0;
            for (long i = Math.max(0, from); i < to; i++) {
                int readers = 0;
                long lastRead = 0;
                long changed = 0;
                int type = 0;
                for (Group group : groups) {
                    synchronized (group) {
                        if (i < group.readers.length) {
                            readers += group.readers[(int) i];
                            lastRead = Math.max(lastRead, group.lastReadNanos[(int) i]);
                            changed = changed != 0 ? changed : group.changeNanos[(int) i];
                            type = type != 0 ? type : group.types[(int) i];
                        }
                    }
                }
                if (readers == 0) {
                    continue; // an id no client was sent
                }
                if (readers < clients) {
                    incomplete++;
                } else if (changed != 0) {
                    delays.add(lastRead - changed);
                    if (type > 0) {
                        byType.get(type - 1).add(lastRead - changed);
                    }
                }
            }
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            StringBuilder perType = new StringBuilder();
            for (int t = 0; t < TYPES.size(); t++) {
                long[] ofType = byType.get(t).stream().mapToLong(Long::longValue).toArray();
                if (ofType.length > 0) {
                    perType.append(perType.length() == 0 ? "" : ", ").append(TYPES.get(t)).append(' ')
                            .append(String.format("%.1f", percentile(ofType, 0.99) / 1e6));
                }
            }
            return new Latency(sorted.length + incomplete, sorted.length, incomplete, percentile(sorted, 0.5) / 1e6,
                    percentile(sorted, 0.99) / 1e6, sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                    perType.toString());
        }

        void close() throws IOException, InterruptedException {
            for (Group group : groups) {
                group.stop();
            }
        }

        /** One selector thread and its sockets, with its own counts per event (index: id - base). */
        private final class Group implements Runnable {
            private final Selector selector;
            private final Thread thread;
            private final java.util.Queue<SocketChannel> added = new java.util.concurrent.ConcurrentLinkedQueue<>();
            private final List<SocketChannel> channels = new ArrayList<>();
            private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            private final byte[] bytes = new byte[256 * 1024];
            private volatile boolean stopped;
            long[] changeNanos = new long[1 << 16];
            long[] lastReadNanos = new long[1 << 16];
            int[] readers = new int[1 << 16];
            /** The event's type as its index in {@link #TYPES} plus one; 0 while unknown. */
            byte[] types = new byte[1 << 16];
            volatile long highest = -1;
            volatile long resets;
            volatile long ended;

            Group(int number) throws IOException {
                this.selector = Selector.open();
                this.thread = new Thread(this, "event-load-clients-" + number);
            }

            void start() {
                thread.start();
            }

            void add(SocketChannel channel) {
                added.add(channel);
                selector.wakeup();
            }

            void stop() throws IOException, InterruptedException {
                stopped = true;
                selector.wakeup();
                thread.join();
                for (SocketChannel channel : channels) {
                    channel.close();
                }
                selector.close();
            }

            @Override
            public void run() {
                try {
                    while (!stopped) {
                        SocketChannel channel;
                        while ((channel = added.poll()) != null) {
                            channel.register(selector, SelectionKey.OP_READ, new Parser(this));
                            channels.add(channel);
                        }
                        pollOnce(50);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            private void pollOnce(long millis) throws IOException {
                selector.select(millis);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    SocketChannel channel = (SocketChannel) key.channel();
                    Parser parser = (Parser) key.attachment();
                    while (true) {
                        buffer.clear();
                        int n = channel.read(buffer);
                        if (n < 0) {
                            ended++;
                            key.cancel();
                            channel.close();
                            break;
                        }
                        if (n == 0) {
                            break;
                        }
                        buffer.flip();
                        buffer.get(bytes, 0, n);
                        parser.feed(bytes, n, epochNanos());
                    }
                }
            }

            synchronized int index(long id) {
                base.compareAndSet(-1, id);
                long index = id - base.get();
                if (index < 0) {
                    throw new IllegalStateException("event " + id + " before the first one read, " + base.get());
                }
                while (index >= readers.length) {
                    int size = readers.length * 2;
                    changeNanos = Arrays.copyOf(changeNanos, size);
                    lastReadNanos = Arrays.copyOf(lastReadNanos, size);
                    readers = Arrays.copyOf(readers, size);
                    types = Arrays.copyOf(types, size);
                }
                highest = Math.max(highest, index);
                return (int) index;
            }

            synchronized boolean notTimedYet(long id) {
                return changeNanos[index(id)] == 0;
            }

            synchronized void read(long id, long now) {
                int i = index(id);
                readers[i]++;
                lastReadNanos[i] = Math.max(lastReadNanos[i], now);
            }

            synchronized void typed(long id, int type) {
                types[index(id)] = (byte) (type + 1);
            }

            synchronized void changed(long id, long nanos) {
                changeNanos[index(id)] = nanos;
            }
        }

        private static long epochNanos() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        /** One client's position in its byte stream: after the head, line by line. */
        private static final class Parser {
            private final Group group;
            private boolean inBody;
            private int headMatched;
            private final StringBuilder line = new StringBuilder();
            private boolean capture = true;
            private boolean lineStart = true;
            private long id = -1;

            Parser(Group group) {
                this.group = group;
            }

            void feed(byte[] data, int length, long now) {
                int i = 0;
                if (!inBody) {
                    while (i < length && headMatched < 4) {
                        byte b = data[i++];
                        headMatched = (b == '\r' && (headMatched == 0 || headMatched == 2))
                                || (b == '\n' && (headMatched == 1 || headMatched == 3)) ? headMatched + 1 : (b == '\r' ? 1 : 0);
                    }
                    if (headMatched < 4) {
                        return;
                    }
                    inBody = true;
                }
                while (i < length) {
                    if (lineStart) {
                        byte b = data[i];
                        lineStart = false;
                        // capture id and event lines, and the data line of an event not timed yet
                        capture = b == 'i' || b == 'e' || (b == 'd' && id >= 0 && group.notTimedYet(id));
                    }
                    if (!capture) {
                        while (i < length && data[i] != '\n') {
                            i++;
                        }
                        if (i < length) {
                            i++;
                            lineStart = true;
                        }
                        continue;
                    }
                    byte b = data[i++];
                    if (b == '\n') {
                        if (line.length() > 0) {
                            endOfLine(now);
                        }
                        line.setLength(0);
                        lineStart = true;
                    } else {
                        line.append((char) b);
                    }
                }
            }

            private void endOfLine(long now) {
                if (line.charAt(0) == 'i' && line.indexOf("id: ") == 0) {
                    id = Long.parseLong(line.substring(4));
                    group.read(id, now);
                } else if (line.indexOf("event: ") == 0) {
                    String type = line.substring(7);
                    if (type.equals("reset")) {
                        group.resets++;
                    }
                    if (id >= 0) {
                        group.typed(id, TYPES.indexOf(type));
                    }
                } else if (line.charAt(0) == 'd') {
                    int at = line.indexOf("\"updated_time\":\"");
                    if (at >= 0) {
                        Instant changed = Instant.parse(line.substring(at + 16, line.indexOf("\"", at + 16)));
                        group.changed(id, changed.getEpochSecond() * 1_000_000_000L + changed.getNano());
                    }
                }
            }
        }
    }

    private record Latency(long events, long complete, long incomplete, double p50Millis, double p99Millis,
                           double maxMillis, String p99ByType) {
    }

    private static final List<String> TYPES = List.of("created", "started", "progress", "finished", "abort_requested",
            "stalled", "recovered", "unregistered", "reset");

    private static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    /** CPU time used so far by each group of threads (dead threads' time is lost: none die meanwhile). */
    private static Map<String, Long> cpuByGroup(ThreadMXBean threads) {
        Map<String, Long> cpu = new TreeMap<>();
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long nanos = threads.getThreadCpuTime(id);
            if (info == null || nanos < 0) {
                continue;
            }
            String name = info.getThreadName();
            String group = name.startsWith("taskmanager-events") ? "event-stream"
                    : name.startsWith("taskmanager-http") ? "jetty"
                    : name.startsWith("event-load-clients") ? "clients"
                    : name.equals("event-load-work") ? "work"
                    : name.equals("event-load-flow") ? "flow"
                    : "jvm";
            cpu.merge(group, nanos, Long::sum);
        }
        return cpu;
    }

    /** The threads by name prefix: the event stream's own, the HTTP pool, and the rest. */
    private static String breakdown(ThreadMXBean threads) {
        int events = 0;
        int http = 0;
        int parked = 0;
        int bench = 0;
        int other = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            if (name.startsWith("taskmanager-events")) {
                events++;
            } else if (name.startsWith("event-load")) {
                bench++;
            } else if (name.startsWith("taskmanager-http")) {
                http++;
                if (info.getThreadState() == Thread.State.TIMED_WAITING || info.getThreadState() == Thread.State.WAITING) {
                    parked++;
                }
            } else {
                other++;
            }
        }
        return events + " event-stream threads, " + http + " Jetty threads (" + parked + " parked idle), "
                + bench + " of this benchmark (clients, flow, work), " + other + " others";
    }
}
