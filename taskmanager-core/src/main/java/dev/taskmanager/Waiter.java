package dev.taskmanager;

import java.util.concurrent.CompletableFuture;

/**
 * A future handed to one caller of {@link Task#done()} or {@link ResultTask#result()}, linked into
 * its task until the task completes (SPEC §15.4). However it stops being interesting to its
 * caller — cancelled, timed out with {@code orTimeout}, or completed by the caller — it unlinks
 * itself at once, so an abandoned wait leaves nothing reachable from a task that keeps running.
 * Futures derived from it ({@code thenApply}, ...) are plain {@link CompletableFuture}s and are
 * not linked.
 *
 * @param <V> what the future delivers
 */
abstract class Waiter<V> extends CompletableFuture<V> {
    final TaskImpl task;
    /** The neighbours in the task's list; guarded by the task's monitor. */
    Waiter<?> prev;
    Waiter<?> next;
    /** Whether this waiter is in its task's list; written under the task's monitor. */
    volatile boolean linked;

    Waiter(TaskImpl task) {
        this.task = task;
    }

    /** Completes this waiter from its task's final state; {@code last} is the task's final snapshot. */
    abstract void deliver(TaskStatus last);

    // Each way of ending the future unlinks it first, so that whoever sees it completed also sees it
    // detached from the task.

    @Override
    public boolean complete(V value) {
        task.detach(this);
        return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        task.detach(this);
        return super.completeExceptionally(ex);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        task.detach(this);
        return super.cancel(mayInterruptIfRunning);
    }

    @Override
    public void obtrudeValue(V value) {
        task.detach(this);
        super.obtrudeValue(value);
    }

    @Override
    public void obtrudeException(Throwable ex) {
        task.detach(this);
        super.obtrudeException(ex);
    }

    /** Dependent futures are plain ones: only this future is linked into the task. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /** Delivers the task's final snapshot. */
    static final class OfStatus extends Waiter<TaskStatus> {
        OfStatus(TaskImpl task) {
            super(task);
        }

        @Override
        void deliver(TaskStatus last) {
            complete(last);
        }
    }

    /** Delivers a managed task's result, or its failure. */
    static final class OfResult extends Waiter<Object> {
        OfResult(TaskImpl task) {
            super(task);
        }

        @Override
        void deliver(TaskStatus last) {
            if (last.state() == TaskState.DONE) {
                complete(task.resultValue());
            } else {
                completeExceptionally(task.failure().orElseThrow());
            }
        }
    }
}
