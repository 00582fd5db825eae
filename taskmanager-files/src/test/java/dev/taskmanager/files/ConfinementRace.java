package dev.taskmanager.files;

import dev.taskmanager.Task;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Races the files workload against a local user who swaps a directory inside the allowed root for a
 * symbolic link to a directory outside it, in a loop, while operations run one after the other; it
 * counts the operations that reached outside (a race won). The attacker's directory {@code tree/sub}
 * holds {@code f.txt} and a manifest {@code m.sha256}; the outside directory holds a secret
 * {@code f.txt}, a {@code m.sha256} whose first line is a secret, and {@code outside-only.txt}. An
 * operation escaped if its results or any task's error or entity show the secret, its digest, or
 * the outside-only name. Operations cycle through a manifest of {@code tree}, a manifest of
 * {@code tree/sub}, a verification of {@code tree/sub} against {@code tree/sub/m.sha256} and one of
 * {@code tree} against a manifest listing {@code sub/f.txt}.
 *
 * <p>Java cannot call {@code renameat2(RENAME_EXCHANGE)}; the swap is four atomic renames (dir away,
 * link in, link away, dir back), so the path is sometimes missing as well.
 *
 * <p>Run it (it prints one line and exits 0 if nothing escaped, 1 otherwise):
 * <pre>
 * ./mvnw -q -pl taskmanager-files -am test-compile
 * java -cp taskmanager-core/target/classes:taskmanager-files/target/classes:taskmanager-files/target/test-classes \
 *     dev.taskmanager.files.ConfinementRace [attempts, default 400]
 * </pre>
 * {@code ConfinementRaceTest} runs it as a test.
 */
public final class ConfinementRace {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** What a run found. */
    record Result(int attempts, int escaped, int done, int failed, int refused, long swaps, List<String> escapes) {
        @Override
        public String toString() {
            return "races won (operations that reached outside the allowed root): " + escaped + " of " + attempts
                    + " (" + done + " done, " + failed + " failed, " + refused + " refused at request; "
                    + swaps + " swaps)";
        }
    }

    private final Path allowed;
    private final Path tree;
    private final Path sub;
    private final String secret = "SECRET-" + UUID.randomUUID();
    private final String secretDigest;

    private ConfinementRace(Path base) throws Exception {
        allowed = Files.createDirectories(base.resolve("allowed"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        tree = Files.createDirectories(allowed.resolve("tree"));
        sub = Files.createDirectories(tree.resolve("sub"));
        Files.writeString(outside.resolve("f.txt"), secret + "\n");
        Files.writeString(outside.resolve("m.sha256"), secret + " first line\n");
        Files.writeString(outside.resolve("outside-only.txt"), "outside\n");
        secretDigest = sha256(secret + "\n");
        String inside = sha256("inside\n");
        Files.writeString(sub.resolve("f.txt"), "inside\n");
        Files.writeString(sub.resolve("m.sha256"), inside + "  f.txt\n");
        Files.writeString(allowed.resolve("list.sha256"), inside + "  sub/f.txt\n");
        Files.createSymbolicLink(tree.resolve("sub.link"), outside);
    }

    /** Runs {@code attempts} operations against the swapping loop, under {@code base}. */
    static Result run(Path base, int attempts) throws Exception {
        return new ConfinementRace(base).race(attempts);
    }

    private Result race(int attempts) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        CountDownLatch swapping = new CountDownLatch(1);
        Thread swapper = new Thread(() -> swapLoop(stop, swaps, swapping), "swapper");
        int escaped = 0;
        int done = 0;
        int failed = 0;
        int refused = 0;
        List<String> escapes = new ArrayList<>();
        try (TaskManager tm = TaskManager.builder().build()) {
            FilesWorkload files = FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                    .workDirectory(allowed.getParent().resolve("work")).build());
            swapper.start();
            swapping.await();
            for (int i = 0; i < attempts; i++) {
                Task task;
                ManifestRun run = null;
                try {
                    switch (i % 4) {
                        case 0 -> {
                            run = files.startManifest(tree, null);
                            task = run.task();
                        }
                        case 1 -> {
                            run = files.startManifest(sub, null);
                            task = run.task();
                        }
                        case 2 -> task = files.startVerify(sub, sub.resolve("m.sha256"));
                        default -> task = files.startVerify(tree, allowed.resolve("list.sha256"));
                    }
                } catch (IllegalArgumentException e) {
                    refused++;
                    if (leaks(e.getMessage())) {
                        escaped++;
                        escapes.add("refusal: " + e.getMessage());
                    }
                    continue;
                }
                TaskStatus root = task.await(WAIT);
                StringBuilder seen = new StringBuilder();
                for (TaskStatus status : task.statusRecursive()) {
                    seen.append(status.entity()).append('\n').append(status.error()).append('\n');
                }
                if (run != null && root.state() == TaskState.DONE) {
                    seen.append(Files.readString(run.output(), StandardCharsets.UTF_8));
                }
                if (leaks(seen.toString())) {
                    escaped++;
                    escapes.add((run != null ? "manifest" : "verify") + " " + root.entity() + ": " + seen);
                }
                if (root.state() == TaskState.DONE) {
                    done++;
                } else {
                    failed++;
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        return new Result(attempts, escaped, done, failed, refused, swaps.get(), escapes);
    }

    private boolean leaks(String text) {
        return text.contains(secret) || text.contains(secretDigest) || text.contains("outside-only");
    }

    /** Swaps {@code tree/sub} between the directory and the link, until stopped. */
    private void swapLoop(AtomicBoolean stop, AtomicLong swaps, CountDownLatch started) {
        Path real = tree.resolve("sub.real");
        Path link = tree.resolve("sub.link");
        started.countDown();
        try {
            while (!stop.get()) {
                Files.move(sub, real, StandardCopyOption.ATOMIC_MOVE);
                Files.move(link, sub, StandardCopyOption.ATOMIC_MOVE);
                Files.move(sub, link, StandardCopyOption.ATOMIC_MOVE);
                Files.move(real, sub, StandardCopyOption.ATOMIC_MOVE);
                swaps.incrementAndGet();
            }
        } catch (IOException e) {
            throw new IllegalStateException("the swap loop failed after " + swaps.get() + " swaps", e);
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Prints the races won out of {@code args[0]} (default 400) attempts; exits 1 if any was won. */
    public static void main(String[] args) throws Exception {
        int attempts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        Path base = Files.createTempDirectory("confinement-race-");
        int code;
        try {
            Result result = run(base, attempts);
            PrintStream out = System.out;
            out.println(result);
            result.escapes().forEach(escape -> out.println("  escaped: " + escape.replace('\n', ' ')));
            code = result.escaped() == 0 ? 0 : 1;
        } finally {
            deleteTree(base);
        }
        System.exit(code);
    }

    private static void deleteTree(Path base) throws IOException {
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
