package dev.taskmanager.benchmarks.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.server.TaskManagerServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 11's first figure: the heap while many clients read a huge listing slowly. Registers N
 * running tasks, opens R readers of {@code list_module_tasks} that read nothing (a 4 KiB receive
 * buffer, so the server's writes stall at once), waits for them to settle, then reports the live
 * heap after GC against the baseline, how the readers were answered (streaming or 503 past
 * {@code --max-concurrent-listings}), and whether a small request still gets through.
 *
 * <p>Before the fix, 40 such readers of 1,000,000 tasks took 4.35 GB and 80 drove the JVM into GC
 * death; now each streaming reader holds one 32 KiB chunk and the rest are refused.
 *
 * <p>Run (the lead's full figure, then the smoke run):
 * <pre>
 * java -Xmx1g -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.server.SlowListingLoad 1000000 80
 * java -Xmx256m -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.server.SlowListingLoad 50000 20
 * </pre>
 * Arguments: tasks (default 1,000,000), readers (default 80), and the server's
 * max concurrent listings (default: the server's default, 8). Recursive statuses: add a 4th
 * argument {@code tree}, which lists a root with that many children instead.
 */
public final class SlowListingLoad {
    private SlowListingLoad() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int readers = args.length > 1 ? Integer.parseInt(args[1]) : 80;
        int permits = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        boolean tree = args.length > 3 && args[3].equals("tree");
        Probe.quietShutdownReport();
        TaskManager tm = TaskManager.builder().stopTimeout(java.time.Duration.ZERO).build();
        TaskModule module = tm.module("big");
        String target;
        if (tree) {
            var root = module.task("root").scope("node").track();
            root.start();
            for (int i = 0; i < tasks; i++) {
                module.task("copy").parent(root.id()).scope("file").entity("entity-" + i).track().start();
            }
            target = "/task_manager/task_status_recursive/" + root.id();
        } else {
            for (int i = 0; i < tasks; i++) {
                module.task("copy").scope("file").keyspace("ks").table("t" + (i % 100)).entity("entity-" + i)
                        .track().start();
            }
            target = "/task_manager/list_module_tasks/big";
        }
        tm.module("small").task("one").scope("node").track().start();
        try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0).maxConcurrentListings(permits)
                .ownsTaskManager(true).build().start()) {
            System.out.println(tasks + (tree ? " children of one root" : " tasks") + ", " + readers
                    + " slow readers, at most " + permits + " large answers at once");
            long base = Probe.usedHeapAfterGc();
            System.out.println("live heap before: " + Probe.mib(base));
            List<Socket> sockets = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < readers; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                sockets.add(socket);
            }
            Thread.sleep(3000); // let every render stall on its reader
            long loaded = Probe.usedHeapAfterGc();
            System.out.println("live heap with the readers: " + Probe.mib(loaded) + " (+" + Probe.mib(loaded - base)
                    + ", " + (loaded - base) / Math.max(1, readers) + " bytes per reader)");
            System.out.println("small listing meanwhile: " + Probe.get(server.port(), "/task_manager/list_module_tasks/small", 10_000));
            Map<String, Integer> answers = new TreeMap<>();
            for (Socket socket : sockets) {
                answers.merge(statusOf(socket), 1, Integer::sum);
                socket.close();
            }
            System.out.println("readers answered: " + answers + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    private static String statusOf(Socket socket) throws IOException {
        socket.setSoTimeout(2000);
        InputStream in = socket.getInputStream();
        byte[] head = in.readNBytes(12);
        return head.length == 12 ? new String(head, StandardCharsets.ISO_8859_1).substring(9) : "nothing";
    }
}
