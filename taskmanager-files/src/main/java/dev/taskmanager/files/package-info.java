/**
 * The built-in real workload: SHA-256 manifests of directory trees, and verification of a tree
 * against a manifest, each run as an abortable tree of tasks with progress in bytes.
 *
 * <p>Start at {@link dev.taskmanager.files.FilesWorkload}: it owns the {@code files} module of a
 * {@link dev.taskmanager.TaskManager}, confines every requested path to the directories the operator
 * allowed, and starts operations. {@link dev.taskmanager.files.Manifest} reads and writes the
 * {@code sha256sum} format the operations use.
 *
 * <p>The task tree of an operation mirrors the directory tree: the root task stands for the scanned
 * directory, each subdirectory gets a {@code directory} task under its parent, each large file a
 * {@code file} leaf, and the small files of a directory are hashed together by one {@code files}
 * leaf. Only leaves report bytes, so every directory's progress is the sum of its subtree, and
 * folding leaves just the direct children of the root plus the paths that lead to failures once the
 * operation is over.
 */
package dev.taskmanager.files;
