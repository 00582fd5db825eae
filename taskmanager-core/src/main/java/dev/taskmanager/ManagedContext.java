package dev.taskmanager;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The {@link TaskContext} of a managed task's body: a thin view of the live task. */
final class ManagedContext implements TaskContext {
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
        List<TaskImpl> children = task.liveChildren();
        CompletableFuture<?>[] futures = new CompletableFuture<?>[children.size()];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = children.get(i).done();
        }
        try {
            CompletableFuture.allOf(futures).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a child's completion future failed", e.getCause());
        }
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
