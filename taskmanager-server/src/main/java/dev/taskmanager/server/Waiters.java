package dev.taskmanager.server;

import dev.taskmanager.Task;
import dev.taskmanager.TaskStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Waits without a thread per waiter (SPEC §12.6): the compat {@code wait_task}, and the v2 waits on
 * one task or on many ({@code all} or {@code any} of them). A waiting request stays open in Jetty
 * while nothing runs for it: it is answered when enough of its tasks complete, or from one timer on
 * Jetty's shared scheduler when it has a timeout, whichever comes first. Each wait costs a few small
 * objects plus one entry per task it waits on; thousands are cheap.
 *
 * <p><b>Nothing per call stays attached to a task.</b> {@link Task#done()} hands out a future that
 * stays attached to the task until the task completes, cancelled or not; one per request would
 * leak a few hundred bytes per timed-out wait for as long as the task runs (issue 11: 293,000 polls
 * grew the heap by 229 MB). So the waiters of one task share a single {@link TaskWaits}: the first
 * wait on a running task takes the task's future once, and every wait joins and leaves the
 * {@code TaskWaits}' set. A wait that times out, loses its client or is shut down removes itself
 * and leaves nothing behind; the {@code TaskWaits} itself, one per running task that anybody waited
 * on, goes when the task completes. A wait with {@code timeout=0} on a running task touches nothing.
 *
 * <p><b>Disconnected clients.</b> HTTP/1.1 gives no event when a client closes a connection whose
 * request is being handled: Jetty is not reading it. So a waiting request ignores the connection's
 * idle timeouts (a wait may last longer than any idle timeout), and at each one probes the socket
 * with a one-byte non-blocking read: end of stream means the client is gone, and the waiter is
 * dropped and the connection closed. A dead waiter is so found within one idle timeout. A client
 * that pipelines another request behind a wait (almost none do) loses that request's first byte to
 * the probe; the wait's answer then says {@code Connection: close} so the client retries the rest,
 * as RFC 9112 §9.3.2 asks of pipelining clients. Only plain-socket requests whose body (if any) was
 * read whole are probed; others (TLS, HTTP/2 when embedded) just wait.
 *
 * <p>Thread-safe. Each waiter is settled exactly once: by completion, timeout, disconnect or
 * shutdown.
 */
final class Waiters {
    private static final System.Logger LOG = System.getLogger(Waiters.class.getName());

    /** {@link #await(Exchange, List, Map, int, long, WaitAnswer)}'s timeout meaning "none". */
    static final long NO_TIMEOUT = -1;

    private final Map<UUID, TaskWaits> byTask = new ConcurrentHashMap<>();
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong attachments = new AtomicLong();
    private final String nodeAddress;
    private volatile boolean closed;
    /** Test hook: sees every waiter created, so a test can hold weak references to them. */
    volatile Consumer<Object> onWaiterCreated;

    Waiters(String nodeAddress) {
        this.nodeAddress = nodeAddress;
    }

    /** How a wait is answered; exactly one of the two is called, once, on a pool thread or the request's. */
    interface WaitAnswer {
        /**
         * Enough tasks ended.
         *
         * @param ended the final status of every waited task that ended, by id
         */
        void completed(Exchange ex, Map<UUID, TaskStatus> ended) throws Exception;

        /**
         * The timeout passed first.
         *
         * @param ended the final status of the waited tasks that did end, by id
         */
        void timedOut(Exchange ex, Map<UUID, TaskStatus> ended) throws Exception;
    }

    /**
     * Answers with the task's final status once it completes, or 408 once {@code timeout} seconds
     * pass (at once for 0 unless it is already complete); absent means wait as long as it takes.
     */
    void await(Exchange ex, Task task, OptionalLong timeout) {
        long nanos = timeout.isPresent() ? TimeUnit.SECONDS.toNanos(timeout.getAsLong()) : NO_TIMEOUT;
        await(ex, List.of(task), Map.of(), 1, nanos, new WaitAnswer() {
            @Override
            public void completed(Exchange e, Map<UUID, TaskStatus> ended) {
                TaskStatus status = ended.get(task.id());
                e.sendJson(g -> Json.writeStatus(g, status, nodeAddress));
            }

            @Override
            public void timedOut(Exchange e, Map<UUID, TaskStatus> ended) {
                e.sendError(Waiters.timedOut());
            }
        });
    }

    /**
     * Waits until {@code needed} of {@code tasks} and {@code endedElsewhere} have ended (1: any of
     * them; all of them), then answers {@link WaitAnswer#completed}; or answers
     * {@link WaitAnswer#timedOut} once {@code timeoutNanos} pass ({@link #NO_TIMEOUT}: never; 0: at
     * once unless enough have ended already). Holds no thread meanwhile.
     *
     * @param endedElsewhere final statuses of tasks no longer live (read from a history store), by id
     * @throws ApiException 503 if the server is shutting down
     */
    void await(Exchange ex, List<? extends Task> tasks, Map<UUID, TaskStatus> endedElsewhere, int needed,
               long timeoutNanos, WaitAnswer answer) {
        Map<UUID, TaskStatus> ended = new ConcurrentHashMap<>(endedElsewhere);
        List<Task> running = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            if (task.state().isTerminal()) {
                ended.put(task.id(), finalStatus(task));
            } else {
                running.add(task);
            }
        }
        if (ended.size() >= needed) {
            answerNow(ex, e -> answer.completed(e, ended));
            return;
        }
        if (timeoutNanos == 0) {
            answerNow(ex, e -> answer.timedOut(e, ended));
            return;
        }
        if (closed) {
            throw shuttingDown();
        }
        Pending waiter = new Pending(ex, needed, ended, answer);
        Consumer<Object> hook = onWaiterCreated;
        if (hook != null) {
            hook.accept(waiter);
        }
        ex.request.addIdleTimeoutListener(waiter::onIdleTimeout);
        ex.request.addFailureListener(waiter::onFailure);
        pending.add(waiter);
        for (Task task : running) {
            TaskWaits waits = waitsFor(task);
            waiter.joined.add(waits);
            waits.waiters.add(waiter);
            if (waiter.settled.get()) {
                waits.waiters.remove(waiter); // settled meanwhile: settle() may have missed this one
                break;
            }
            // Join first, then look: either the release sees this waiter in the set or this sees the status.
            TaskStatus released = waits.finalStatus;
            if (released != null) {
                waiter.onDone(waits.taskId, released);
            }
        }
        if (timeoutNanos != NO_TIMEOUT && !waiter.settled.get()) {
            Scheduler scheduler = ex.request.getComponents().getScheduler();
            waiter.timer = scheduler.schedule(waiter::onTimeout, timeoutNanos, TimeUnit.NANOSECONDS);
            if (waiter.settled.get()) {
                waiter.cancelTimer(); // settled while the timer was being set: do not keep it queued
            }
        }
        if (closed && waiter.settle()) {
            waiter.answerError(shuttingDown()); // shutdown raced with us and missed this waiter
        }
    }

    /** The final status of an ended task; its completed future attaches nothing when taken. */
    private static TaskStatus finalStatus(Task task) {
        TaskStatus last = task.done().getNow(null);
        return last != null ? last : task.status();
    }

    /** Runs an answer on the request's thread, mapping what it throws like any action. */
    private static void answerNow(Exchange ex, Router.Action answer) {
        ApiHandler.run(answer, ex);
    }

    /**
     * The shared waits of a running task; the first call for a task takes the task's completion
     * future, the only thing the server ever attaches to it.
     */
    private TaskWaits waitsFor(Task task) {
        UUID id = task.id();
        TaskWaits waits = byTask.get(id);
        if (waits != null) {
            return waits;
        }
        TaskWaits created = new TaskWaits(id);
        waits = byTask.putIfAbsent(id, created);
        if (waits != null) {
            return waits;
        }
        attachments.incrementAndGet();
        // Outside the map's locks: the callback may run right here if the task just completed.
        task.done().whenComplete((status, error) -> release(created, status != null ? status : task.status()));
        return created;
    }

    private void release(TaskWaits waits, TaskStatus status) {
        waits.finalStatus = status;
        byTask.remove(waits.taskId, waits);
        for (Pending waiter : waits.waiters) {
            waiter.onDone(waits.taskId, status);
        }
    }

    /** Answers every pending wait with 503 and refuses new ones; part of a graceful shutdown. */
    void close() {
        closed = true;
        for (Pending waiter : pending) {
            if (waiter.settle()) {
                waiter.answerError(shuttingDown());
            }
        }
        byTask.clear();
    }

    /** How many waits are pending now; for tests and benchmarks. */
    int pendingCount() {
        return pending.size();
    }

    /** How many waits were dropped because their client went away; for tests. */
    long droppedCount() {
        return dropped.get();
    }

    /** How many times a task's completion future was taken: once per running task waited on; for tests. */
    long attachmentCount() {
        return attachments.get();
    }

    /** How many running tasks have shared waits now; for tests. */
    int waitedTaskCount() {
        return byTask.size();
    }

    /** How many waits are joined to the task's shared waits now (0 if it has none); for tests. */
    int waiterCount(UUID taskId) {
        TaskWaits waits = byTask.get(taskId);
        return waits == null ? 0 : waits.waiters.size();
    }

    private static ApiException timedOut() {
        return new ApiException(408, "timedout");
    }

    private static ApiException shuttingDown() {
        return new ApiException(503, "the server is shutting down");
    }

    /** The waiters of one running task, and its final status once released. */
    private static final class TaskWaits {
        final UUID taskId;
        final Set<Pending> waiters = ConcurrentHashMap.newKeySet();
        volatile TaskStatus finalStatus;

        TaskWaits(UUID taskId) {
            this.taskId = taskId;
        }
    }

    private final class Pending {
        final Exchange ex;
        final int needed;
        final Map<UUID, TaskStatus> ended;
        final WaitAnswer answer;
        /** The shared waits this waiter joined; it leaves every one when settled. */
        final Queue<TaskWaits> joined = new ConcurrentLinkedQueue<>();
        final AtomicBoolean settled = new AtomicBoolean();
        volatile Scheduler.Task timer;
        volatile boolean probing = true;
        volatile boolean closeConnection;

        Pending(Exchange ex, int needed, Map<UUID, TaskStatus> ended, WaitAnswer answer) {
            this.ex = ex;
            this.needed = needed;
            this.ended = ended;
            this.answer = answer;
        }

        boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            pending.remove(this);
            for (TaskWaits waits : joined) {
                waits.waiters.remove(this);
            }
            cancelTimer();
            return true;
        }

        void cancelTimer() {
            Scheduler.Task t = timer;
            if (t != null) {
                t.cancel();
            }
        }

        void onDone(UUID taskId, TaskStatus status) {
            ended.put(taskId, status);
            if (ended.size() < needed || !settle()) {
                return; // more to wait for, or settled by a timeout, a disconnect or shutdown
            }
            answerOnPool(e -> answer.completed(e, ended));
        }

        void onTimeout() {
            if (settle()) {
                answerOnPool(e -> answer.timedOut(e, ended));
            }
        }

        /**
         * Renders and writes on Jetty's pool, not on the thread that completed the task or fired the
         * timer: that may be a task body, and thousands of waiters may be released at once.
         */
        private void answerOnPool(Router.Action render) {
            Runnable run = () -> {
                keepOrCloseConnection();
                ApiHandler.run(render, ex);
            };
            try {
                Executor executor = ex.request.getComponents().getExecutor();
                executor.execute(run);
            } catch (RejectedExecutionException e) {
                run.run();
            }
        }

        void answerError(ApiException error) {
            keepOrCloseConnection();
            ex.sendError(error);
        }

        private void keepOrCloseConnection() {
            if (closeConnection) {
                ex.response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
        }

        /** Jetty noticed the connection failed: nobody will read the answer. */
        void onFailure(Throwable failure) {
            drop(failure);
        }

        /** Never lets idleness fail a wait; probes whether the client is still there instead. */
        boolean onIdleTimeout(TimeoutException timeout) {
            if (clientGone()) {
                drop(new EofException("the client closed the connection while waiting"));
            }
            return false;
        }

        private void drop(Throwable why) {
            if (settle()) {
                dropped.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "Dropping a wait whose client went away: {0}", why.toString());
                ex.callback.failed(why);
            }
        }

        private boolean clientGone() {
            if (!probing) {
                return false;
            }
            EndPoint endPoint = ex.request.getConnectionMetaData().getConnection().getEndPoint();
            boolean hasBody = !ex.bodyConsumed() && (ex.request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
                    || ex.request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
            if (!(endPoint instanceof SocketChannelEndPoint) || hasBody) {
                probing = false;
                return false;
            }
            if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
                return true;
            }
            ByteBuffer probe = BufferUtil.allocate(1);
            try {
                int read = endPoint.fill(probe);
                if (read > 0) {
                    probing = false;
                    closeConnection = true;
                }
                return read < 0;
            } catch (IOException e) {
                return true;
            }
        }
    }
}
