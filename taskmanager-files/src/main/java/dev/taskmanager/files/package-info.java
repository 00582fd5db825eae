/**
 * The built-in real workload: SHA-256 manifests of directory trees, and verification of a tree
 * against a manifest, each run as an abortable tree of tasks with progress in bytes.
 *
 * <p>Start at {@link dev.taskmanager.files.FilesWorkload}: it owns the {@code files} module of a
 * {@link dev.taskmanager.TaskManager}, confines every requested path to the directories the operator
 * allowed, and starts operations. {@link dev.taskmanager.files.Manifest} reads and writes the
 * {@code sha256sum} format the operations use. {@link dev.taskmanager.files.PrivateDirectory}
 * creates and checks the directories a server keeps its state in (its data directory, the
 * workload's work directory) as OpenSSH checks {@code ~/.ssh}.
 *
 * <p>The task tree of an operation mirrors the directory tree: the root task stands for the scanned
 * directory, each subdirectory gets a {@code directory} task under its parent, each large file a
 * {@code file} leaf, and the small files of a directory are hashed together by one {@code files}
 * leaf; a manifest root also has an {@code output} child naming the file it writes. Only leaves
 * report bytes, so every directory's progress is the sum of its subtree, and folding leaves just the
 * direct children of the root plus the paths that lead to failures once the operation is over.
 *
 * <p>The package-private engine assumes hostile local users who can write inside the allowed
 * directories ({@code docs/files-workload.md} in the repository): {@code OpenDirectory} reaches
 * files relative to open directories without following links, {@code IoGuard} runs file-system calls
 * where a task can give up on them (a FIFO blocks {@code open} for ever), {@code AtomicFile} writes
 * outputs by temporary file, {@code fsync} and rename, and {@code TreeOperation} holds the task
 * bodies.
 */
package dev.taskmanager.files;
