package dev.taskmanager.server;

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
 * {@code serve} as a real process (issue 11): SIGTERM ends it with exit code 0 after a graceful stop,
 * and the report of tasks still running is printed while logging still works. Process waits are
 * bounded; nothing sleeps.
 */
class ServeProcessTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsGracefullyReportsTasksStillRunningAndExits0() throws Exception {
        Path errFile = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(javaCommand(StubbornServe.class.getName(), "--api-port", "0",
                "--shutdown-timeout", "0"))
                .redirectError(errFile.toFile()).start();
        try {
            BlockingQueue<String> out = lines(process);
            String first = out.poll(60, TimeUnit.SECONDS);
            assertThat(first).startsWith("Task manager API listening on http://127.0.0.1:");
            String uri = first.substring("Task manager API listening on ".length());
            assertThat(new ApiClient(java.net.URI.create(uri)).get("/task_manager/list_modules").body())
                    .isEqualTo("[\"stubborn\"]");

            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited within the bound").isTrue();
            String rest = String.join("\n", drain(out));
            String err = Files.readString(errFile);
            assertThat(process.exitValue()).as("stdout: %s%nstderr: %s", rest, err).isZero();
            assertThat(rest).contains("Task manager API stopped");
            assertThat(err).contains("Module stubborn stopped with 1 task(s) still running").containsPattern("ignoring the abort: \\[[0-9a-f-]{36}\\]");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void anUnresolvableApiAddressNamesTheProblem() throws Exception {
        Path errFile = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(javaCommand(StubbornServe.class.getName(), "--api-address",
                "no.such.host.invalid", "--api-port", "0", "--shutdown-timeout", "0"))
                .redirectError(errFile.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(errFile)).endsWith("error: cannot listen on no.such.host.invalid:0: the address "
                + "does not resolve: not a known host name or an IP address" + System.lineSeparator());
    }

    private static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** The process's output lines as they come, read by one thread until end of stream. */
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

    private static final String END = "\u0000end";

    /** Every line up to the end of the output; the process has exited, so the end comes. */
    private static List<String> drain(BlockingQueue<String> lines) throws InterruptedException {
        List<String> rest = new ArrayList<>();
        String line;
        while ((line = lines.poll(60, TimeUnit.SECONDS)) != null && !line.equals(END)) {
            rest.add(line);
        }
        return rest;
    }
}
