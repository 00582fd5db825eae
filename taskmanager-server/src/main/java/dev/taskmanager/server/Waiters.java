package dev.taskmanager.server;

import dev.taskmanager.Task;
import dev.taskmanager.TaskStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code wait_task} without a thread per waiter (SPEC §12.6). A waiting request stays open in Jetty
 * while nothing runs for it: it is answered from the task's completion future, or from one timer on
 * Jetty's shared scheduler when it has a timeout, whichever comes first. Each wait costs a few small
 * objects; thousands are cheap.
 *
 * <p><b>Disconnected clients.</b> HTTP/1.1 gives no event when a client closes a connection whose
 * request is being handled: Jetty is not reading it. So a waiting request ignores the connection's
 * idle timeouts (a wait may last longer than any idle timeout), and at each one probes the socket
 * with a one-byte non-blocking read: end of stream means the client is gone, and the waiter is
 * dropped and the connection closed. A dead waiter is so found within one idle timeout. A client
 * that pipelines another request behind a wait (almost none do) loses that request's first byte to
 * the probe; the wait's answer then says {@code Connection: close} so the client retries the rest,
 * as RFC 9112 §9.3.2 asks of pipelining clients. Only plain-socket requests without a body are
 * probed; others (TLS, HTTP/2 when embedded) just wait.
 *
 * <p>Thread-safe. Each waiter is settled exactly once: by completion, timeout, disconnect or
 * shutdown.
 */
final class Waiters {
    private static final System.Logger LOG = System.getLogger(Waiters.class.getName());

    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final String nodeAddress;
    private volatile boolean closed;

    Waiters(String nodeAddress) {
        this.nodeAddress = nodeAddress;
    }

    /**
     * Answers with the task's final status once it completes, or 408 once {@code timeout} seconds
     * pass (at once for 0 unless it is already complete); absent means wait as long as it takes.
     */
    void await(Exchange ex, Task task, OptionalLong timeout) {
        CompletableFuture<TaskStatus> done = task.done();
        TaskStatus already = done.getNow(null);
        if (already != null) {
            ex.sendJson(g -> Json.writeStatus(g, already, nodeAddress));
            return;
        }
        if (timeout.isPresent() && timeout.getAsLong() == 0) {
            done.cancel(false);
            throw timedOut();
        }
        if (closed) {
            done.cancel(false);
            throw shuttingDown();
        }
        Pending waiter = new Pending(ex, done);
        ex.request.addIdleTimeoutListener(waiter::onIdleTimeout);
        ex.request.addFailureListener(waiter::onFailure);
        // Listen first, then publish: once a waiter is counted as pending, its completion is wired.
        done.whenComplete((status, error) -> waiter.onDone(status));
        pending.add(waiter);
        if (waiter.settled.get()) {
            pending.remove(waiter); // completed before it was published
            return;
        }
        if (timeout.isPresent()) {
            Scheduler scheduler = ex.request.getComponents().getScheduler();
            waiter.timer = scheduler.schedule(waiter::onTimeout, timeout.getAsLong(), TimeUnit.SECONDS);
            if (waiter.settled.get()) {
                waiter.cancelTimer(); // settled while the timer was being set: do not keep it queued
            }
        }
        if (closed && waiter.settle()) {
            waiter.answerError(shuttingDown()); // shutdown raced with us and missed this waiter
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
    }

    /** How many waits are pending now; for tests and benchmarks. */
    int pendingCount() {
        return pending.size();
    }

    /** How many waits were dropped because their client went away; for tests. */
    long droppedCount() {
        return dropped.get();
    }

    private static ApiException timedOut() {
        return new ApiException(408, "timedout");
    }

    private static ApiException shuttingDown() {
        return new ApiException(503, "the server is shutting down");
    }

    private final class Pending {
        final Exchange ex;
        final CompletableFuture<TaskStatus> done;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile Scheduler.Task timer;
        volatile boolean probing = true;
        volatile boolean closeConnection;

        Pending(Exchange ex, CompletableFuture<TaskStatus> done) {
            this.ex = ex;
            this.done = done;
        }

        boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            pending.remove(this);
            cancelTimer();
            return true;
        }

        void cancelTimer() {
            Scheduler.Task t = timer;
            if (t != null) {
                t.cancel();
            }
        }

        void onDone(TaskStatus status) {
            if (status == null || !settle()) {
                return; // cancelled by a timeout, a disconnect or shutdown, which answered already
            }
            // Render and write on Jetty's pool, not on the thread that completed the task: that may be
            // a task body, and thousands of waiters may be released at once.
            Runnable answer = () -> {
                keepOrCloseConnection();
                ex.sendJson(g -> Json.writeStatus(g, status, nodeAddress));
            };
            try {
                Executor executor = ex.request.getComponents().getExecutor();
                executor.execute(answer);
            } catch (RejectedExecutionException e) {
                answer.run();
            }
        }

        void onTimeout() {
            if (settle()) {
                done.cancel(false);
                answerError(timedOut());
            }
        }

        void answerError(ApiException error) {
            keepOrCloseConnection();
            ex.sendError(error.status(), error.getMessage());
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
                done.cancel(false);
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
            boolean hasBody = ex.request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
                    || ex.request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
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
