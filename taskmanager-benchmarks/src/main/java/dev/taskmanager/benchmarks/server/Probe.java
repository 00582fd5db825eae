package dev.taskmanager.benchmarks.server;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the hardening measurements share: heap after GC, descriptor counts, one-shot HTTP requests. */
final class Probe {
    private Probe() {
    }

    /** Kept so that the level set on it stays set (java.util.logging holds loggers weakly). */
    private static final java.util.logging.Logger CORE_LOG = java.util.logging.Logger.getLogger("dev.taskmanager");

    /**
     * Silences the core's warning at shutdown, which lists every task still running: the tools leave
     * their tasks running on purpose, and a million of them would fill the terminal.
     */
    static void quietShutdownReport() {
        CORE_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /** Used heap after a full collection: the live set, as near as the JVM tells. */
    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** Open file descriptors of a process (Linux), or -1 if they cannot be counted. */
    static long descriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Sends one GET with {@code Connection: close} and returns the status line (or the failure), bounded
     * by {@code timeoutMillis}; the elapsed time is appended.
     */
    static String get(int port, String target, int timeoutMillis) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, 12);
            in.transferTo(OutputSink.INSTANCE);
            String status = n == 12 ? new String(head, StandardCharsets.ISO_8859_1).substring(9) : "no answer";
            return status + " in " + (System.nanoTime() - start) / 1_000_000 + " ms";
        } catch (IOException e) {
            return "failed after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + e;
        }
    }

    /** Discards what it is given. */
    static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
