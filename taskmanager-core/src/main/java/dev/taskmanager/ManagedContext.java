package dev.taskmanager;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The {@link TaskContext} of a managed task's body: a thin view of the live task. */
final class ManagedContext implements TaskContext {
    /** How many failed children {@link #awaitChildren()} names in its message. */
    private static final int NAMED_FAILURES = 3;

    private final TaskImpl task;

    ManagedContext(TaskImpl task) {
        this.task = task;
    }

    @Override
    public UUID id() {
        return task.id;
    }

    @Override
    public Task task() {
        return task;
    }

    @Override
    public Progress progress() {
        return task;
    }

    @Override
    public boolean isAbortRequested() {
        return task.isAbortRequested();
    }

    @Override
    public void ensureNotAborted() {
        if (task.isAbortRequested()) {
            throw new TaskAbortedException(task.abortReason());
        }
    }

    @Override
    public TaskBuilder child(String type) {
        return task.child(type);
    }

    @Override
    public void awaitChildren() throws InterruptedException {
        awaitChildren(ChildFailures.FAIL);
    }

    @Override
    public void awaitChildren(ChildFailures onFailure) throws InterruptedException {
        Objects.requireNonNull(onFailure, "onFailure");
        List<TaskImpl> children = task.liveChildren();
        CompletableFuture<?>[] futures = new CompletableFuture<?>[children.size()];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = children.get(i).done();
        }
        try {
            CompletableFuture.allOf(futures).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a child's completion future failed", e.getCause());
        } finally {
            for (CompletableFuture<?> future : futures) {
                future.cancel(false); // detaches the waits an interrupt abandoned; a no-op on completed ones
            }
        }
        if (onFailure == ChildFailures.FAIL) {
            List<TaskStatus> failed = task.failedChildren();
            if (!failed.isEmpty()) {
                throw new TaskFailedException(describe(failed, task.childCount()));
            }
        }
    }

    /** {@code 2 of 16 child tasks failed: <id> (<error>); <id> (<error>)}, naming the first few. */
    static String describe(List<TaskStatus> failed, int children) {
        StringBuilder message = new StringBuilder().append(failed.size()).append(" of ").append(children)
                .append(children == 1 ? " child task failed: " : " child tasks failed: ");
        for (int i = 0; i < Math.min(NAMED_FAILURES, failed.size()); i++) {
            TaskStatus child = failed.get(i);
            if (i > 0) {
                message.append("; ");
            }
            message.append(child.id()).append(" (").append(child.error()).append(')');
        }
        if (failed.size() > NAMED_FAILURES) {
            message.append("; and ").append(failed.size() - NAMED_FAILURES).append(" more");
        }
        return message.toString();
    }

    @Override
    public void onAbort(Runnable callback) {
        task.onAbort(callback);
    }

    @Override
    public void interruptOnAbort() {
        task.interruptOnAbort(Thread.currentThread());
    }
}
