package dev.taskmanager.benchmarks.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.server.TaskManagerServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory figures the operations guide sizes the heap with: live heap per running task, per
 * finished task kept for its TTL, per idle keep-alive connection and per pending {@code wait_task}
 * (each on its own connection). Each is the live heap after GC with N of them minus the heap before,
 * divided by N; the server runs in this JVM. Run:
 * <pre>
 * java -Xmx1g -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.server.MemoryFootprint 100000 2000
 * </pre>
 * Arguments: tasks (default 100,000), connections (default 2,000; needs as many descriptors twice).
 */
public final class MemoryFootprint {
    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Probe.quietShutdownReport();
        TaskManager tm = TaskManager.builder().stopTimeout(java.time.Duration.ZERO).userTaskTtl(java.time.Duration.ofHours(1)).build();
        try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0).ownsTaskManager(true)
                .maxConnectionsPerAddress(connections * 2 + 10).build().start()) {
            long base = Probe.usedHeapAfterGc();
            TaskModule module = tm.module("bench");
            List<TrackedTask> running = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                TrackedTask task = module.task("copy").scope("file").keyspace("ks").table("t").entity("entity-" + i)
                        .userTask().track();
                task.start();
                running.add(task);
            }
            long withRunning = Probe.usedHeapAfterGc();
            report("running task", withRunning - base, tasks);
            for (TrackedTask task : running) {
                task.complete();
            }
            running.clear();
            long withFinished = Probe.usedHeapAfterGc();
            report("finished task kept for its TTL", withFinished - base, tasks);

            TrackedTask waited = module.task("waited").scope("node").track();
            waited.start();
            long before = Probe.usedHeapAfterGc();
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                socket.getOutputStream().write("GET /task_manager/ttl HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                in.readNBytes(1); // answered; the connection stays open, idle
                idle.add(socket);
            }
            long withIdle = Probe.usedHeapAfterGc();
            report("idle keep-alive connection (server side, plus this JVM's client socket)", withIdle - before, connections);
            // Two descriptors per connection in one process: free the idle ones before the waits.
            for (Socket socket : idle) {
                socket.close();
            }
            while (server.openConnections() > 0) {
                Thread.sleep(10);
            }
            long withoutIdle = Probe.usedHeapAfterGc();
            List<Socket> waits = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                socket.getOutputStream().write(("GET /task_manager/wait_task/" + waited.id() + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                waits.add(socket);
            }
            while (server.pendingWaits() < connections) {
                Thread.sleep(10);
            }
            long withWaits = Probe.usedHeapAfterGc();
            report("pending wait_task (its connection included)", withWaits - withoutIdle, connections);
            waited.complete();
            for (Socket socket : waits) {
                socket.close();
            }
        }
    }

    private static void report(String what, long bytes, int count) {
        System.out.printf("%-75s %7.0f bytes each (%s for %,d)%n", what, bytes / (double) count, Probe.mib(bytes), count);
    }
}
