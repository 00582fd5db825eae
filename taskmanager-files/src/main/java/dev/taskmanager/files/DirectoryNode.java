package dev.taskmanager.files;

import dev.taskmanager.TaskContext;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One directory of the tree an operation works on, as found by the pre-scan: its subdirectories, its
 * regular files with their sizes, and the entries the scan could not read. The pre-scan gives every
 * task its expected total before any byte is hashed, so progress means something from the start.
 *
 * <p>The structure is built by one thread before the tasks start and not changed afterwards; the
 * failure counters are written by the tasks working on this directory, and read by its parent after
 * its task has completed.
 */
final class DirectoryNode {
    /** Path relative to the top of the tree, {@code /}-separated; {@code ""} for the top itself. */
    final String path;
    final List<DirectoryNode> subdirectories = new ArrayList<>();
    final List<FileEntry> files = new ArrayList<>();
    final List<Unreadable> unreadable = new ArrayList<>();
    /** Bytes of every file in this subtree, as the pre-scan saw them. */
    long totalBytes;
    /** Files (and unreadable entries) in this subtree. */
    int totalFiles;
    /** Files of this directory itself (and its unreadable entries) that failed. */
    final AtomicInteger failedFiles = new AtomicInteger();
    /** Failed files in the whole subtree; set by the directory's task when it ends. */
    volatile int failedInSubtree;

    /**
     * A file to hash.
     *
     * @param path           relative to the top of the tree
     * @param size           its size at pre-scan time (0 if it could not be read)
     * @param expectedDigest the digest a manifest lists for it, or null when computing a manifest
     */
    record FileEntry(String path, long size, String expectedDigest) {
    }

    /**
     * An entry the pre-scan could not read, e.g. a directory that may not be listed.
     *
     * @param path      relative to the top of the tree
     * @param directory whether the entry is a directory
     * @param error     what went wrong
     */
    record Unreadable(String path, boolean directory, IOException error) {
    }

    private DirectoryNode(String path) {
        this.path = path;
    }

    /** The task entity of this directory: its relative path, or {@code .} for the top. */
    String entity() {
        return path.isEmpty() ? "." : path;
    }

    /**
     * Walks the tree under {@code top} without following symbolic links, keeping regular files only
     * (links, devices, sockets and pipes are skipped). Checks for abort at every directory.
     *
     * @param top a real path
     * @throws IOException if {@code top} itself cannot be read; deeper errors become
     *                     {@link Unreadable} entries
     */
    static DirectoryNode scan(Path top, TaskContext context) throws IOException {
        Deque<DirectoryNode> open = new ArrayDeque<>();
        List<DirectoryNode> result = new ArrayList<>(1);
        Files.walkFileTree(top, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        context.ensureNotAborted();
                        DirectoryNode node = new DirectoryNode(relative(top, dir));
                        if (open.isEmpty()) {
                            result.add(node);
                        } else {
                            open.peek().subdirectories.add(node);
                        }
                        open.push(node);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (attributes.isRegularFile()) {
                            open.peek().files.add(new FileEntry(relative(top, file), attributes.size(), null));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException error) throws IOException {
                        if (open.isEmpty()) {
                            throw error;
                        }
                        boolean directory = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
                        open.peek().unreadable.add(new Unreadable(relative(top, file), directory, error));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException error) {
                        DirectoryNode node = open.pop();
                        if (error != null) {
                            node.unreadable.add(new Unreadable(node.entity(), true, error));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        DirectoryNode root = result.get(0);
        root.seal();
        return root;
    }

    /**
     * The tree of directories that the manifest's paths name, under {@code top}, each file with its
     * expected digest and its current size (0 if it is missing or not a regular file: hashing then
     * reports what is wrong). Checks for abort every thousand files.
     *
     * @param top a real path
     */
    static DirectoryNode fromManifest(Path top, Manifest manifest, TaskContext context) {
        DirectoryNode root = new DirectoryNode("");
        Map<String, DirectoryNode> directories = new HashMap<>();
        directories.put("", root);
        int count = 0;
        for (Map.Entry<String, String> entry : manifest.entries().entrySet()) {
            if ((++count & 1023) == 0) {
                context.ensureNotAborted();
            }
            String path = entry.getKey();
            int slash = path.lastIndexOf('/');
            DirectoryNode directory = directory(slash < 0 ? "" : path.substring(0, slash), directories);
            directory.files.add(new FileEntry(path, sizeOrZero(top.resolve(path)), entry.getValue()));
        }
        root.seal();
        return root;
    }

    private static DirectoryNode directory(String path, Map<String, DirectoryNode> directories) {
        DirectoryNode node = directories.get(path);
        if (node == null) {
            int slash = path.lastIndexOf('/');
            DirectoryNode parent = directory(slash < 0 ? "" : path.substring(0, slash), directories);
            node = new DirectoryNode(path);
            parent.subdirectories.add(node);
            directories.put(path, node);
        }
        return node;
    }

    private static long sizeOrZero(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes.size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Sorts the subtree by path, so tasks start in a stable order, and computes its totals. */
    private void seal() {
        subdirectories.sort(Comparator.comparing(node -> node.path));
        files.sort(Comparator.comparing(FileEntry::path));
        long bytes = 0;
        int count = files.size() + unreadable.size();
        for (FileEntry file : files) {
            bytes += file.size();
        }
        for (DirectoryNode subdirectory : subdirectories) {
            subdirectory.seal();
            bytes += subdirectory.totalBytes;
            count += subdirectory.totalFiles;
        }
        totalBytes = bytes;
        totalFiles = count;
    }

    /** {@code file} relative to {@code top}, with {@code /} separators whatever the platform. */
    static String relative(Path top, Path file) {
        Path relative = top.relativize(file);
        if (relative.toString().isEmpty()) {
            return "";
        }
        StringBuilder joined = new StringBuilder();
        for (Path name : relative) {
            if (joined.length() > 0) {
                joined.append('/');
            }
            joined.append(name);
        }
        return joined.toString();
    }
}
