package dev.taskmanager;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Deadlines of finished root tasks retained under a TTL (SPEC §6), without a timer or thread per task.
 *
 * <p>Tasks are queued in one FIFO lane per TTL value. Within a lane every task got the same TTL and
 * entered in completion order, with its deadline computed under the lane's lock, so each lane is
 * sorted by deadline: scheduling is O(1), and expiring looks only at lane heads. A TTL change opens a
 * new lane and leaves the deadlines already set where they were (SPEC §6.1).
 *
 * <p>A task that leaves the registry some other way (drain, module stop) stays queued until its
 * deadline and is then skipped: removing it from the middle of a lane would cost more than it saves.
 */
final class Expiry {
    private static final int BATCH = 1024;

    private final Ticker ticker;
    private final ConcurrentHashMap<Long, ArrayDeque<TaskImpl>> lanes = new ConcurrentHashMap<>();

    Expiry(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Queues a finished task to expire {@code ttlNanos} from now. */
    void schedule(TaskImpl task, long ttlNanos) {
        ArrayDeque<TaskImpl> lane = lanes.computeIfAbsent(ttlNanos, ttl -> new ArrayDeque<>());
        synchronized (lane) {
            task.deadline = ticker.read() + ttlNanos;
            lane.add(task);
        }
    }

    /** Whether a retained task is past its deadline at {@code now}. */
    static boolean isExpired(TaskImpl task, long now) {
        long deadline = task.deadline;
        return deadline != TaskImpl.NO_DEADLINE && now - deadline >= 0;
    }

    /**
     * Hands every task past its deadline to {@code unregister}, in batches, so that expiring a million
     * tasks never holds a lane's lock for long.
     *
     * @param unregister removes a task, answering whether it was still registered
     * @return how many tasks this pass removed (not those already gone another way)
     */
    int expire(Predicate<TaskImpl> unregister) {
        long now = ticker.read();
        int expired = 0;
        TaskImpl[] batch = new TaskImpl[BATCH];
        for (ArrayDeque<TaskImpl> lane : lanes.values()) {
            int taken;
            do {
                taken = 0;
                synchronized (lane) {
                    TaskImpl head;
                    while (taken < BATCH && (head = lane.peek()) != null && isExpired(head, now)) {
                        batch[taken++] = lane.poll();
                    }
                }
                for (int i = 0; i < taken; i++) {
                    if (unregister.test(batch[i])) {
                        expired++;
                    }
                    batch[i] = null;
                }
            } while (taken == BATCH);
        }
        return expired;
    }

    /** How many tasks are queued, including ones already gone by other means; for tests and metrics. */
    int queued() {
        int queued = 0;
        for (ArrayDeque<TaskImpl> lane : lanes.values()) {
            synchronized (lane) {
                queued += lane.size();
            }
        }
        return queued;
    }
}
