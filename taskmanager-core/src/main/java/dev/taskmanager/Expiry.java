package dev.taskmanager;

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
 * <p>A lane is a doubly linked list threaded through the tasks themselves, so a task that leaves the
 * registry some other way (drain, module stop, a seed-mode read) is unlinked at once and nothing
 * keeps it reachable. A lane that becomes empty is retired and removed; a task being scheduled
 * concurrently sees the retirement under the lane's lock and uses a fresh lane, so none is lost.
 */
final class Expiry {
    private static final int BATCH = 1024;

    private final Ticker ticker;
    private final ConcurrentHashMap<Long, Lane> lanes = new ConcurrentHashMap<>();

    /** The tasks waiting under one TTL value, oldest deadline first; guarded by its own monitor. */
    static final class Lane {
        final long ttlNanos;
        TaskImpl head;
        TaskImpl tail;
        int size;
        boolean retired;

        Lane(long ttlNanos) {
            this.ttlNanos = ttlNanos;
        }
    }

    Expiry(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Queues a finished task to expire {@code ttlNanos} from now. */
    void schedule(TaskImpl task, long ttlNanos) {
        for (;;) {
            Lane lane = lanes.computeIfAbsent(ttlNanos, Lane::new);
            synchronized (lane) {
                if (lane.retired) {
                    continue; // emptied and removed meanwhile: take (or make) the current lane
                }
                task.deadline = ticker.read() + ttlNanos;
                task.expiryLane = lane;
                task.expiryPrev = lane.tail;
                task.expiryNext = null;
                if (lane.tail == null) {
                    lane.head = task;
                } else {
                    lane.tail.expiryNext = task;
                }
                lane.tail = task;
                lane.size++;
                return;
            }
        }
    }

    /** Unlinks a task that left the registry, if it is queued; retires its lane if that empties it. */
    void unlink(TaskImpl task) {
        Lane lane = task.expiryLane; // racy peek, confirmed under the lane's lock
        if (lane == null) {
            return;
        }
        synchronized (lane) {
            if (task.expiryLane != lane) {
                return;
            }
            unlinkLocked(lane, task);
            retireIfEmpty(lane);
        }
    }

    private static void unlinkLocked(Lane lane, TaskImpl task) {
        TaskImpl prev = task.expiryPrev;
        TaskImpl next = task.expiryNext;
        if (prev == null) {
            lane.head = next;
        } else {
            prev.expiryNext = next;
        }
        if (next == null) {
            lane.tail = prev;
        } else {
            next.expiryPrev = prev;
        }
        task.expiryPrev = null;
        task.expiryNext = null;
        task.expiryLane = null;
        lane.size--;
    }

    private void retireIfEmpty(Lane lane) {
        if (lane.size == 0 && !lane.retired) {
            lane.retired = true;
            lanes.remove(lane.ttlNanos, lane);
        }
    }

    /** Whether a retained task is past its deadline at {@code now}. */
    static boolean isExpired(TaskImpl task, long now) {
        long deadline = task.deadline;
        return deadline != TaskImpl.NO_DEADLINE && now - deadline >= 0;
    }

    /**
     * Hands every task past its deadline to {@code unregister}, in batches, so that expiring a million
     * tasks never holds a lane's lock for long. Lanes left empty are removed.
     *
     * @param unregister removes a task, answering whether it was still registered
     * @return how many tasks this pass removed (not those already gone another way)
     */
    int expire(Predicate<TaskImpl> unregister) {
        long now = ticker.read();
        int expired = 0;
        TaskImpl[] batch = new TaskImpl[BATCH];
        for (Lane lane : lanes.values()) {
            int taken;
            do {
                taken = 0;
                synchronized (lane) {
                    TaskImpl head;
                    while (taken < BATCH && (head = lane.head) != null && isExpired(head, now)) {
                        unlinkLocked(lane, head);
                        batch[taken++] = head;
                    }
                    retireIfEmpty(lane);
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

    /**
     * How far past its deadline the most overdue queued task is at {@code now}, in nanoseconds; 0 if
     * none is due. Each lane is sorted by deadline, so only lane heads are read.
     */
    long maxOverdueNanos(long now) {
        long overdue = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                TaskImpl head = lane.head;
                if (head != null) {
                    overdue = Math.max(overdue, now - head.deadline);
                }
            }
        }
        return overdue;
    }

    /** How many tasks are queued; for tests and metrics. */
    int queued() {
        int queued = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                queued += lane.size;
            }
        }
        return queued;
    }

    /** How many lanes exist; for tests. */
    int laneCount() {
        return lanes.size();
    }
}
