package dev.taskmanager.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The end of a task as the server announces it: {@code GET /v2/tasks/{id}:wait} without a timeout,
 * sent once from a daemon thread of its own on a connection of its own, answered with the task as
 * it ended. {@code tasks watch} needs it because it looks at the task every interval, and a task
 * may end and be unregistered between two looks: a task that is not a user task is unregistered
 * as it ends when the task TTL is 0 (the server's default), and a child as soon as its parent
 * folds it. A wait sent while the task runs is answered at its end whatever happens next, so the
 * end is known even when the task is gone.
 *
 * <p>The request holds no thread on the server. On this side it holds one daemon thread until the
 * task ends, the server goes away, or the process exits; {@link #close} does not cut it (a
 * blocking connection cannot be interrupted), it only stops caring. Thread-safe.
 */
final class EndWatch implements AutoCloseable {

    private final CompletableFuture<Json.Obj> end = new CompletableFuture<>();

    private EndWatch() {
    }

    /** Starts waiting for task {@code id}'s end through {@code client}, which this then owns. */
    static EndWatch start(RestClient client, String id) {
        EndWatch watch = new EndWatch();
        Thread thread = new Thread(() -> {
            try {
                Json answer = client.get(RestClient.v2Task(id, ":wait"), Map.of());
                if (answer instanceof Json.Obj task) {
                    watch.end.complete(task);
                } else {
                    watch.end.completeExceptionally(new CliException(CliException.REQUEST_FAILED,
                            "error: GET " + RestClient.v2Task(id, ":wait")
                                    + " returned something else than a task"));
                }
            } catch (RuntimeException e) {
                watch.end.completeExceptionally(e);
            }
        }, "taskmanager-watch-end");
        thread.setDaemon(true);
        thread.start();
        return watch;
    }

    /**
     * The task as it ended, waiting at most {@code bound} for the answer; {@code null} when the
     * wait failed (the task was already gone when it was asked, the connection broke) or did not
     * answer in time.
     */
    Json.Obj await(Duration bound) throws InterruptedException {
        try {
            return end.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() {
        end.cancel(false);
    }
}
