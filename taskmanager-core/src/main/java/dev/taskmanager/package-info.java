/**
 * Task Manager: long-running background operations as observable, abortable trees of tasks.
 *
 * <p>Start at {@link dev.taskmanager.TaskManager}. Everything public here is the API; the engine
 * classes in this package are package-private. Readers see only immutable snapshots
 * ({@link dev.taskmanager.TaskStatus}, {@link dev.taskmanager.TaskStats}), pages of a
 * {@link dev.taskmanager.TaskQuery}, and {@link dev.taskmanager.TaskListener} events.
 *
 * <p>The behaviour contract is {@code docs/spec.md} in the repository: "SPEC §N" in this package's
 * Javadoc means its section N (§1–14 the ScyllaDB-compatible behaviour, §15 onwards outcomes,
 * operator fields and queries). The decisions it leaves open are in {@code docs/core-semantics.md}.
 */
package dev.taskmanager;
