package dev.taskmanager.files;

import dev.taskmanager.TaskContext;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the workload's file-system calls on threads of their own, so that the task waiting for one
 * can always give up on it: when the task is asked to abort, or when the call makes no progress for
 * the stall timeout. Java offers no non-blocking {@code open(2)}: a FIFO swapped in for a file blocks
 * the opening thread until someone writes to it, possibly forever, and a hung network mount blocks a
 * read the same way. Such a thread cannot be interrupted; what can be done is to stop waiting for it.
 *
 * <h2>Design note</h2>
 * <p>A task thread hands a {@link Call} to {@link Waiter#call} and waits on the waiter's monitor,
 * which three things notify: the call ending, the task's abort callback, and the timed wait running
 * out. The call reports liveness through its {@link Pulse} (a beat per buffer read, per directory
 * entry listed, per slice of a throttled wait). On abort the waiter cancels the call, which stops at
 * its next beat, frees it if it is stuck in an open ({@link Pulse#opening}: a FIFO is opened for
 * writing too, which completes the stuck open), and waits up to {@value #ABORT_GRACE_MILLIS} ms for
 * it to end, so that files open at once stay within the workload's bounds; then abandons it. When
 * the pulse has been silent for the stall timeout, the waiter cancels the call, frees it the same
 * way, and abandons it: the task goes on and fails that file with a clear error. An abandoned call that ends later closes whatever it returned; one that never ends holds a
 * thread and its descriptors, so at most {@value #MAX_STUCK_CALLS} may be stuck at once, and new
 * calls are refused while that many are.
 *
 * <p>Calls run on a cached pool of daemon threads that end after 30 s idle; the workload's read
 * permits bound how many run at once. Thread-safe.
 */
final class IoGuard {
    /** How many abandoned calls may still be stuck before new calls are refused. */
    static final int MAX_STUCK_CALLS = 16;
    /** How long, at most, an aborted task waits for its call to stop (a call stops at its next beat). */
    static final long ABORT_GRACE_MILLIS = 1000;

    /** A file-system call, run on a guard thread, reporting liveness through its pulse. */
    @FunctionalInterface
    interface Call<T> {
        T run(Pulse pulse) throws IOException, InterruptedException;
    }

    private final long stallNanos;
    private final ExecutorService threads;
    private final AtomicInteger stuck = new AtomicInteger();

    IoGuard(Duration stallTimeout) {
        this.stallNanos = stallTimeout.toNanos();
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "taskmanager-files-io-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private static String describe(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** Abandoned calls that have not ended yet. */
    int stuckCalls() {
        return stuck.get();
    }

    /** A waiter for the calls of one task; registers one abort callback on it. */
    Waiter waiter(TaskContext context) {
        return new Waiter(context);
    }

    /**
     * How a running call shows it is alive, learns that it was cancelled, and names the blocking
     * open it is in. Thread-safe.
     */
    static final class Pulse {
        private volatile long lastBeat = System.nanoTime();
        private volatile boolean cancelled;
        private volatile String opening;
        private volatile Runnable unblock;
        private int position;

        /** Records progress: the stall timeout counts from the last beat. */
        void beat() {
            lastBeat = System.nanoTime();
        }

        /** Whether the waiter gave up on this call; the call should stop at once. */
        boolean cancelled() {
            return cancelled;
        }

        /** Beats, then throws {@link CancellationException} if the waiter gave up on this call. */
        void check() {
            if (cancelled) {
                throw new CancellationException("gave up on this call");
            }
            beat();
        }

        /**
         * Runs {@code delivery} unless the call was cancelled, atomically with respect to
         * {@link #cancel}: what a cancelled call finds out later is never delivered.
         *
         * @return whether it ran
         */
        synchronized boolean deliver(Runnable delivery) {
            if (cancelled) {
                return false;
            }
            delivery.run();
            return true;
        }

        synchronized void cancel() {
            cancelled = true;
        }

        /**
         * Says the call is about to make a blocking open of {@code what}, and how to free it if it
         * gets stuck there; {@link #opened()} clears it.
         */
        void opening(String what, Runnable unblock) {
            this.unblock = unblock;
            this.opening = what;
            beat();
        }

        void opened() {
            this.opening = null;
            this.unblock = null;
            beat();
        }

        /**
         * Which item of a batch the call is on (e.g. the index of a file), for the caller to resume
         * after; ignored once the call is cancelled, so that the caller reads where it was given up.
         */
        synchronized void at(int position) {
            if (!cancelled) {
                this.position = position;
                beat();
            }
        }

        synchronized int position() {
            return position;
        }
    }

    /** Waits for the calls of one task. Used by that task's thread only (the abort callback aside). */
    final class Waiter {
        private final TaskContext context;
        private boolean abortRequested;

        private Waiter(TaskContext context) {
            this.context = context;
            context.onAbort(this::abortRequested);
        }

        private synchronized void abortRequested() {
            abortRequested = true;
            notifyAll();
        }

        /**
         * Runs {@code call} on a guard thread and waits for it. Returns what it returns, or throws what
         * it throws, if it ends in time.
         *
         * @param what what the call does, for the stall message ({@code "reading sub/file.bin"})
         * @param pulse the call's pulse, new for each call; the caller may read its position afterwards
         * @throws dev.taskmanager.TaskAbortedException if the task was asked to abort
         * @throws FileCheckException                   if the call made no progress for the stall timeout,
         *                                              or too many calls are stuck already
         */
        <T> T call(String what, Pulse pulse, Call<T> call) throws IOException, InterruptedException {
            context.ensureNotAborted();
            int stuckNow = stuck.get();
            if (stuckNow >= MAX_STUCK_CALLS) {
                throw new FileCheckException(stuckNow + " earlier file operations are stuck (on files that "
                        + "never answer, such as FIFOs or a hung mount); refusing to start another until one ends");
            }
            Job<T> job = new Job<>(this, pulse, call);
            try {
                threads.execute(job);
            } catch (RejectedExecutionException e) {
                throw new IOException("cannot start a thread for " + what, e);
            }
            synchronized (this) {
                while (!job.finished) {
                    if (abortRequested) {
                        pulse.cancel();
                        awaitEnd(job, pulse);
                        context.ensureNotAborted();
                        throw new IllegalStateException("abort was requested, yet the task does not say so");
                    }
                    long idle = System.nanoTime() - pulse.lastBeat;
                    if (idle >= stallNanos) {
                        String blockedOn = pulse.opening;
                        pulse.cancel();
                        abandon(job);
                        unblock(pulse);
                        throw new FileCheckException("no progress for " + describe(stallNanos) + " "
                                + (blockedOn != null ? "opening " + blockedOn + " (a FIFO that nobody writes to "
                                + "blocks this)" : what) + "; gave up on it");
                    }
                    try {
                        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(stallNanos - idle) + 1));
                    } catch (InterruptedException e) {
                        pulse.cancel();
                        abandon(job);
                        throw e;
                    }
                }
            }
            return job.outcome();
        }

        /** After a cancel: frees the call if it is stuck in an open, waits a little for it to stop, else abandons it. */
        private void awaitEnd(Job<?> job, Pulse pulse) {
            unblock(pulse);
            long deadline = System.nanoTime() + Math.min(stallNanos, TimeUnit.MILLISECONDS.toNanos(ABORT_GRACE_MILLIS));
            boolean interrupted = false;
            while (!job.finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    abandon(job);
                    break;
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void unblock(Pulse pulse) {
            Runnable unblock = pulse.unblock;
            if (unblock != null) {
                unblock.run();
            }
        }

        /** Called with the monitor held and the job not finished. */
        private void abandon(Job<?> job) {
            job.abandoned = true;
            stuck.incrementAndGet();
        }
    }

    /** One call on a guard thread; its fields are guarded by the waiter's monitor. */
    private final class Job<T> implements Runnable {
        private final Waiter waiter;
        private final Pulse pulse;
        private final Call<T> call;
        private boolean finished;
        private boolean abandoned;
        private T result;
        private Throwable failure;

        Job(Waiter waiter, Pulse pulse, Call<T> call) {
            this.waiter = waiter;
            this.pulse = pulse;
            this.call = call;
        }

        @Override
        public void run() {
            T value = null;
            Throwable error = null;
            try {
                value = call.run(pulse);
            } catch (Throwable e) {
                error = e;
            }
            boolean late;
            synchronized (waiter) {
                finished = true;
                result = value;
                failure = error;
                late = abandoned;
                waiter.notifyAll();
            }
            if (late) {
                stuck.decrementAndGet();
                if (value instanceof Closeable) {
                    try {
                        ((Closeable) value).close();
                    } catch (IOException e) {
                        // nobody is waiting for it any more
                    }
                }
            }
        }

        T outcome() throws IOException, InterruptedException {
            Throwable error = failure;
            if (error == null) {
                return result;
            }
            if (error instanceof IOException) {
                throw (IOException) error;
            }
            if (error instanceof InterruptedException) {
                throw (InterruptedException) error;
            }
            if (error instanceof RuntimeException) {
                throw (RuntimeException) error;
            }
            if (error instanceof Error) {
                throw (Error) error;
            }
            throw new IllegalStateException("unexpected checked exception", error);
        }
    }
}
