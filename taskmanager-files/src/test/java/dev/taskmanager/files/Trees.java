package dev.taskmanager.files;

import dev.taskmanager.TaskStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Generated directory trees for the workload's tests, and an independent way to compute what their
 * manifest must be (plain {@link MessageDigest} over {@link Files#walk}).
 */
final class Trees {
    /** The large-file threshold the tests use, so that "large" files stay small. */
    static final int THRESHOLD = 100 * 1024;

    /** The files of {@link #create}, by relative path, with their sizes. */
    static final Map<String, Integer> FILES = Map.of(
            "readme.txt", 100,
            "big.bin", 300 * 1024,
            "a/one.txt", 1024,
            "a/two.txt", 2048,
            "a/large-a.bin", 200 * 1024,
            "a/b/deep.txt", 10,
            "a/b/empty.txt", 0,
            "a/b/c/large-c.bin", 150 * 1024,
            "e/x.dat", 5 * 1024);

    private Trees() {
    }

    /**
     * Creates, under {@code top}, small and large files three levels deep plus an empty directory
     * {@code d}; contents are pseudo-random but the same on every run.
     */
    static Path create(Path top) throws IOException {
        Files.createDirectories(top.resolve("d"));
        for (Map.Entry<String, Integer> file : FILES.entrySet()) {
            write(top.resolve(file.getKey()), file.getValue(), file.getKey().hashCode());
        }
        return top;
    }

    /** Writes {@code size} pseudo-random bytes, creating parent directories. */
    static void write(Path file, int size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        Files.write(file, content);
    }

    /** The SHA-256 of every regular file under {@code top} (links not followed), by relative path. */
    static Map<String, String> digests(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            return paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .collect(Collectors.toMap(path -> relative(top, path),
                            Trees::sha256, (x, y) -> x, TreeMap::new));
        }
    }

    private static String relative(Path top, Path file) {
        StringBuilder joined = new StringBuilder();
        for (Path name : top.relativize(file)) {
            joined.append(joined.length() > 0 ? "/" : "").append(name);
        }
        return joined.toString();
    }

    /** The total size of the regular files under {@code top}. */
    static long totalBytes(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            return paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(path -> {
                        try {
                            return Files.size(path);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).sum();
        }
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The one status in {@code statuses} with this entity and scope. */
    static TaskStatus find(List<TaskStatus> statuses, String scope, String entity) {
        List<TaskStatus> found = statuses.stream()
                .filter(status -> status.scope().equals(scope) && status.entity().equals(entity))
                .collect(Collectors.toList());
        if (found.size() != 1) {
            throw new AssertionError("expected one " + scope + " task for '" + entity + "', found " + found.size()
                    + " among " + statuses.stream().map(s -> s.scope() + ":" + s.entity()).collect(Collectors.toList()));
        }
        return found.get(0);
    }

    /** The status with this id. */
    static TaskStatus byId(List<TaskStatus> statuses, UUID id) {
        return statuses.stream().filter(status -> status.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + id + " in the tree"));
    }
}
