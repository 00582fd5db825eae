package dev.taskmanager;

import java.time.Duration;

/**
 * What housekeeping checks for one task: its stall threshold and its deadline (SPEC §19–20).
 * Allocated only for tasks that have either; housekeeping scans the watched tasks on each run, so
 * neither needs a timer or a thread per task.
 *
 * <p>The stall mark changes under this object's monitor, and the stalled and recovered events are
 * dispatched under it too, so they strictly alternate. A change writes {@link #lastChangeTick}
 * before it reads the mark, and housekeeping sets the mark before it reads the tick again, so a
 * change racing with the check either clears the mark or makes housekeeping take it back.
 */
final class Watch {
    /** How long a running task may go without a change before it is stalled; 0: never. */
    final long stallAfterNanos;
    /** How long after its creation the task is aborted if still running; 0: never. */
    final long deadlineNanos;
    /** The ticker reading at which the deadline passes. */
    final long deadlineTick;
    /** The ticker reading of the last change of state or progress in the task's subtree. */
    volatile long lastChangeTick;
    private volatile boolean stalled;
    private boolean deadlineFired;

    Watch(long stallAfterNanos, long deadlineNanos, long createdTick) {
        this.stallAfterNanos = stallAfterNanos;
        this.deadlineNanos = deadlineNanos;
        this.deadlineTick = createdTick + deadlineNanos;
        this.lastChangeTick = createdTick;
    }

    boolean isStalled() {
        return stalled;
    }

    /** Marks the task stalled if it made no change for its threshold at {@code now}; runs {@code announce} if so. */
    void checkStall(long now, Runnable announce) {
        if (stallAfterNanos == 0 || stalled) {
            return;
        }
        synchronized (this) {
            long last = lastChangeTick;
            if (stalled || now - last < stallAfterNanos) {
                return;
            }
            stalled = true;
            if (lastChangeTick != last) {
                stalled = false; // a change slipped in: not stalled after all
                return;
            }
            announce.run();
        }
    }

    /** Records a change at {@code now}; runs {@code announce} if that ends a stall. */
    void changed(long now, Runnable announce) {
        lastChangeTick = now;
        if (stalled) {
            synchronized (this) {
                if (stalled) {
                    stalled = false;
                    announce.run();
                }
            }
        }
    }

    /** Whether the deadline has passed at {@code now} and was not acted on yet; true once. */
    synchronized boolean deadlinePassed(long now) {
        if (deadlineNanos == 0 || deadlineFired || now - deadlineTick < 0) {
            return false;
        }
        deadlineFired = true;
        return true;
    }

    /** Whether housekeeping has nothing left to check for this task. */
    synchronized boolean isSpent() {
        return stallAfterNanos == 0 && (deadlineNanos == 0 || deadlineFired);
    }

    /** The abort reason for a passed deadline: {@code deadline exceeded (PT30S)}. */
    String deadlineReason() {
        return "deadline exceeded (" + Duration.ofNanos(deadlineNanos) + ")";
    }
}
