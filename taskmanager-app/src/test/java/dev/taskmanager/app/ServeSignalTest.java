package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's real entry point as a process (issue 11): {@code taskmanager serve} stopped with SIGTERM
 * stops gracefully and exits 0 (a JVM left to its default handling exits 143). Bounded waits only.
 */
class ServeSignalTest {
    private static final String END = "\u0000end";

    @TempDir
    Path dir;

    @Test
    void sigtermEndsServeWithExitCode0AfterAGracefulStop() throws Exception {
        Path errFile = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--api-port", "0")
                .redirectError(errFile.toFile()).start();
        try {
            BlockingQueue<String> lines = lines(process);
            String listening = null;
            for (String line = lines.poll(60, TimeUnit.SECONDS); line != null && !line.equals(END);
                 line = lines.poll(60, TimeUnit.SECONDS)) {
                if (line.startsWith("Task manager API listening on ")) {
                    listening = line;
                    break;
                }
            }
            assertThat(listening).as(Files.readString(errFile)).isNotNull();

            process.toHandle().destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<String> rest = new ArrayList<>();
            for (String line = lines.poll(60, TimeUnit.SECONDS); line != null && !line.equals(END);
                 line = lines.poll(60, TimeUnit.SECONDS)) {
                rest.add(line);
            }
            assertThat(process.exitValue()).as("stderr: %s", Files.readString(errFile)).isZero();
            assertThat(rest).contains("Task manager API stopped");
        } finally {
            process.destroyForcibly();
        }
    }

    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("(output failed: " + e + ")");
            } finally {
                lines.add(END);
            }
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
