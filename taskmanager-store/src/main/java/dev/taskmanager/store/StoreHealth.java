package dev.taskmanager.store;

import java.time.Instant;

/**
 * A point-in-time reading of the history store's writer, for metrics and operators
 * ({@link HistoryStore#health()}). Counters only grow; a reader computes rates from two readings.
 *
 * @param state          whether writes are going through
 * @param since          when the store entered {@code state}
 * @param lastError      the last write error, {@code ""} if none yet; kept after the store is back up
 * @param pending        tasks waiting to be written (each counted once however often it changed)
 * @param writtenTotal   rows written since the store opened (a task checkpointed three times counts three)
 * @param failuresTotal  write attempts (batches) that failed
 * @param rejectedTotal  rows the store refused as malformed and that were skipped, with an error logged
 * @param droppedTotal   final states given up on because more than the pending bound were waiting
 *                       while the store was down (see {@link HistoryStore.Builder#maxPending})
 * @param purgedTotal    rows removed by retention
 */
public record StoreHealth(State state, Instant since, String lastError, long pending, long writtenTotal,
                          long failuresTotal, long rejectedTotal, long droppedTotal, long purgedTotal) {

    /** The writer's state. */
    public enum State {
        /** The last write went through (or none was needed yet). */
        UP,
        /** The last write failed; the writer keeps what it could not write and retries with back-off. */
        DOWN,
        /** The store was closed. */
        CLOSED
    }
}
