package dev.taskmanager;

import java.util.concurrent.CompletableFuture;

/**
 * A managed task whose body returns a value ({@link TaskBuilder#submit(TaskFunction)}). The value is
 * for the library user only: it is not part of any snapshot or of the wire format.
 *
 * @param <T> the type of the result
 */
public interface ResultTask<T> extends Task {

    /**
     * Completes with the body's return value when the task ends {@code done}, or exceptionally with
     * {@link #failure()} when it ends {@code failed} (a {@link TaskAbortedException} if it was
     * aborted). Like {@link #done()}, each call returns a new future that no other caller shares;
     * cancelling it, or letting it time out, detaches it from the task.
     */
    CompletableFuture<T> result();
}
