/**
 * Task Manager: long-running background operations as observable, abortable trees of tasks.
 *
 * <p>Start at {@link dev.taskmanager.TaskManager}. Everything public here is the API; the engine
 * classes in this package are package-private. Readers see only immutable snapshots
 * ({@link dev.taskmanager.TaskStatus}, {@link dev.taskmanager.TaskStats}); the behaviour follows
 * SPEC.md §1–11.
 */
package dev.taskmanager;
