package dev.taskmanager.benchmarks.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.server.TaskManagerServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Issue 11's second figure: the live heap after many timed-out {@code wait_task} polls of one task
 * that keeps running. Before the fix each poll left ~810 bytes attached to the task (293,000 polls
 * grew the heap from 8 MB to 237 MB); now nothing per poll stays.
 *
 * <p>Polls are {@code wait_task?timeout=0}, pipelined in batches of 200 on one keep-alive connection,
 * so that 300,000 of them take seconds; each is answered 408. Run:
 * <pre>
 * java -Xmx512m -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.server.WaitLeak 300000
 * </pre>
 */
public final class WaitLeak {
    private static final int BATCH = 200;

    private WaitLeak() {
    }

    public static void main(String[] args) throws Exception {
        int polls = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        Probe.quietShutdownReport();
        TaskManager tm = TaskManager.builder().stopTimeout(java.time.Duration.ZERO).build();
        TrackedTask task = tm.module("bench").task("bench").scope("node").track();
        task.start();
        try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0).ownsTaskManager(true).build().start();
             Socket socket = new Socket("127.0.0.1", server.port())) {
            long base = Probe.usedHeapAfterGc();
            System.out.println("live heap before: " + Probe.mib(base));
            String request = "GET /task_manager/wait_task/" + task.id() + "?timeout=0 HTTP/1.1\r\nHost: localhost\r\n\r\n";
            byte[] batch = request.repeat(BATCH).getBytes(StandardCharsets.ISO_8859_1);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            long start = System.nanoTime();
            int timedOut = 0;
            for (int sent = 0; sent < polls; sent += BATCH) {
                out.write(batch);
                out.flush();
                for (int i = 0; i < BATCH; i++) {
                    if (readAnswer(in) == 408) {
                        timedOut++;
                    }
                }
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            long after = Probe.usedHeapAfterGc();
            System.out.println(timedOut + " polls answered 408 in " + elapsed + " ms");
            System.out.println("live heap after: " + Probe.mib(after) + " (+" + Probe.mib(after - base) + ", "
                    + String.format("%.1f", (after - base) / (double) timedOut) + " bytes per poll)");
            System.out.println("task state: " + task.state().wireName());
        }
    }

    /** Reads one answer framed by Content-Length; returns its status. */
    private static int readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(head.substring(9, 12));
    }
}
