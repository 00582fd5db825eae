package dev.taskmanager.files;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
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
    /** How deep a scan goes; deeper directories are reported as unreadable rather than recursed into. */
    static final int MAX_DEPTH = 1024;

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
    /** Files of this directory that could not be read and were skipped, as asked. */
    final AtomicInteger skippedFiles = new AtomicInteger();
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
        /** Its name in its directory. */
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
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

    /** The names leading from the top of the tree to this directory. */
    List<String> names() {
        return path.isEmpty() ? List.of() : List.of(path.split("/"));
    }

    /**
     * Walks the tree below the open directory {@code top}, relative to open directories and without
     * following symbolic links, keeping regular files only (links, devices, sockets and FIFOs are
     * skipped). Beats {@code pulse} for every entry and stops when it is cancelled.
     *
     * @param excluded a path relative to the top that is left out (the manifest being written), or null
     * @throws IOException if {@code top} itself cannot be listed; deeper errors become
     *                     {@link Unreadable} entries
     */
    static DirectoryNode scan(OpenDirectory top, String excluded, IoGuard.Pulse pulse) throws IOException {
        DirectoryNode root = new DirectoryNode("");
        root.scanBelow(top, top.names(), excluded, pulse, 0);
        root.seal();
        return root;
    }

    private void scanBelow(OpenDirectory directory, List<String> names, String excluded, IoGuard.Pulse pulse,
                           int depth) {
        for (String name : names) {
            pulse.check();
            String child = path.isEmpty() ? name : path + "/" + name;
            if (child.equals(excluded)) {
                continue;
            }
            BasicFileAttributes attributes;
            try {
                attributes = directory.stat(name);
            } catch (NoSuchFileException e) {
                continue; // deleted since it was listed: not part of the tree any more
            } catch (IOException e) {
                unreadable.add(new Unreadable(child, false, e));
                continue;
            }
            if (attributes.isRegularFile()) {
                files.add(new FileEntry(child, attributes.size(), null));
            } else if (attributes.isDirectory()) {
                scanSubdirectory(directory, name, child, excluded, pulse, depth + 1);
            }
        }
    }

    private void scanSubdirectory(OpenDirectory directory, String name, String child, String excluded,
                                  IoGuard.Pulse pulse, int depth) {
        if (depth > MAX_DEPTH) {
            unreadable.add(new Unreadable(child, true, new IOException("more than " + MAX_DEPTH
                    + " directories deep; not scanned")));
            return;
        }
        DirectoryNode node = new DirectoryNode(child);
        OpenDirectory opened;
        List<String> entries;
        pulse.opening(child, () -> directory.unblockFifo(name));
        try {
            opened = directory.directory(name);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            unreadable.add(new Unreadable(child, true, e));
            return;
        } finally {
            pulse.opened();
        }
        try (opened) {
            entries = opened.names();
            subdirectories.add(node);
            node.scanBelow(opened, entries, excluded, pulse, depth);
        } catch (IOException e) {
            unreadable.add(new Unreadable(child, true, e));
        }
    }

    /**
     * The tree of directories that the manifest's paths name, each file with its expected digest and
     * size 0 until {@link #measure} finds its current size. Checks for abort every thousand files.
     */
    static DirectoryNode fromManifest(Manifest manifest, dev.taskmanager.TaskContext context) {
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
            directory.files.add(new FileEntry(path, 0, entry.getValue()));
        }
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

    /**
     * Sets each listed file's size to its current one, looked up relative to open directories without
     * following links (0 where the file is missing or not a regular file: hashing then reports what is
     * wrong), then computes the totals. Beats {@code pulse} for every file.
     */
    void measure(OpenDirectory directory, IoGuard.Pulse pulse) {
        for (int i = 0; i < files.size(); i++) {
            pulse.check();
            FileEntry file = files.get(i);
            try {
                BasicFileAttributes attributes = directory.stat(file.name());
                if (attributes.isRegularFile()) {
                    files.set(i, new FileEntry(file.path(), attributes.size(), file.expectedDigest()));
                }
            } catch (IOException e) {
                // stays 0
            }
        }
        for (DirectoryNode subdirectory : subdirectories) {
            String name = subdirectory.path.substring(subdirectory.path.lastIndexOf('/') + 1);
            pulse.opening(subdirectory.path, () -> directory.unblockFifo(name));
            OpenDirectory opened;
            try {
                opened = directory.directory(name);
            } catch (IOException e) {
                continue; // missing or not a directory: its files stay at 0 and fail when hashed
            } finally {
                pulse.opened();
            }
            try (opened) {
                subdirectory.measure(opened, pulse);
            } catch (IOException e) {
                // closing failed: the sizes are known already
            }
        }
    }

    /** Sorts the subtree by path, so tasks start in a stable order, and computes its totals. */
    void seal() {
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
}
