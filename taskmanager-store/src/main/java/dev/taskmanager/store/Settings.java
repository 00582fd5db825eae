package dev.taskmanager.store;

import java.time.Duration;

/**
 * The writer's settings, validated by {@link HistoryStore.Builder}.
 *
 * @param node               this server's name in the {@code node} column
 * @param checkpointInterval a running task is written at most once per this
 * @param flushInterval      how long the writer waits between batches when it has caught up
 * @param maxBatch           rows per transaction
 * @param maxPending         tasks waiting to be written before the writer gives up on some (store down)
 * @param retention          finished tasks older than this are purged; {@link Duration#ZERO} keeps them
 * @param maxTasks           rows kept at most; the oldest finished go first; 0 for no bound
 * @param purgeInterval      how often retention looks for rows to purge
 * @param purgeBatch         rows deleted per transaction
 * @param closeTimeout       how long closing keeps trying to write what is pending
 */
record Settings(String node, Duration checkpointInterval, Duration flushInterval, int maxBatch, int maxPending,
                Duration retention, long maxTasks, Duration purgeInterval, int purgeBatch, Duration closeTimeout) {
}
